"""sarmadnews.com: www.sarmadnews.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="sarmadnews",
    base_url="https://www.sarmadnews.com",
    hosts=("sarmadnews.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".col2_inner", article_root=".col2_inner"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 34)",
    pattern="toolbar",
)
