"""nabznaft.ir: www.nabznaft.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="nabznaft",
    base_url="https://www.nabznaft.ir",
    hosts=("nabznaft.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", title="h1", album=".showcase-content",
                tag_links=".tags_title a", page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 48)",
    pattern="page-toolbar",
)
