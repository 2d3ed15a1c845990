"""mednews.ir: www.mednews.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="mednews",
    base_url="https://www.mednews.ir",
    hosts=("mednews.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".col-md-pull-10", article_root=".col-md-pull-10"),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 52)",
    pattern="toolbar",
)
