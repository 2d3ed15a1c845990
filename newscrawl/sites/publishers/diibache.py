"""diibache.ir: www.diibache.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="diibache",
    base_url="https://www.diibache.ir",
    hosts=("diibache.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect=".khabar-matn", article_root=".khabar-matn", title="h1 a",
                album=".image_set", tag_links=".tags_title a",
                page_fields=frozenset({"path", "published_at", "tags", "title"})),
    ),
    evidence=("2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 49); "
              "undated iransamaneh-family.md §4"),
    pattern="page-toolbar",
)
