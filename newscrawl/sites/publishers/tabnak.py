"""Tabnak («تابناک»), www.tabnak.ir (iransamaneh-family.md §1.1-1.3, §4 tabnak)."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile
from newscrawl.sites.topics import SiteTopics

PROFILE = SiteProfile(
    name="tabnak",
    display_name="تابناک",
    base_url="https://www.tabnak.ir",
    hosts=("tabnak.ir",),
    # 2022 and 2025 scrapers: from_date=1384/01/01, rpp=100, numeric service ids.
    archive=Archive(start="1384/01/01", page_size=100,
                    service_ids=(("political", 24), ("economic", 6), ("sport", 2), ("social", 3),
                                 ("culture", 21), ("international", 17)),
                    # 2014: a.next; 2025 scrapers: the pager's «»» link in div.pagination.
                    next_link='a.next, div.pagination a:contains("»")'),
    generations=(
        # About 2023-2025: div.container.night_mode_news, the body is div#newsMainBody (also
        # div.body), the service link a.newsbody_servicename, span.fa_date + span.en_date in a news_nav.
        replace(CMS, generation="2023-mainbody", detect="#newsMainBody", article_root="div.gutter_news",
                title="div.top_news_title div.title > h1, h1.Htag", body="#newsMainBody",
                toolbar="div.news_navbox, div.news_toolbar", toolbar_labels=".news_title, .news_nav_title",
                # 2025: div.news_path > a.newsbody_servicename; about 2023+ (iransamaneh-family.md §4) the
                # service and category links of #box-top-news; 2023-09: the short link in input#foo[value].
                path_links="div.news_path a, #box-top-news > div.hidden-xs.col-md-12.col-sm-36.col-ms-14 > div > a",
                tag_links="div.tag_items a", short_link="input#foo, div.short-link a, a.link_en"),
        # The real page of 2018 (and the 2017-2020 scrapers): toolbar in div.news_navbox, the date in
        # <sapn class="fa_date"> + .en_date, labels in span.news_title.
        replace(CMS, generation="2018-navbox", detect="div.news_navbox", article_root="div.gutter_news",
                title="div.title > h1", toolbar="div.news_navbox", toolbar_labels=".news_title"),
    ),
    evidence=("2016..2025 iransamaneh-sites.md §2; 2018-07-21 real page (iransamaneh-family.md §1.1); "
              "2023-10..2025-01 Targoman (iransamaneh-sites.md §1.2 row 6)"),
    pattern="tabnak-2023",
    topics=SiteTopics(
        names=(("بسته ویژه خبری", None),),  # service 15, «special news package»: a place, not a subject
        service_ids=((24, "politics"), (6, "economy"), (2, "sport"), (3, "society"), (21, "culture_art"),
                     (17, "international")),
        evidence="service ids: the 2025 scrapers' archive queries (iransamaneh-family.md §4 tabnak, 2025 row)"),
)
