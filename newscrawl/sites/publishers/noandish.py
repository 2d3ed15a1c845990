"""noandish.com: www.noandish.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="noandish",
    base_url="https://www.noandish.com",
    hosts=("noandish.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".middle_news_body", article_root=".middle_news_body",
                lead=".newspage_subtitle"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 24)",
    pattern="toolbar",
)
