"""asrdena.ir: asrdena.ir, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="asrdena",
    base_url="https://asrdena.ir",
    hosts=("asrdena.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", title="h1", supertitle=".news_rutitr",
                date_sources=("meta", "toolbar", "jsonld"), tag_links=".tags_container div a",
                page_fields=frozenset({"path", "published_at", "tags"}), comment="#comm_t div .comments_item"),
    ),
    evidence="2024-05..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 92)",
    pattern="meta-date",
)
