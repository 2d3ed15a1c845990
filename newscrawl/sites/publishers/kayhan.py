"""kayhan.ir: kayhan.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="kayhan",
    base_url="https://kayhan.ir",
    hosts=("kayhan.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect=".margin_bt_fari div[style='direction: rtl;']",
                article_root=".margin_bt_fari div[style='direction: rtl;']",
                page_fields=frozenset({"path", "published_at"})),
    ),
    evidence=("2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 17); "
              "undated asriran-markup.md §2"),
    pattern="page-toolbar",
)
