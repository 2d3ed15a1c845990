"""asrpress.ir: www.asrpress.ir (http only), the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="asrpress",
    base_url="http://www.asrpress.ir",
    hosts=("asrpress.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", title="h1.title a",
                page_fields=frozenset({"path", "published_at"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 73)",
    pattern="page-toolbar",
)
