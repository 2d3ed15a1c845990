"""sedayiran.com: www.sedayiran.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="sedayiran",
    base_url="https://www.sedayiran.com",
    hosts=("sedayiran.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".marg-news, #photo", article_root=".marg-news, #photo",
                title=".title-news, .description_d", body=".body_news",
                date_sources=("toolbar", "css", "jsonld", "meta"), date_css=".decription_d_i"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 32)",
    pattern="toolbar",
)
