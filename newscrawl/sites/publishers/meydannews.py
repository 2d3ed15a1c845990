"""meydannews.com: meydannews.com, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="meydannews",
    base_url="https://meydannews.com",
    hosts=("meydannews.com",),
    generations=(
        replace(CMS, generation="meta-date", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", title="h1", supertitle=".newspage-rutitr",
                lead=".newspage-subtitle", date_sources=("meta", "toolbar", "jsonld"),
                tag_links=".tags_container div a", page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 103)",
    pattern="meta-date",
)
