"""Young Journalists Club («باشگاه خبرنگاران جوان»), www.yjc.ir (iransamaneh-family.md §1.4, §4 yjc)."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile

PROFILE = SiteProfile(
    name="yjc",
    display_name="باشگاه خبرنگاران جوان",
    base_url="https://www.yjc.ir",
    hosts=("yjc.ir", "yjc.news"),
    archive=Archive(start="1384/01/01", page_size=100),  # [guess]: no yjc archive evidence
    generations=(
        # 2022+ on yjc.news (a scrapy scraper, iransamaneh-sites.md §2): the same theme read another way: the id
        # in span.number-news, the category a.cat-news-details, the tags div.path_bottom_body a (Targoman
        # takes that block for the category path: sites.md §3.5), the date also in article:published_time.
        replace(CMS, generation="2023-yjcnews", detect="a.cat-news-details",
                article_root="div.news-box, div.news_body_serv2", title=".title-news, .baznashr-title",
                lead="h2.Htags_news_subtitle > strong.news_strong, .baznashr-subtitle", body="div.baznashr-body",
                lead_image="div.parent-lead-img img", toolbar_items=".date-color-news, span.number-news, div.news_id_c",
                id_item_classes=("number-news", "news_id_c"), date_item_classes=("date-color-news",),
                category="a.cat-news-details", tag_links="div.path_bottom_body a",
                drop=(".path_bottom_body", ".wrapper", ".det-1", ".parent-lead-img")),
        # 2023-2025 (Targoman): article .news-box / .news_body_serv2; title .title-news; lead
        # .news_strong; body .baznashr-body; date .date-color-news; category .path_bottom_body a.
        replace(CMS, generation="2023-newsbox", detect="div.baznashr-body",
                article_root="div.news-box, div.news_body_serv2", title="h1.title-news, .baznashr-title",
                supertitle="div.rutitr_body", lead=".baznashr-subtitle, div.subtitle .news_strong",
                body="div.baznashr-body", lead_image="div.parent-lead-img img", toolbar="div.news_toolbar",
                toolbar_items=".date-color-news, div.news_id_c",
                date_item_classes=("date-color-news",), path_links="div.path_bottom_body a"),
        # The real pages of 2019-2020: title in div.title > h1.Htags, rutitr in div.rutitr_body.
        replace(CMS, generation="2019-htags", detect="div.title > h1.Htags", article_root="div.news_p_box",
                title="div.title > h1.Htags", supertitle="div.rutitr_body"),
    ),
    body_sign_offs=("انتهای پیام",),
    evidence=("2019..2025: real pages of 2019-07 and 2020-05 (iransamaneh-family.md §1.4); 2022+ "
              "iransamaneh-sites.md §2; 2023-10..2025-01 Targoman (iransamaneh-sites.md §1.2 row 8)"),
    pattern="yjc-news",
)
