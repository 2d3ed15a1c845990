"""snn.ir: www.snn.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="snn",
    base_url="https://www.snn.ir",
    hosts=("snn.ir",),
    generations=(
        replace(CMS, generation="toolbar", detect=".main_col, .photo_news_content",
                article_root=".main_col, .photo_news_content", date_sources=("toolbar", "css", "jsonld", "meta"),
                date_css=".photo_pdate"),
    ),
    boilerplate_exact=("کد ویدیو دانلود فیلم اصلی",),
    evidence=("2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 7); "
              "undated iransamaneh-family.md §2"),
    pattern="toolbar",
)
