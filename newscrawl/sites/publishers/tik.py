"""tik.ir: www.tik.ir (http only), the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="tik",
    base_url="http://www.tik.ir",
    hosts=("tik.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", page_fields=frozenset({"published_at"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 65)",
    pattern="page-toolbar",
)
