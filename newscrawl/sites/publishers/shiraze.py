"""shiraze.ir: www.shiraze.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="shiraze",
    base_url="https://www.shiraze.ir",
    hosts=("shiraze.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", title="div.title h1:nth-child(2)",
                tag_links=".tags_title a", page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 63)",
    pattern="page-toolbar",
)
