"""gitionline.ir: www.gitionline.ir, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="gitionline",
    base_url="https://www.gitionline.ir",
    hosts=("gitionline.ir",),
    generations=(
        # The breadcrumb opens with the home page, which Targoman strips; it is no service.
        replace(CMS, generation="classed-date", detect=".content", article_root=".content", title="h1",
                supertitle=".rotitr", lead=".lead", body=".entry", lead_image=".heding .thumbnail a img",
                date_sources=("css", "toolbar", "jsonld", "meta"), date_css="ul.news-detile li:nth-child(2) span",
                path_links=".crumbs a", path_skip_texts=("صفحه نخست",)),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 78)",
    pattern="classed-date",
)
