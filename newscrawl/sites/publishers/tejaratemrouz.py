"""tejaratemrouz.ir: www.tejaratemrouz.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="tejaratemrouz",
    base_url="https://www.tejaratemrouz.ir",
    hosts=("tejaratemrouz.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".body_news", article_root=".body_news"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 36)",
    pattern="toolbar",
)
