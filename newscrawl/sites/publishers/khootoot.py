"""khootoot.ir: khootoot.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="khootoot",
    base_url="https://khootoot.ir",
    hosts=("khootoot.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", tag_links=".row-tags a",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-08..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 101)",
    pattern="page-toolbar",
)
