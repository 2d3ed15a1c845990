"""avayekhazar.ir: www.avayekhazar.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="avayekhazar",
    base_url="https://www.avayekhazar.ir",
    hosts=("avayekhazar.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect=".khabar-contents, div[style='direction: right;']",
                article_root=".khabar-contents, div[style='direction: right;']", title="h1 a",
                lead=".subtitle, .photo_subtitle"),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 42)",
    pattern="page-toolbar",
)
