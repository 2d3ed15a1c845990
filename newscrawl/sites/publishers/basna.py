"""basna.ir: www.basna.ir, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="basna",
    base_url="https://www.basna.ir",
    hosts=("basna.ir",),
    generations=(
        replace(CMS, generation="classed-date", detect="section.news-col-2", article_root="section.news-col-2",
                title="h2", date_sources=("css", "toolbar", "jsonld", "meta"), date_css=".news-publishdate"),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 56)",
    pattern="classed-date",
)
