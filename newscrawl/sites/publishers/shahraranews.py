"""shahraranews.ir: www.shahraranews.ir, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="shahraranews",
    base_url="https://www.shahraranews.ir",
    hosts=("shahraranews.ir",),
    generations=(
        replace(CMS, generation="classed-date", detect=".news-content, .news-main",
                article_root=".news-content, .news-main", title=".title, h1.photoshahr-title",
                lead=".subtitle, .photoshahr-subtitle", date_sources=("css", "toolbar", "jsonld", "meta"),
                date_css="ul.up-news-tools, span:nth-child(5), li:nth-child(2) > span", path_links=".path-cover a",
                tag_links=".tags_container a"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 19)",
    pattern="classed-date",
)
