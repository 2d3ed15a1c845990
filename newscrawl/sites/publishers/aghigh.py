"""aghigh.ir: www.aghigh.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="aghigh",
    base_url="https://www.aghigh.ir",
    hosts=("aghigh.ir",),
    generations=(
        # No override in Targoman: its base root, the element <article>.
        replace(CMS, generation="toolbar", detect="article", article_root="article"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 26)",
    pattern="toolbar",
)
