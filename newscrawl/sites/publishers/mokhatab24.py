"""mokhatab24.ir: www.mokhatab24.ir (http only), the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="mokhatab24",
    base_url="http://www.mokhatab24.ir",
    hosts=("mokhatab24.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", title="h1.title a",
                date_sources=("meta", "toolbar", "jsonld"), page_fields=frozenset({"path", "published_at"})),
    ),
    evidence="2024-04..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 88)",
    pattern="meta-date",
)
