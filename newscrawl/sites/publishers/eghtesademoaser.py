"""eghtesademoaser.ir: www.eghtesademoaser.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="eghtesademoaser",
    base_url="https://www.eghtesademoaser.ir",
    hosts=("eghtesademoaser.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect="#news", article_root="#news", tag_links=".tags_container a",
                page_fields=frozenset({"tags"})),
    ),
    evidence="2024-12..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 104)",
    pattern="page-toolbar",
)
