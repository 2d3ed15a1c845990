"""mana.ir: www.mana.ir, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="mana",
    base_url="https://www.mana.ir",
    hosts=("mana.ir",),
    generations=(
        replace(CMS, generation="classed-date", detect=".news-padd", article_root=".news-padd", title="h2 a",
                lead=".photo-subtitle, .subtitle", date_sources=("css", "toolbar", "jsonld", "meta"),
                date_css=".news-publishdate, .photo-news-publishdate", path_links=".news-service a",
                tag_links=".tags_title a", page_fields=frozenset({"lead", "path", "published_at", "tags", "title"})),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 50)",
    pattern="classed-date",
)
