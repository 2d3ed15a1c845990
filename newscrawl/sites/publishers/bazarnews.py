"""bazarnews.ir: www.bazarnews.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="bazarnews",
    base_url="https://www.bazarnews.ir",
    hosts=("bazarnews.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", tag_links=".tags_title a",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 45)",
    pattern="page-toolbar",
)
