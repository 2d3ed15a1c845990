"""goftareno.ir: www.goftareno.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="goftareno",
    base_url="https://www.goftareno.ir",
    hosts=("goftareno.ir",),
    generations=(
        # Lead: Targoman's 'newspage_subtitle' written as '.newspage_subtitle'.
        replace(CMS, generation="toolbar", detect=".newspage_right_col", article_root=".newspage_right_col",
                supertitle=".newspage_rutitr", lead=".newspage_subtitle"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 35)",
    pattern="toolbar",
)
