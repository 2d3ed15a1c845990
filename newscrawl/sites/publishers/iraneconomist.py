"""iraneconomist.com: www.iraneconomist.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="iraneconomist",
    base_url="https://www.iraneconomist.com",
    hosts=("iraneconomist.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".main_news_col", article_root=".main_news_col"),
    ),
    evidence=("2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 29); "
              "2020-07 iransamaneh-family.md §3"),
    pattern="toolbar",
)
