"""bultannews.com: www.bultannews.com, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="bultannews",
    base_url="https://www.bultannews.com",
    hosts=("bultannews.com",),
    generations=(
        replace(CMS, generation="classed-date", detect=".main_body .col-md-27", article_root=".main_body .col-md-27",
                title="h1", supertitle=".rutitr", lead=".subtitle", date_sources=("css", "toolbar", "jsonld", "meta"),
                date_css="time"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 10)",
    pattern="classed-date",
)
