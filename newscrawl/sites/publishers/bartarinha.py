"""bartarinha.ir: www.bartarinha.ir, the bootstrap-icon-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="bartarinha",
    base_url="https://www.bartarinha.ir",  # [guess]: the evidence names no host form
    hosts=("bartarinha.ir",),
    generations=(
        replace(CMS, generation="bootstrap-icon-toolbar", detect="div.sar_news_body", article_root="div.sar_news_body",
                title="div.title > h1.title.Htag > a", lead="div.subtitle", body="div.body.body_media_content_show"),
    ),
    evidence="2018-11-13 iransamaneh-sites.md §2",
    pattern="bootstrap-icon-toolbar",
)
