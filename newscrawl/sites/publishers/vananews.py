"""vananews.com: www.vananews.com, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="vananews",
    base_url="https://www.vananews.com",
    hosts=("vananews.com",),
    generations=(
        replace(CMS, generation="classed-date", detect=".body_news", article_root=".body_news",
                date_sources=("css", "toolbar", "jsonld", "meta"), date_css=".news_path"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 37)",
    pattern="classed-date",
)
