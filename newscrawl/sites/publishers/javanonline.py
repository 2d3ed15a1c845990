"""javanonline.ir: www.javanonline.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="javanonline",
    base_url="https://www.javanonline.ir",
    hosts=("javanonline.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".over-hide", article_root=".over-hide"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 25)",
    pattern="toolbar",
)
