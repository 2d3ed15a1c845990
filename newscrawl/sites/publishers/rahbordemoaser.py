"""rahbordemoaser.ir: www.rahbordemoaser.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="rahbordemoaser",
    base_url="https://www.rahbordemoaser.ir",
    hosts=("rahbordemoaser.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".content, .multimedia-news-more",
                article_root=".content, .multimedia-news-more", date_sources=("css", "toolbar", "jsonld", "meta"),
                date_css=".news_pdate_c span:nth-child(2)"),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 51)",
    pattern="toolbar",
)
