"""Fararu («فرارو»), fararu.com, no www (iransamaneh-family.md §3, §4 fararu)."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile

PROFILE = SiteProfile(
    name="fararu",
    display_name="فرارو",
    base_url="https://fararu.com",
    hosts=("fararu.com",),
    archive=Archive(start="1384/01/01", page_size=100),  # [guess]: no fararu archive evidence
    generations=(
        # 2025 (cheerio scraper; Targoman 2023-25): article .col-main-news, lead .content-lead-news,
        # body #echo_detail with span.close_adv inside.
        replace(CMS, generation="2025-echo", detect="#echo_detail", article_root="div.col-main-news",
                title="h1.title, h1", lead="div.content-lead-news", body="#echo_detail"),
        # About 2022 (requests scraper): title in div.title_rutitr_body, lead div.news_body_lead.
        replace(CMS, generation="2022-lead", detect="div.news_body_lead", article_root="div.col-main-news",
                title="div.title_rutitr_body h1", supertitle="div.title_rutitr_body div.rutitr",
                lead="div.news_body_lead"),
    ),
    evidence=("2019..2025 iransamaneh-family.md §4; 2023-10..2025-01 Targoman (iransamaneh-sites.md §1.2 "
              "row 12)"),
    pattern="toolbar",
)
