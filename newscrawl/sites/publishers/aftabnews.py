"""aftabnews.ir: www.aftabnews.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="aftabnews",
    base_url="https://www.aftabnews.ir",
    hosts=("aftabnews.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".col_r_inner_news", article_root=".col_r_inner_news",
                drop=("div.aftab_news",)),
    ),
    boilerplate_exact=("آفتاب‌‌نیوز :",),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 2)",
    pattern="toolbar",
)
