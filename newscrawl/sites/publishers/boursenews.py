"""boursenews.ir: www.boursenews.ir, the boursenews pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile

PROFILE = SiteProfile(
    name="boursenews",
    base_url="https://www.boursenews.ir",
    hosts=("boursenews.ir",),
    # 2024 scraper: a section's archive, /fa/archive/section?sec_id=416&rpp=100&from_date=…&to_date=…&p=2
    # (-a service_id= names the section).
    archive=Archive(path="/fa/archive/section",
                    params=(("sec_id", "{service_id}"), ("rpp", "{rpp}"), ("from_date", "{from_date}"),
                            ("to_date", "{to_date}")),
                    area=".paged_section_container", items=".svImgNewsItem a.imgNewsTitleLinkSv"),
    generations=(
        replace(CMS, generation="boursenews", detect=".newsContent", article_root=".newsContent", title="h1",
                supertitle=".newsPreTitle", date_sources=("css", "toolbar", "jsonld", "meta"), date_css=".newsDate",
                service=".newsServiceName", category="a.newsSubjectName", tag_links=".newsTags > a",
                toolbar_items=CMS.toolbar_items + ", .newsId", id_item_classes=("newsId",), reply=".comm_admin_reply",
                reply_author=".cmReplyName span", reply_date=".cmReplyDate", reply_text=".cmReplyTxt",
                drop=(".newsBottomBar", ".advBox")),
    ),
    evidence=("2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 11); "
              "2024 iransamaneh-sites.md §2"),
    pattern="boursenews",
)
