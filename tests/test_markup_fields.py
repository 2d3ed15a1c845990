"""Each Markup field a profile can say (issue 18), one rule per test, on small pages in the shape the
evidence documents (notes: /work/notes/18-patterns.md; iransamaneh-sites.md, iransamaneh-family.md).

Every page here is read by a site with one generation (`generation(...)`, the CMS's markup with the
fields under test replaced) through `article.parse_article`: the registry takes no part.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from newscrawl.exceptions import NotAnArticle
from newscrawl.sites.iransamaneh import article
from newscrawl.sites.iransamaneh.markup import CMS, GENERIC, Markup
from newscrawl.sites.profiles import Archive, SiteProfile

ID = "<div class='news_nav news_id_c'><span class='news_nav_title'>کد خبر: </span>۴۵۶۷۸۹</div>"
DATE = ("<div class='news_nav news_pdate_c'><span class='news_nav_title'>تاریخ انتشار: </span>"
        "۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵</div>")
TOOLBAR = f"<div class='news_toolbar'>{ID}{DATE}</div>"
TITLE = "<h1 class='title'><a href='/fa/news/456789'>عنوان خبر</a></h1>"
BODY = "<div class='body'><p>متن خبر که به اندازه کافی بلند است تا یک بند باشد.</p></div>"
WHEN = "2024-05-14T09:05:00+03:30"  # ۲۵ اردیبهشت ۱۴۰۳ ۰۹:۰۵ in Tehran


def html(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body id='news'>{body}</body></html>"


def col(inner: str, root: str = "col1-news") -> str:
    return f"<div class='{root}'>{inner}</div>"


def site(*generations: Markup, name: str = "example", base_url: str = "https://www.example.ir") -> SiteProfile:
    host = base_url.split("://", 1)[1].removeprefix("www.")
    return SiteProfile(name=name, base_url=base_url, hosts=(host,), archive=Archive(start="1390/01/01"),
                       generations=generations)


def generation(**fields: object) -> Markup:
    return replace(CMS, generation="test", detect=str(fields.pop("detect", "body#news")), **fields)


def read(page: str, *generations: Markup, url: str | None = None) -> article.Article:
    return article.parse_article(page, url, profile=site(*generations))


# ---- detection and the article root ----

def test_detect_is_searched_in_the_whole_page_by_default():
    page = html("<div class='theme_2024'></div>" + col(TOOLBAR + TITLE + BODY))
    assert read(page, generation(detect="div.theme_2024")).parser_version.endswith(":test")


def test_detect_scope_root_looks_inside_the_generations_root_only():
    inside = generation(detect="div.theme_mark", detect_scope="root")
    assert read(html(col(TOOLBAR + TITLE + "<div class='theme_mark'></div>" + BODY)), inside
                ).parser_version.endswith(":test")
    # the same class in a sidebar outside the article column is no sign of the theme
    assert read(html("<div class='theme_mark'></div>" + col(TOOLBAR + TITLE + BODY)), inside
                ).parser_version.endswith(":generic")


def test_a_page_no_generation_detects_is_read_with_the_generic_reader():
    item = read(html(col(TOOLBAR + TITLE + BODY)), generation(detect="div.not_on_this_page"))
    assert item.parser_version.endswith(":generic")
    assert (item.news_id, item.title, item.published_at) == (456789, "عنوان خبر", WHEN)


INLINE = "div[style='direction: rtl;']"
SIDEBAR = ("<div style='direction: rtl;'><div class='box_news'><header class='top_title'><span>آخرین اخبار"
           "</span></header><div class='linear_news'><a class='title5' href='/fa/news/1'>خبر دیگری از ستون کناری"
           "</a></div></div></div>")


def test_an_inline_style_root_is_the_first_that_holds_the_title_or_body_not_a_same_styled_sidebar():
    page = html(SIDEBAR + TOOLBAR + f"<div style='direction: rtl;'>{TITLE}{BODY}</div>")
    item = read(page, generation(article_root=INLINE))
    assert item.title == "عنوان خبر" and item.body.startswith("متن خبر")


def test_root_must_contain_names_what_the_root_holds():
    # Two wrappers hold an h1 (a sidebar's box headline first); only the article's holds the body.
    boxed = ("<div style='direction: rtl;'><h1 class='title'>سرخط ستون کناری</h1></div>"
             f"<div style='direction: rtl;'>{TITLE}{BODY}</div>")
    assert read(html(TOOLBAR + boxed), generation(article_root=INLINE)).title == "سرخط ستون کناری"
    item = read(html(TOOLBAR + boxed), generation(article_root=INLINE, root_must_contain="div.body"))
    assert item.title == "عنوان خبر"


def test_no_root_reads_the_page():
    item = read(html(TOOLBAR + TITLE + BODY), generation(article_root="div.nowhere"))
    assert (item.news_id, item.title, item.published_at) == (456789, "عنوان خبر", WHEN)


# ---- page_fields and page_fallback ----

PATH = "<div class='news_path'><a href='/fa/economic'>اقتصادی</a> » <a href='/fa/economic/114'>راه و مسکن</a></div>"
TAGS = "<div class='tags_title'><a href='/fa/tags/1/1/x'>خط آهن</a><a href='/fa/tags/2/1/y'>کریدور</a></div>"


def test_page_fields_are_read_outside_the_root_and_only_then():
    page = html(PATH + TOOLBAR + TAGS + col(TITLE + BODY, root="margin_bt_fari"))
    inside = generation(article_root="div.margin_bt_fari")
    item = read(page, inside)
    assert (item.news_id, item.published_at, item.service, item.tags) == (None, None, None, [])
    item = read(page, replace(inside, page_fields=frozenset({"news_id", "published_at", "path", "tags"})))
    assert (item.news_id, item.published_at) == (456789, WHEN)
    assert (item.service, item.category, item.tags) == ("اقتصادی", "راه و مسکن", ["خط آهن", "کریدور"])


def test_a_page_field_ignores_the_same_field_inside_the_root():
    other = ("<div class='news_path'><a href='/fa/x'>ستون</a> » <a href='/fa/x/1'>جعلی</a></div>")
    page = html(PATH + col(TOOLBAR + other + TITLE + BODY))
    assert read(page, generation(page_fields=frozenset({"path"}))).service == "اقتصادی"
    assert read(page, generation()).service == "ستون"


def test_page_fallback_reads_the_root_first_then_the_page():
    fallback = generation(page_fallback=frozenset({"tags", "path"}))
    page = html(PATH + TAGS + col(TOOLBAR + TITLE + BODY))
    assert read(page, fallback).tags == ["خط آهن", "کریدور"] and read(page, generation()).tags == []
    own = "<div class='tags_title'><a href='/fa/tags/3/1/z'>برچسب خود خبر</a></div>"
    assert read(html(TAGS + col(TOOLBAR + TITLE + BODY + own)), fallback).tags == ["برچسب خود خبر"]


def test_page_fields_name_known_fields_only():
    with pytest.raises(ValueError, match=r"page_fields names no field: \['date'\]"):
        generation(page_fields=frozenset({"date"}))


# ---- the date: sources, element, layout ----

META = "<meta property='article:published_time' content='۱۴۰۳/۰۲/۲۵ - ۰۹:۰۵'>"


def test_date_sources_meta_only_reads_the_meta_and_nothing_else():
    other_day = DATE.replace("۲۵ ارديبهشت", "۲۶ ارديبهشت")
    page = html(col(f"<div class='news_toolbar'>{ID}{other_day}</div>" + TITLE + BODY), head=META)
    item = read(page, generation(date_sources=("meta",)))
    assert (item.published_at, item.field_sources["published_at"]) == (WHEN, "article:published_time")
    assert not item.defects  # the toolbar is no source here: no disagreement
    assert read(page, generation()).published_at == "2024-05-15T09:05:00+03:30"


def test_the_first_part_of_a_jalali_meta_is_read_when_the_rest_is_not_a_time():
    page = html(col(ID + TITLE + BODY),
                head="<meta property='article:published_time' content='۱۴۰۳/۰۲/۲۵ ساعت نامعلوم'>")
    item = read(page, generation(date_sources=("meta",)))
    assert item.published_at == "2024-05-14T00:00:00+03:30" and item.published_at_jalali == "1403-02-25T00:00:00"
    assert any("gives the day only" in w for w in item.warnings)


def test_a_class_less_time_element_is_the_date_when_date_css_names_it():
    page = html(col(ID + TITLE + "<time>۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵</time>" + BODY, root="col-md-27"))
    item = read(page, generation(article_root="div.col-md-27", date_sources=("css",), date_css="time"))
    assert (item.published_at, item.published_raw, item.field_sources["published_at"]) == (
        WHEN, "۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵", "date_css")
    assert read(page, generation(article_root="div.col-md-27")).published_at is None


def test_date_attr_reads_an_attribute_and_a_datetime_attribute_is_read_unasked():
    tag = "<time class='pub' datetime='2024-05-14T09:05:00+03:30' data-fa='۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵'>دیروز</time>"
    page = html(col(ID + TITLE + tag + BODY))
    assert read(page, generation(date_sources=("css",), date_css="time.pub")).published_at == WHEN
    item = read(page, generation(date_sources=("css",), date_css="time.pub", date_attr="data-fa"))
    assert (item.published_at, item.published_raw) == (WHEN, "۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵")


def test_a_date_element_inside_the_site_clock_is_never_the_date():
    clock = "<div class='today_date'><span class='news-pdate'>۲۰ ۰۸ ۱۴۰۳ - ۱۸:۰۰</span></div>"
    page = html(clock + col(ID + TITLE + BODY) + "<span class='news-pdate'>۲۵ ۰۲ ۱۴۰۳ - ۰۹:۰۵</span>")
    item = read(page, generation(date_sources=("css",), date_css="span.news-pdate",
                                 page_fields=frozenset({"published_at"})))
    assert item.published_at == WHEN


def test_the_all_numeric_date_with_nbsp_reads():
    page = html(col(ID + TITLE + BODY) + "<span class='news-pdate'>۲۵&nbsp;۰۲&nbsp;۱۴۰۳ - ۰۹:۰۵</span>")
    item = read(page, generation(date_sources=("css",), date_css="span.news-pdate",
                                 page_fields=frozenset({"published_at"})))
    assert item.published_at == WHEN and item.published_at_jalali == "1403-02-25T09:05:00"


def test_a_date_of_the_day_only_yields_to_a_later_source_with_the_time_of_that_day():
    page = html(col(ID + TITLE + "<span class='newsDate'>۱۴۰۳/۰۲/۲۵</span>" + BODY), head=META)
    item = read(page, generation(date_sources=("css", "meta"), date_css=".newsDate"))
    assert (item.published_at, item.field_sources["published_at"]) == (WHEN, "article:published_time")
    assert not item.warnings and not item.defects
    alone = read(page, generation(date_sources=("css",), date_css=".newsDate"))
    assert alone.published_at == "2024-05-14T00:00:00+03:30" and any("day only" in w for w in alone.warnings)


def test_a_gregorian_date_is_tehran_wall_clock_on_either_side_of_the_2022_dst_end():
    gregorian = generation(date_sources=("css",), date_css=".news_date", date_layout="gregorian")
    for text, iso in (("2022-09-21 10:00", "2022-09-21T10:00:00+04:30"),
                      ("2022-09-22 10:00", "2022-09-22T10:00:00+03:30"),
                      ("20 March 2024", "2024-03-20T00:00:00+03:30")):
        page = html(col(ID + TITLE + f"<div class='news_date'>{text}</div>" + BODY))
        item = read(page, gregorian)
        assert (item.published_at, item.published_raw) == (iso, text)


def test_an_iso_date_element_keeps_its_offset():
    page = html(col(ID + TITLE + "<span class='d'>2021-06-01T12:00:00+04:30</span>" + BODY))
    item = read(page, generation(date_sources=("css",), date_css="span.d", date_layout="iso"))
    assert item.published_at == "2021-06-01T12:00:00+04:30" and item.published_at_jalali == "1400-03-11T12:00:00"


def test_an_unreadable_date_element_is_a_defect_when_nothing_else_dates_the_page():
    page = html(col(ID + TITLE + "<span class='newsDate'>دیروز</span>" + BODY))
    item = read(page, generation(date_sources=("css",), date_css=".newsDate"))
    assert item.published_at is None and item.published_raw == "دیروز"
    assert any(d.startswith("published_at: the date_css element: unknown date layout") for d in item.defects)


def test_date_sources_and_layouts_are_checked_when_the_profile_loads():
    with pytest.raises(ValueError, match="date_sources names no source"):
        generation(date_sources=("toolbar", "header"))
    with pytest.raises(ValueError, match="date_css is None"):
        generation(date_sources=("css",))
    with pytest.raises(ValueError, match="date_layout 'shamsi'"):
        generation(date_layout="shamsi")


# ---- toolbar labels, icon-only and empty labels, Bootstrap suffixes, the site clock ----

def test_a_label_the_cms_does_not_know_is_read_when_the_generation_declares_it():
    item_id = "<div class='news_nav'><span class='news_nav_title'>شناسه خبر: </span>۴۵۶۷۸۹</div>"
    item_date = ("<div class='news_nav'><span class='news_nav_title'>زمان انتشار: </span>"
                 "۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵</div>")
    page = html(col(f"<div class='news_toolbar'>{item_id}{item_date}</div>" + TITLE + BODY))
    assert (read(page, generation()).news_id, read(page, generation()).published_at) == (None, None)
    labelled = generation(id_labels=("شناسه خبر",), date_labels=("زمان انتشار",))
    assert (read(page, labelled).news_id, read(page, labelled).published_at) == (456789, WHEN)


def test_icon_only_and_empty_label_spans_with_bootstrap_suffixes_are_told_by_class():
    # bartarinha 2018: an icon and an empty label span; namehnews 2020: Bootstrap classes after the CMS's.
    toolbar = ("<div class='row news_toolbar'>"
               "<div class='news_nav news_id_c col-xs-36 col-sm-11'><i class='fa fa-barcode'></i>"
               "<span class='news_nav_title'></span>۴۵۶۷۸۹</div>"
               "<div class='news_nav news_pdate_c col-xs-36 col-sm-14 pull-left'><i class='fa fa-calendar'></i>"
               "<span class='news_nav_title'><div class='hidden-ms'></div></span>۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵</div>"
               "<div class='news_nav news_hits'>۵۸۱۶&nbsp;<span class='hidden-xs'>بازدید</span></div></div>")
    item = read(html(col(toolbar + TITLE + BODY)), generation())
    assert (item.news_id, item.published_at, item.published_raw) == (456789, WHEN, "۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵")
    assert item.field_sources["news_id"] == "toolbar"


def test_a_date_item_without_its_class_is_told_by_its_label_and_one_without_a_label_by_its_class():
    # An unnamed site, 2016-12: no news_pdate_c at all; and a bare news_pdate_c with no label span.
    labelled = ("<div class='news_nav col-xs-12 col-md-4 col-lg-5'><span class='news_nav_title'>تاریخ انتشار: "
                "</span>۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵</div>")
    bare = "<div class='news_nav news_pdate_c'>۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۰۵</div>"
    for date in (labelled, bare):
        assert read(html(col(ID + date + TITLE + BODY)), generation()).published_at == WHEN


def test_site_clock_classes_are_the_generations():
    clock = ("<div class='news_nav header_clock'><span class='news_nav_title'>تاریخ انتشار: </span>"
             "۳۰ ارديبهشت ۱۴۰۳ - ۱۸:۰۰</div>")
    page = html(col(clock + ID + DATE + TITLE + BODY))
    assert read(page, generation()).published_at == "2024-05-19T18:00:00+03:30"
    assert read(page, generation(site_clock_classes=frozenset({"header_clock"}))).published_at == WHEN


def test_a_standalone_span_news_id_is_the_id():
    # tabnak 2023: span.news_id holds the id, no label, no news_id_c around it.
    page = html(col("<div class='news_navbox'><span class='news_id'>۱۲۳۶۴۱۸</span>" + DATE + "</div>" + TITLE + BODY))
    item = read(page, generation())
    assert (item.news_id, item.field_sources["news_id"]) == (1236418, "toolbar")


# ---- the category path ----

def test_path_indices_choose_the_service_and_the_category():
    page = html(col(TOOLBAR + "<div class='news_path'><a>تابناک</a> » <a>ورزشی</a> » <a>فوتبال ملی</a></div>"
                    + TITLE + BODY))
    assert (read(page, generation()).service, read(page, generation()).category) == ("تابناک", "ورزشی")
    skip_first = generation(path_service_index=1, path_category_index=2)
    assert (read(page, skip_first).service, read(page, skip_first).category) == ("ورزشی", "فوتبال ملی")
    last_only = generation(path_service_index=None, path_category_index=-1)
    assert (read(page, last_only).service, read(page, last_only).category) == (None, "فوتبال ملی")


def test_path_skip_texts_drop_links_that_are_no_section_compared_folded():
    page = html(col(TOOLBAR + "<div class='news_path'><a>صفحه نخست</a> » <a>سياسی</a> » <a>مجلس</a></div>"
                    + TITLE + BODY))
    item = read(page, generation(path_skip_texts=("صفحه نخست",)))
    assert (item.service, item.category) == ("سياسی", "مجلس")


def test_direct_service_and_category_selectors_win_over_the_path():
    # boursenews 2024: no path, the service and subject are their own links.
    links = "<a class='newsServiceName' href='/fa/s/1'>بازار سرمایه</a><a class='newsSubjectName'>بورس</a>"
    item = read(html(col(TOOLBAR + links + TITLE + BODY)),
                generation(service="a.newsServiceName", category="a.newsSubjectName"))
    assert (item.service, item.category) == ("بازار سرمایه", "بورس")


def test_a_service_element_in_the_path_makes_the_next_link_the_category():
    # jamejamonline 2023: «صفحه نخست» » a.service-name-news » the category.
    crumbs = ("<section class='padd-breadcrumb'><div><a href='/'>صفحه نخست</a> » <a class='service-name-news'>"
              "اجتماعی</a> » <a>آموزش</a></div></section>")
    item = read(html(col(TOOLBAR + crumbs + TITLE + BODY)),
                generation(path_links="section.padd-breadcrumb div a", service="a.service-name-news"))
    assert (item.service, item.category) == ("اجتماعی", "آموزش")


# ---- the body ----

def test_body_parts_take_every_match_in_document_order():
    parts = ("<div class='text-justify'><p>بند اول در جعبه بالای متن.</p></div>"
             "<p style='text-align:justify;'>بند دوم بیرون از بخش متن.</p>"
             "<section class='body'><p>بند سوم درون بخش متن.</p><div class='text-justify'><p>بند چهارم.</p></div>"
             "</section>")
    body = "div.text-justify, p[style='text-align:justify;'], section.body"
    page = html(col(TOOLBAR + TITLE + parts))
    item = read(page, generation(body=body, body_parts=True))
    assert item.body.split("\n\n") == ["بند اول در جعبه بالای متن.", "بند دوم بیرون از بخش متن.",
                                       "بند سوم درون بخش متن.", "بند چهارم."]
    assert read(page, generation(body=body)).body == "بند اول در جعبه بالای متن."


def test_a_generation_drops_its_own_widgets_from_the_body_and_no_other_generation_does():
    body = ("<div class='body'><p>متن خبر که به اندازه کافی بلند است.</p><div class='newsBottomBar'>اشتراک</div>"
            "<div class='advBox'><img src='/files/adv/1.gif'></div></div>")
    page = html(col(TOOLBAR + TITLE + body))
    item = read(page, generation(drop=(".newsBottomBar", ".advBox")))
    assert item.body == "متن خبر که به اندازه کافی بلند است." and item.images == []
    kept = read(page, generation())
    assert "اشتراک" in kept.body and [i["url"] for i in kept.images] == ["https://www.example.ir/files/adv/1.gif"]


def test_no_body_is_a_defect_naming_the_generations_body():
    item = read(html(col(TOOLBAR + TITLE)), generation(body="#newsMainBody"))
    assert item.body is None and "body: the page has no #newsMainBody" in item.defects


# ---- the short link ----

def test_an_input_short_link_is_read_from_its_value():
    # tabnak 2023: <input id="foo" value="https://www.tabnak.ir/0050us">
    box = "<div class='short_link_box'><input id='foo' value='https://www.example.ir/0050us'><button>کپی</button></div>"
    item = read(html(col(TOOLBAR + TITLE + BODY + box)), generation(short_link="input#foo"))
    assert item.short_url == "https://www.example.ir/0050us"


def test_short_link_attr_names_the_attribute_of_a_link():
    link = "<a class='copy' href='#' data-url='/0050us'>لینک کوتاه</a>"
    item = read(html(col(TOOLBAR + TITLE + BODY + link)), generation(short_link="a.copy", short_link_attr="data-url"))
    assert item.short_url == "https://www.example.ir/0050us"


# ---- related news ----

FAMILY_BLOCK = ("<header class='top_title'><span>خبرهای مرتبط</span></header>"
                "<div class='linear_news'><a class='title5' href='/fa/news/818261/پیش‌بینی'>پیش‌بینی افزایش دما</a>"
                "</div><div class='linear_news'><a class='title5' href='/fa/news/456789/خود'>خود همین خبر</a></div>"
                "<div class='linear_news'><a class='title5' href='/fa/news/818244/جزئیات'>جزئیات انتخاب رشته</a></div>")
SIDEBAR_BLOCK = ("<div class='box_news'><header class='top_title'><span>پربیننده ترین</span></header>"
                 "<div class='linear_news'><a class='title5' href='/fa/news/1/x'>خبر پربیننده</a></div></div>")


def test_the_family_related_block_after_the_body_becomes_related_and_a_sidebar_of_the_same_form_does_not():
    page = html(col(TOOLBAR + TITLE + BODY + f"<div class='col-xs-36'>{FAMILY_BLOCK}</div>") + SIDEBAR_BLOCK)
    item = read(page, generation())
    assert item.related == [{"news_id": 818261, "title": "پیش‌بینی افزایش دما"},
                            {"news_id": 818244, "title": "جزئیات انتخاب رشته"}]


def test_related_links_stop_at_the_first_block_that_is_no_link_block():
    block = (FAMILY_BLOCK + "<div class='adv_news'>آگهی</div>"
             "<div class='linear_news'><a href='/fa/news/5/y'>بعدی</a></div>")
    item = read(html(col(TOOLBAR + TITLE + BODY + f"<div>{block}</div>")), generation())
    assert [r["news_id"] for r in item.related] == [818261, 818244]


def test_the_yjc_related_block_whose_heading_fills_its_own_column_reads_the_next_column():
    # real yjc 2019-2020: div.page_title2 alone in one column, div.linear_news3 links in the next.
    block = ("<div class='row'><div class='col-md-6'><div class='page_title2'>مطالب مرتبط</div></div>"
             "<div class='col-md-30'><div class='linear_news3'><a class='title5' href='/fa/news/7349912/x'>نقش مهم"
             "</a></div><div class='linear_news3'><a class='title5' href='/fa/news/7318457/y'>از انهدام باند</a>"
             "</div></div></div>")
    item = read(html(col(TOOLBAR + TITLE + BODY + block)), generation())
    assert [r["news_id"] for r in item.related] == [7349912, 7318457]


def test_the_in_body_read_more_links_come_first_and_a_link_in_both_once():
    body = ("<div class='body'><p>متن خبر که به اندازه کافی بلند است.</p><p>بیشتر بخوانید:</p>"
            "<p><a href='/fa/news/818244/جزئیات'>جزئیات انتخاب رشته</a></p><p>ادامه متن خبر.</p></div>")
    item = read(html(col(TOOLBAR + TITLE + body + f"<div>{FAMILY_BLOCK}</div>")), generation())
    assert [r["news_id"] for r in item.related] == [818244, 818261]
    assert "جزئیات" not in item.body


def test_related_blocks_are_the_generations():
    item = read(html(col(TOOLBAR + TITLE + BODY + f"<div>{FAMILY_BLOCK}</div>")), generation(related_blocks=()))
    assert item.related == []
    own = generation(related_blocks=(("h3.related_title", "اخبار مرتبط", "ul.related a"),))
    block = ("<h3 class='related_title'>اخبار مرتبط</h3><ul class='related'><li><a href='/fa/news/9/z'>خبر مرتبط"
             "</a></li></ul>")
    assert [r["news_id"] for r in read(html(col(TOOLBAR + TITLE + BODY + f"<div>{block}</div>")), own).related] == [9]


# ---- comments ----

def test_comment_selectors_are_the_generations():
    # boursenews 2024: replies in .comm_admin_reply with .cmReplyName span, .cmReplyDate, .cmReplyTxt
    comments = ("<div class='comments_container'><div class='comments_item'><div class='comm_info_name'>رضا</div>"
                "<div class='comm_info_date'>۲۵ ارديبهشت ۱۴۰۳ - ۱۰:۰۰</div><div class='comments'>نظر خواننده</div>"
                "<div class='comm_admin_reply'><div class='cmReplyName'><span>بورس نیوز</span></div>"
                "<div class='cmReplyDate'>۲۵ ارديبهشت ۱۴۰۳ - ۱۱:۳۰</div><div class='cmReplyTxt'>پاسخ تحریریه</div>"
                "</div></div></div>")
    page = html(col(TOOLBAR + TITLE + BODY + comments))
    own = generation(reply=".comm_admin_reply", reply_author=".cmReplyName span", reply_date=".cmReplyDate",
                     reply_text=".cmReplyTxt")
    assert read(page, own).comments == [
        {"author": "رضا", "published_at": "2024-05-14T10:00:00+03:30", "text": "نظر خواننده", "reply_to": None},
        {"author": "بورس نیوز", "published_at": "2024-05-14T11:30:00+03:30", "text": "پاسخ تحریریه", "reply_to": 0}]
    assert [c["author"] for c in read(page, generation()).comments] == ["رضا"]
    dated = generation(comment_date=".date-news-com")  # yjc 2023+
    yjc = comments.replace("comm_info_date", "date-news-com")
    assert read(html(col(TOOLBAR + TITLE + BODY + yjc)), dated).comments[0]["published_at"] == (
        "2024-05-14T10:00:00+03:30")


# ---- images in the 2025 form ----

MEDIA = "https://cdn.example.ir/media/f920c369ZTp3ZWJwfGY6MjU5MTc1OC5qcGd8ZnVpOjI0NzU1NzF8bDpmYXx2OjE.webp"
MEDIA_2 = "https://cdn.example.ir/media/89730f03ZTp3ZWJwfGY6MjM4OTUwMi5qcGd8ZnVpOjIzNjI3MzZ8bDpmYXx2OjF8dzo1MDg.webp"


def test_the_2025_media_urls_are_images_lead_and_in_body():
    body = (f"<div class='body'><p>متن خبر که به اندازه کافی بلند است.</p><p><img data-src='{MEDIA_2}' src='/x.gif'>"
            f"</p><p><a href='{MEDIA}'><img src='{MEDIA_2}?w=300'></a></p></div>")
    item = read(html(col(TOOLBAR + TITLE + f"<img class='lead_image' src='{MEDIA}'>" + body)), generation())
    assert item.lead_image == MEDIA
    assert [i["url"] for i in item.images] == [MEDIA_2, MEDIA]


def test_a_relative_media_url_is_resolved_on_the_sites_own_host():
    path = MEDIA.split("cdn.example.ir", 1)[1]
    item = read(html(col(TOOLBAR + TITLE + f"<img class='lead_image' data-src='{path}'>" + BODY)), generation())
    assert item.lead_image == f"https://www.example.ir{path}"


# ---- a site no profile describes ----

def test_a_profile_without_generations_reads_with_the_generic_reader_under_its_own_name_and_host():
    unknown = site(name="unknown", base_url="https://www.unknown.ir")
    page = html(SIDEBAR + col(TOOLBAR + TITLE + BODY + f"<div>{FAMILY_BLOCK}</div>", root="news_content"))
    item = article.parse_article(page, "https://www.unknown.ir/fa/news/456789/slug", profile=unknown)
    assert item.parser_version == "iransamaneh/3:generic"
    assert (item.site, item.news_id, item.url) == ("unknown", 456789, "https://www.unknown.ir/fa/news/456789")
    assert (item.title, item.published_at) == ("عنوان خبر", WHEN)
    assert [r["news_id"] for r in item.related] == [818261, 818244] and not item.defects


def test_the_generic_reader_finds_an_inline_style_root_and_page_level_fields():
    page = html(SIDEBAR + PATH + TOOLBAR + TAGS + f"<div class='margin_bt_fari'><div style='direction: rtl;'>{TITLE}"
                f"<div class='subtitle'>لید خبر</div>{BODY}</div></div>")
    item = article.parse_article(page, None, profile=site())
    assert item.parser_version.endswith(":generic")
    assert (item.news_id, item.published_at, item.title, item.lead) == (456789, WHEN, "عنوان خبر", "لید خبر")
    assert (item.service, item.category, item.tags) == ("اقتصادی", "راه و مسکن", ["خط آهن", "کریدور"])


def test_the_generic_reader_is_written_once_not_merged_from_profiles():
    assert GENERIC.generation == "generic" and GENERIC.detect is None
    with pytest.raises(NotAnArticle, match="no article markup"):
        article.parse_article(html("<div class='x'><p>یک صفحه بی خبر</p></div>"), None, profile=site())
