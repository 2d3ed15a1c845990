"""roozno.com: www.roozno.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="roozno",
    base_url="https://www.roozno.com",
    hosts=("roozno.com",),
    feeds=("1",),
    generations=(
        replace(CMS, generation="toolbar", detect=".news-content", article_root=".news-content",
                tag_links=".tags_title a"),
    ),
    evidence=("2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 23); "
              "2020-07 iransamaneh-family.md §3"),
    pattern="toolbar",
)
