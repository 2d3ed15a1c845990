"""titre20.ir: www.titre20.ir, the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="titre20",
    base_url="https://www.titre20.ir",
    hosts=("titre20.ir",),
    generations=(
        replace(CMS, generation="classed-date", detect=".news-continer-p", article_root=".news-continer-p",
                title="h1 a", supertitle=".rutitr-news", date_sources=("css", "toolbar", "jsonld", "meta"),
                date_css="span.news-nav-times", tag_links=".tags_title a",
                page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2023-11..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 43)",
    pattern="classed-date",
)
