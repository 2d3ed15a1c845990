"""shafaonline.ir: shafaonline.ir (http only), the classed-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="shafaonline",
    base_url="http://shafaonline.ir",
    hosts=("shafaonline.ir",),
    generations=(
        replace(CMS, generation="classed-date", detect=".inner_b.col-xs-36", article_root=".inner_b.col-xs-36",
                title="h1.title a", date_sources=("css", "toolbar", "jsonld", "meta"), date_css=".news_pdate",
                page_fields=frozenset({"published_at"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 70)",
    pattern="classed-date",
)
