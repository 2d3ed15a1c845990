"""danakhabar.com: www.danakhabar.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="danakhabar",
    base_url="https://www.danakhabar.com",
    hosts=("danakhabar.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".main-body-page-news", article_root=".main-body-page-news"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 28)",
    pattern="toolbar",
)
