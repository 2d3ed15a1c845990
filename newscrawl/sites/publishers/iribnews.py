"""iribnews.ir: www.iribnews.ir, the bootstrap-icon-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="iribnews",
    base_url="https://www.iribnews.ir",
    hosts=("iribnews.ir",),
    generations=(
        replace(CMS, generation="bootstrap-icon-toolbar", detect=".news_general_dl, .photo_body",
                article_root=".news_general_dl, .photo_body", title=".title, .video_title",
                lead="p.subtitle, .photo_subtitle", album=".news_album_main_part",
                date_sources=("toolbar", "css", "jsonld", "meta"), date_css=".photo_pub_date",
                path_links=".news_path2 a, .news_path a"),
    ),
    evidence=("2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 15); "
              "about 2020-2022 iransamaneh-sites.md §2; 2020-07 iransamaneh-family.md §3"),
    pattern="bootstrap-icon-toolbar",
)
