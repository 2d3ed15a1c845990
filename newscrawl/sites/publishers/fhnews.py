"""fhnews.ir: www.fhnews.ir (http only), the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="fhnews",
    base_url="http://www.fhnews.ir",
    hosts=("fhnews.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".col1_dakheli_index", article_root=".col1_dakheli_index"),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 64)",
    pattern="toolbar",
)
