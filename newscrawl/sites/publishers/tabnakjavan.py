"""tabnakjavan.com: www.tabnakjavan.com, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="tabnakjavan",
    base_url="https://www.tabnakjavan.com",
    hosts=("tabnakjavan.com",),
    generations=(
        replace(CMS, generation="toolbar", detect=".tj-news-container", article_root=".tj-news-container",
                drop=(".tag_title",)),
    ),
    evidence=("2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 53); "
              "undated iransamaneh-family.md §3"),
    pattern="toolbar",
)
