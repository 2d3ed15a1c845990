"""tadbir24.ir: www.tadbir24.ir (http only), the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="tadbir24",
    base_url="http://www.tadbir24.ir",
    hosts=("tadbir24.ir",),
    generations=(
        # Tags: Targoman's "a[class='tags_item']" written as 'a.tags_item'.
        replace(CMS, generation="page-toolbar", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", title="h1 a", tag_links="a.tags_item",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 67)",
    pattern="page-toolbar",
)
