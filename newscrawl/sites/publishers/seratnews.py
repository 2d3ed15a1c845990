"""seratnews.com: www.seratnews.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="seratnews",
    base_url="https://www.seratnews.com",
    hosts=("seratnews.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".body-news, .body_news", article_root=".body-news, .body_news"),
    ),
    evidence=("2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 3); "
              "undated iransamaneh-family.md §2"),
    pattern="toolbar",
)
