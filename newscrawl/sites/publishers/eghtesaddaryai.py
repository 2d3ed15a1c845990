"""eghtesaddaryai.ir: eghtesaddaryai.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="eghtesaddaryai",
    base_url="https://eghtesaddaryai.ir",
    hosts=("eghtesaddaryai.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", title="h2", tag_links=".tags_container div a",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-06..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 98)",
    pattern="page-toolbar",
)
