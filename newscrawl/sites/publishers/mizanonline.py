"""mizanonline.ir: www.mizanonline.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="mizanonline",
    base_url="https://www.mizanonline.ir",
    hosts=("mizanonline.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".main_news_body, .row_news_body",
                article_root=".main_news_body, .row_news_body"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 16)",
    pattern="toolbar",
)
