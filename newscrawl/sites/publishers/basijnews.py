"""basijnews.ir: www.basijnews.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="basijnews",
    base_url="https://www.basijnews.ir",
    hosts=("basijnews.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".page", article_root=".page"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 18)",
    pattern="toolbar",
)
