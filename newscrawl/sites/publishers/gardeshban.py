"""gardeshban.ir: www.gardeshban.ir (http only), the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="gardeshban",
    base_url="http://www.gardeshban.ir",
    hosts=("gardeshban.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="#news", article_root="#news", title="h2.title",
                date_sources=("meta", "toolbar", "jsonld"), path_links=".pathe_news a", tag_links=".tags_title a",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 86)",
    pattern="meta-date",
)
