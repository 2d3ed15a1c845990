"""Shafaf («شفاف»), www.shafaf.ir: the common toolbar form, the CMS's own markup (iransamaneh-family.md §3)."""

from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="shafaf",
    base_url="https://www.shafaf.ir",  # [guess]: the evidence names the domain only
    hosts=("shafaf.ir",),
    # 2020-07 (sepidmnorozy/backup-crawler): /fa/rss/allnews, h1.title a, news_nav news_pdate_c,
    # news_nav news_id_c, div.body: all the CMS's own, so no generation of its own.
    evidence="2020-07 iransamaneh-family.md §3",
    pattern="toolbar",
)
