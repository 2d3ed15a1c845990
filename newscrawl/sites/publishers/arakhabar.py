"""arakhabar.ir: www.arakhabar.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="arakhabar",
    base_url="https://www.arakhabar.ir",
    hosts=("arakhabar.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", title="h1 a", supertitle=".rutitr_photo",
                tag_links=".tags_title a", page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 47)",
    pattern="page-toolbar",
)
