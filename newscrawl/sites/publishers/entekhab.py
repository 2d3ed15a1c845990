"""Entekhab («انتخاب»), www.entekhab.ir (iransamaneh-family.md §3, §4 entekhab)."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile
from newscrawl.sites.topics import SiteTopics

PROFILE = SiteProfile(
    name="entekhab",
    display_name="انتخاب",
    base_url="https://www.entekhab.ir",
    hosts=("entekhab.ir",),
    # About 2019-2020 the archive was a form POST to /fa/archive (from_date, to_date, rpp); the 2025
    # scraper GETs it with rpp=50 and service_id=5: both answer a.title5 lists (the mirror serves both).
    archive=Archive(start="1384/01/01", method="POST", page_size=50,
                    service_ids=(("political", 2), ("economic", 5), ("sport", 9), ("technology", 8))),
    generations=(
        # About 2019-2025: the body is div.khabar-matn (an IranSamaneh theme class: diibache.ir too),
        # h1.title.col-xs-36, the date «HH : MM - DD MonthName YYYY» with a spaced colon.
        replace(CMS, generation="2020-khabar-matn", detect="div.khabar-matn", article_root="div.news_content",
                body="div.khabar-matn", lead_image="img.image_btn, img.news_corner_image"),
        # The 2015 template: news_toolbar, div.title > h1.title > a, the body opens with a.entekhab_lead2.
        replace(CMS, generation="2015-lead2", detect="a.entekhab_lead2", article_root="div.news_content",
                title="div.title > h1.title", lead_image="a.entekhab_lead2 img"),
    ),
    evidence="2015 template (asriran-markup.md §4); 2019..2025 scrapers (iransamaneh-family.md §3, §4)",
    pattern="toolbar",
    topics=SiteTopics(
        category_ids=(((5, 2), "politics"), ((5, 5), "economy"), ((5, 9), "sport"), ((5, 8), "science_tech")),
        evidence=("the 2025 scraper's archive queries service_id=5&cat_id=<2 political, 5 economic, 9 sport, "
                  "8 technology> (iransamaneh-family.md §4 entekhab)")),
)
