"""rasanews.ir: www.rasanews.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="rasanews",
    base_url="https://www.rasanews.ir",
    hosts=("rasanews.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".news_content", article_root=".news_content"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 20)",
    pattern="toolbar",
)
