"""ana.press: www.ana.press, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="ana",
    base_url="https://www.ana.press",
    hosts=("ana.press",),
    generations=(
        replace(CMS, generation="toolbar", detect=".news_content, .container-newsMedia",
                article_root=".news_content, .container-newsMedia"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 5)",
    pattern="toolbar",
)
