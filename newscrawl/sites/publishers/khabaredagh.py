"""khabaredagh.ir: www.khabaredagh.ir, the page-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="khabaredagh",
    base_url="https://www.khabaredagh.ir",
    hosts=("khabaredagh.ir",),
    generations=(
        replace(CMS, generation="page-toolbar", detect=".news_body", article_root=".news_body",
                tag_links=".tags_title a", page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 44)",
    pattern="page-toolbar",
)
