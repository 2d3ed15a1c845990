"""moaser.ir: www.moaser.ir (http only), the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="moaser",
    base_url="http://www.moaser.ir",
    hosts=("moaser.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="section.news-content", article_root="section.news-content",
                title="h1.title", date_sources=("meta", "toolbar", "jsonld"),
                page_fields=frozenset({"path", "published_at"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 75)",
    pattern="meta-date",
)
