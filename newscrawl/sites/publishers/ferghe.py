"""ferghe.ir: ferghe.ir, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="ferghe",
    base_url="https://ferghe.ir",
    hosts=("ferghe.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", date_sources=("meta", "toolbar", "jsonld"),
                page_fields=frozenset({"path", "published_at"})),
    ),
    evidence="2024-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 102)",
    pattern="meta-date",
)
