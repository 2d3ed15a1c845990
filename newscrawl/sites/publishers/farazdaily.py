"""farazdaily.com: farazdaily.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="farazdaily",
    base_url="https://farazdaily.com",
    hosts=("farazdaily.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".news-cnt", article_root=".news-cnt"),
    ),
    evidence="2024-02..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 1)",
    pattern="toolbar",
)
