"""parsine.com: www.parsine.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="parsine",
    base_url="https://www.parsine.com",
    hosts=("parsine.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".general-news-body", article_root=".general-news-body"),
    ),
    evidence="2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 13)",
    pattern="toolbar",
)
