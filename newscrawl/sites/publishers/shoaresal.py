"""shoaresal.ir: www.shoaresal.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="shoaresal",
    base_url="https://www.shoaresal.ir",
    hosts=("shoaresal.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".nopadd", article_root=".nopadd", title=".title_news"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 39)",
    pattern="toolbar",
)
