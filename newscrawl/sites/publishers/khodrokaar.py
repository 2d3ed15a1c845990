"""khodrokaar.ir: www.khodrokaar.ir (http only), the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="khodrokaar",
    base_url="http://www.khodrokaar.ir",
    hosts=("khodrokaar.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="#news", article_root="#news", title="h1",
                tag_links=".tags_title a", page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 83)",
    pattern="page-toolbar",
)
