"""shohadayeiran.com: www.shohadayeiran.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="shohadayeiran",
    base_url="https://www.shohadayeiran.com",
    hosts=("shohadayeiran.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".news_body", article_root=".news_body"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 31)",
    pattern="toolbar",
)
