"""tejaratonline.ir: www.tejaratonline.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="tejaratonline",
    base_url="https://www.tejaratonline.ir",
    hosts=("tejaratonline.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".news_content", article_root=".news_content"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 33)",
    pattern="toolbar",
)
