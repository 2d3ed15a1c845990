"""defapress.ir: defapress.ir, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="defapress",
    base_url="https://defapress.ir",
    hosts=("defapress.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect=".pb-news-body", article_root=".pb-news-body",
                date_sources=("meta", "toolbar", "jsonld"), page_fields=frozenset({"published_at"})),
    ),
    evidence="2024-05..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 93)",
    pattern="meta-date",
)
