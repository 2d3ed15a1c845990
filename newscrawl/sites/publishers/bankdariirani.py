"""bankdariirani.ir: www.bankdariirani.ir, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="bankdariirani",
    base_url="https://www.bankdariirani.ir",
    hosts=("bankdariirani.ir",),
    generations=(
        replace(CMS, generation="classed-date", detect=".news_body", article_root=".news_body",
                date_layout="gregorian"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 40)",
    pattern="classed-date",
)
