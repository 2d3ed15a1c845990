"""Jame Jam Online («جام جم آنلاین»), jamejamonline.ir (iransamaneh-family.md §3: Targoman)."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile

PROFILE = SiteProfile(
    name="jamejamonline",
    display_name="جام جم آنلاین",
    base_url="https://jamejamonline.ir",
    hosts=("jamejamonline.ir",),
    archive=Archive(start="1384/01/01", page_size=100),  # [guess]: no jamejamonline archive evidence
    generations=(
        # Targoman 2023-25: article .bg-shadow-news .row, title h1, date span.news-pdate, category
        # section.padd-breadcrumb div a (the date, path and tags read from the whole page, «صفحه نخست»
        # stripped from the path). JameJamCorpus 2023-11..2024-04 (iransamaneh-sites.md §2): the body in
        # three parts (the older div.body after them), the service a.service-name-news, the tags a.tag-item,
        # the date all-numeric «DD MM YYYY - HH:MM».
        replace(CMS, generation="2023-shadow", detect="span.news-pdate", article_root="div.bg-shadow-news",
                title="h1", body="div.text-justify, p[style='text-align:justify;'], section.body, div.body",
                body_parts=True, toolbar_items="span.news-pdate, div.news_id_c", date_item_classes=("news-pdate",),
                path_links="section.padd-breadcrumb div a", service="a.service-name-news",
                path_skip_texts=("صفحه نخست",), tag_links="a.tag-item",
                page_fields=frozenset({"published_at", "path", "tags"})),
    ),
    evidence=("2023-11..2025-01 Targoman (iransamaneh-sites.md §1.2 row 59); 2023-11..2024-04 "
              "iransamaneh-sites.md §2"),
    pattern="jamejam-2023",
)
