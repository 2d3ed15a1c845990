"""namehnews.com: www.namehnews.com, the bootstrap-icon-toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import SiteProfile

PROFILE = SiteProfile(
    name="namehnews",
    base_url="https://www.namehnews.com",  # [guess]: the evidence names no host form
    hosts=("namehnews.com",),
    generations=(
        replace(CMS, generation="bootstrap-icon-toolbar", detect="div.body.body_news",
                title="h1.title.h_title_news > a, h1.Htags a", lead="div.subtitle.sub_news", body="div.body.body_news",
                tag_links="div.tags_title a"),
    ),
    evidence="2020 iransamaneh-sites.md §2; 2020-07 iransamaneh-family.md §3",
    pattern="bootstrap-icon-toolbar",
)
