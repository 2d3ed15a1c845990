"""8sobh.ir: www.8sobh.ir, the meta-date pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="s8sobh",
    base_url="https://www.8sobh.ir",
    hosts=("8sobh.ir",),
    generations=(
        replace(CMS, generation="meta-date", detect="section.single", article_root="section.single",
                title="h2.single-post-title", lead=".lead", body="#nt-body-ck",
                date_sources=("meta", "toolbar", "jsonld"), path_links="a[rel='category tag']",
                tag_links="a[rel='tag']", page_fields=frozenset({"path", "published_at", "tags"})),
    ),
    evidence="2024-03..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 66)",
    pattern="meta-date",
)
