"""iqna.ir: iqna.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="iqna",
    base_url="https://iqna.ir",
    hosts=("iqna.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".box_news", article_root=".box_news"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 4)",
    pattern="toolbar",
)
