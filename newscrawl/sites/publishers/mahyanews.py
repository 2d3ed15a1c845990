"""mahyanews.ir: www.mahyanews.ir, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="mahyanews",
    base_url="https://www.mahyanews.ir",
    hosts=("mahyanews.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="#news", article_root="#news",
                date_sources=("meta", "toolbar", "jsonld"), path_links=".news_nav_second > div > a",
                tag_links=".article_tags a.article_tag", page_fields=frozenset({"published_at"}),
                drop=(".report-like",)),
    ),
    evidence="2024-06..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 94)",
    pattern="meta-date",
)
