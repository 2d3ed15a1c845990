"""avayerodkof.ir: avayerodkof.ir, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="avayerodkof",
    base_url="https://avayerodkof.ir",
    hosts=("avayerodkof.ir",),
    generations=(
        # Targoman's ignore text /.*.*/ matches every paragraph: not carried over.
        replace(CMS, generation="meta-date", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", title="h1.title a",
                date_sources=("meta", "toolbar", "jsonld"), tag_links=".tags_title a",
                page_fields=frozenset({"path", "published_at"}),
                drop=(".share_button", ".tags_title", ".newsletter_link_news", ".row-comment")),
    ),
    boilerplate_patterns=(".*Telegram", ".*بازدید از", ".*Share"),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 80)",
    pattern="meta-date",
)
