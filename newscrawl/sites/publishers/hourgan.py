"""hourgan.ir: www.hourgan.ir, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="hourgan",
    base_url="https://www.hourgan.ir",
    hosts=("hourgan.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", title="h1.title a",
                date_sources=("meta", "toolbar", "jsonld"), page_fields=frozenset({"path", "published_at"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 79)",
    pattern="meta-date",
)
