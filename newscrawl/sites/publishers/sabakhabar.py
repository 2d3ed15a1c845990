"""sabakhabar.ir: www.sabakhabar.ir, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="sabakhabar",
    base_url="https://www.sabakhabar.ir",
    hosts=("sabakhabar.ir",),
    generations=(
        replace(CMS, generation="classed-date", detect=".single-news", article_root=".single-news", title="h2",
                lead=".leadi", body=".news-content", date_sources=("css", "toolbar", "jsonld", "meta"),
                date_css="li.time", path_links="ul.list-inline li a", tag_links=".news-tags a"),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 41)",
    pattern="classed-date",
)
