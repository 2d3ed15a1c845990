"""dsport.ir: www.dsport.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="dsport",
    base_url="https://www.dsport.ir",
    hosts=("dsport.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".newsPage", article_root=".newsPage", drop=(".img-responsive",)),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 54)",
    pattern="toolbar",
)
