"""118safar.com: www.118safar.com, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="s118safar",
    base_url="https://www.118safar.com",
    hosts=("118safar.com",),
    generations=(
        replace(CMS, generation="meta-date", detect="div[style='direction: rtl;']",
                article_root="div[style='direction: rtl;']", title="h1", date_sources=("meta", "toolbar", "jsonld"),
                tag_links=".tags_title a", page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 76)",
    pattern="meta-date",
)
