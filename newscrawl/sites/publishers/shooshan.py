"""shooshan.ir: shooshan.ir (http only), the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="shooshan",
    base_url="http://shooshan.ir",
    hosts=("shooshan.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", title="h1", tag_links=".tags_container div a",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-06..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 95)",
    pattern="page-toolbar",
)
