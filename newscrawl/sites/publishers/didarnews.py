"""didarnews.ir: www.didarnews.ir, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="didarnews",
    base_url="https://www.didarnews.ir",
    hosts=("didarnews.ir",),
    generations=(
        replace(CMS, generation="classed-date", detect=".news-body", article_root=".news-body", title=".title_c",
                date_sources=("css", "toolbar", "jsonld", "meta"), date_css=".publish-date",
                tag_links=".tags_container a"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 21)",
    pattern="classed-date",
)
