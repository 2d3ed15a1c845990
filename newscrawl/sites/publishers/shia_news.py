"""shia-news.com: www.shia-news.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="shia_news",
    base_url="https://www.shia-news.com",
    hosts=("shia-news.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".news-body", article_root=".news-body",
                date_sources=("toolbar", "css", "jsonld", "meta"), date_css=".news-info-inner-photo"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 14)",
    pattern="toolbar",
)
