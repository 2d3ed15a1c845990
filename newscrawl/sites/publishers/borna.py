"""borna.news: www.borna.news, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="borna",
    base_url="https://www.borna.news",
    hosts=("borna.news",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", title="h1",
                page_fields=frozenset({"path", "published_at"})),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 57)",
    pattern="page-toolbar",
)
