"""tehranpress.com: tehranpress.com, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="tehranpress",
    base_url="https://tehranpress.com",
    hosts=("tehranpress.com",),
    generations=(
        replace(CMS, generation="meta-date", detect=".border-parent-main", article_root=".border-parent-main",
                date_sources=("meta", "toolbar", "jsonld"), path_links=".service-name", tag_links=".khabar-tag",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-07..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 99)",
    pattern="meta-date",
)
