"""Asriran («عصر ایران»), www.asriran.com: the project's first site (asriran-markup.md)."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile
from newscrawl.sites.topics import SiteTopics

PROFILE = SiteProfile(
    name="asriran",
    display_name="عصر ایران",
    base_url="https://www.asriran.com",
    hosts=("asriran.com", "asriran.ir"),
    archive=Archive(start="1384/01/01", page_size=100),
    generations=(
        # 2014: title in div.title > h1 (no class); footer credit div.copyright_iransamaneh.
        replace(CMS, generation="2014", detect="div.title > h1", title="div.title > h1"),
        # From 2022 on (scrapers of 2022 and 2023): the date is a toolbar item
        # div.news_nav.header_pdate, while the header's div.header_pdate is the site clock.
        replace(CMS, generation="header_pdate", detect="div.news_nav.header_pdate", title="h1.title"),
        # 2020: h1.title, a mobile toolbar in div.toolbar_mobile.
        replace(CMS, generation="2020", detect="div.toolbar_mobile", title="h1.title"),
        # 2023-2024: the mobile toolbar is div.news_toolbar_mobile, images lazy-loaded.
        replace(CMS, generation="2023", detect="div.news_toolbar_mobile", title="h1.title"),
    ),
    # Its widgets inside div.body (markup §2a), dropped by what they say.
    boilerplate_phrases=("کانال عصر ایران در تلگرام", "عضویت در اینستاگرام عصر ایران", "تماشاخانه",
                         "فیلم بیشتر", "فیلم های دیگر", "برای خواندن سایر مطالب سلامت", "این لحظه با حافظ"),
    boilerplate_patterns=(r"^[\d۰-۹]+ سال پیش در چنین روزی",),
    promo_hosts=("t.me", "telegram.me", "instagram.com", "www.instagram.com"),
    evidence=("2014..2026 asriran-markup.md; 2022..2023 iransamaneh-family.md §4; 2023-10..2025-01 Targoman "
              "(iransamaneh-sites.md §1.2 row 9); 2025 iransamaneh-sites.md §2"),
    pattern="toolbar",
    topics=SiteTopics(
        # «صفحه نخست» (service 1) and «عصر ایران دو» (service 2) are places on the site, not subjects.
        names=(("عصر ایران دو", None),),
        service_ids=((1, None), (2, None), (4, "health")),
        category_ids=(((1, 1), "politics"), ((1, 2), "international"), ((1, 3), "international"),
                      ((1, 4), "economy"), ((1, 5), "society"), ((1, 6), "sport"), ((1, 7), "science_tech"),
                      ((1, 8), "culture_art"), ((1, 9), "society"), ((1, 10), "health"), ((1, 11), "science_tech"),
                      ((1, 12), "lifestyle"), ((1, 13), None), ((1, 14), None), ((1, 15), None),
                      ((1, 16), "lifestyle")),
        evidence=("service ids: the 2014 archive's <select name=service_id> (asriran-markup.md, service_id "
                  "values); category ids of service 1: a scraper's CLI help, about 2020 (asriran-markup.md, "
                  "cat_id values: 1 political ... 16 travel)")),
)
