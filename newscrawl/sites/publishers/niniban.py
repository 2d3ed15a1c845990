"""niniban.com: www.niniban.com, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="niniban",
    base_url="https://www.niniban.com",
    hosts=("niniban.com",),
    generations=(
        replace(CMS, generation="classed-date", detect=".col-md-24", article_root=".col-md-24",
                date_sources=("css", "toolbar", "jsonld", "meta"), date_css="time.news_path_time",
                tag_links=".tags_container a"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 22)",
    pattern="classed-date",
)
