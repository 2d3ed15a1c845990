"""Asriran («عصر ایران»), www.asriran.com: the project's first site (asriran-markup.md)."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile

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
)
