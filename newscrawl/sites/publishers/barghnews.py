"""barghnews.com: www.barghnews.com, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="barghnews",
    base_url="https://www.barghnews.com",
    hosts=("barghnews.com",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", page_fields=frozenset({"path", "published_at"})),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 30)",
    pattern="page-toolbar",
)
