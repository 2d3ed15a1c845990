"""nesfejahan.net: nesfejahan.net, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="nesfejahan",
    base_url="https://nesfejahan.net",
    hosts=("nesfejahan.net",),
    generations=(
        replace(CMS, generation="meta-date", detect="div[style='direction: right;']",
                article_root="div[style='direction: right;']", title="h2", date_sources=("meta", "toolbar", "jsonld"),
                page_fields=frozenset({"path", "published_at"})),
    ),
    evidence=("2024-08..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 100); "
              "undated iransamaneh-family.md §2"),
    pattern="meta-date",
)
