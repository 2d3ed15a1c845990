"""bamdad24.ir: www.bamdad24.ir (http only), the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="bamdad24",
    base_url="http://www.bamdad24.ir",
    hosts=("bamdad24.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".dakheli", article_root=".dakheli"),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 62)",
    pattern="toolbar",
)
