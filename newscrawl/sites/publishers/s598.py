"""598.ir: www.598.ir, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="s598",
    base_url="https://www.598.ir",
    hosts=("598.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", title="h1 a", lead=".subtitle",
                date_sources=("meta", "toolbar", "jsonld"), tag_links=".tags_title a",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 60)",
    pattern="meta-date",
)
