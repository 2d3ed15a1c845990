"""Every field from independent signals: the toolbar read by label and shape, page metadata as a
second source, disagreements reported, one bad field never sinking the article, explicit markup
generations. Each test removes or changes one signal and shows what it alone decides."""

import json

import pytest

from newscrawl.replay.fixtures import FIXTURES_DIR, fixture_pages, load_expected
from newscrawl.replay.pages import read_page
from newscrawl.replay.processor import Processor
from newscrawl.sites import PROFILES, parse_page
from newscrawl.sites.iransamaneh import article, markup

TABNAK = FIXTURES_DIR / "tabnak/news/818300.html"  # authored, faithful to the real 2018 page
HEADER_PDATE = FIXTURES_DIR / "asriran-forms/news/1150510.html"
STALE_JSON_LD = FIXTURES_DIR / "asriran-forms/news/1150511.html"
BODY = "<div class='body'><p>متن خبر که به اندازه کافی بلند است تا یک بند باشد.</p></div>"


def page(toolbar: str = "", head: str = "", title: str = "<h1 class='title'><a>عنوان خبر</a></h1>",
         body: str = BODY, header: str = "") -> str:
    return (f"<html><head>{head}</head><body id='news'>{header}<div class='col1-news'>"
            f"<div class='news_toolbar'>{toolbar}</div>{title}{body}</div></body></html>")


def parse(html: str, url: str | None = None):
    return parse_page(html, url, site="asriran")


# ---- the toolbar: label text and content shape ----

@pytest.mark.parametrize("item, raw", [
    ("<div class='news_nav news_pdate_c'><span class='news_nav_title'>تاریخ انتشار: </span>۱۴:۰۵ - ۱۸-۰۲-۱۴۰۴</div>",
     "۱۴:۰۵ - ۱۸-۰۲-۱۴۰۴"),
    # asriran from 2022: the toolbar item is news_nav header_pdate, label as text
    ("<div class='news_nav header_pdate'>تاریخ انتشار: ۱۴:۰۵ - ۱۸-۰۲-۱۴۰۴</div>", "۱۴:۰۵ - ۱۸-۰۲-۱۴۰۴"),
    # the mobile label «انتشار:» alone
    ("<div class='news_nav header_pdate_mobile'>انتشار: ۱۴:۰۵ - ۱۸-۰۲-۱۴۰۴</div>", "۱۴:۰۵ - ۱۸-۰۲-۱۴۰۴"),
    # an item class nobody has seen, told by its label span (tabnak's span.news_title) and a .fa_date
    # of any tag (the real <sapn>), the Gregorian en_date beside it
    ("<div class='date_box'><span class='news_title'>تاریخ انتشار: </span>"
     "<sapn class='fa_date'>۳۰ تير ۱۳۹۷ - ۰۰:۲۰</sapn>"
     "<span class='en_date'> 21 July 2018 </span></div>", "۳۰ تير ۱۳۹۷ - ۰۰:۲۰"),
])
def test_the_publish_date_is_read_from_any_toolbar_form(item, raw):
    result = parse(page(item))
    assert result.published_raw == raw
    assert result.field_sources["published_at"] == "toolbar"
    assert result.published_at.endswith(("+03:30", "+04:30"))


def test_a_fa_date_of_any_tag_is_the_value_whatever_else_the_item_holds():
    item = ("<div class='news_nav news_pdate_c'><span class='news_title'>تاریخ انتشار: </span>"
            "<sapn class='fa_date'>۳۰ تير ۱۳۹۷ - ۰۰:۲۰</sapn><span class='gregorian'>2018-07-21 00:20</span></div>")
    result = parse(page(item))
    assert (result.published_raw, result.published_at) == ("۳۰ تير ۱۳۹۷ - ۰۰:۲۰", "2018-07-21T00:20:00+04:30")


@pytest.mark.parametrize("item", [
    "<div class='news_nav news_id_c'><span class='news_nav_title'>کد خبر: </span>۵۶۰۷</div>",
    "<div class='news_id_c'><span class='news_title'>کد خبر: </span> ۵۶۰۷ </div>",  # tabnak 2018
    "<div class='news_nav news_id_c'>کد خبر ۵۶۰۷</div>",  # asriran 2024 text: no colon
    "<div class='news_nav news_id_c_mobile'>کد ۵۶۰۷</div>",  # its mobile copy
    "<div class='info_box'><span class='news_nav_title'>کد خبر</span> ۵۶۰۷</div>",  # unseen class
])
def test_the_news_id_is_read_from_any_toolbar_form(item):
    result = parse(page(item))  # no URL: the toolbar is the only source of the id
    assert result.news_id == 5607
    assert result.field_sources["news_id"] == "toolbar"


def test_a_labelled_value_of_the_wrong_shape_is_not_taken():
    result = parse(page("<div class='news_nav news_id_c'><span class='news_nav_title'>کد خبر: </span>ندارد</div>"
                        "<div class='news_nav news_pdate_c'><span class='news_nav_title'>تاریخ انتشار: </span>"
                        "۱۴۰۴</div>"))
    assert result.news_id is None and result.published_at is None


def test_the_site_clock_is_never_the_article_date():
    clock = ("<div class='header_pdate'>جمعه ۱۹ اردیبهشت ۱۴۰۴</div>"
             "<div class='update_date'>به روز شده در: ۱۹ اردیبهشت ۱۴۰۴ - ۰۹:۴۷</div>"
             "<div class='today_date'>۲۱ : ۱۸ - جمعه ۲۱ تير ۱۳۹۸</div>"
             "<div class='last_update'>بهروز شده در: ۱۲:۳۶</div>")
    result = parse(page(clock, header=clock), "https://www.asriran.com/fa/news/5607")
    assert result.published_at is None and "published_at" not in result.field_sources
    outcome = Processor().process(page(clock, header=clock), "https://www.asriran.com/fa/news/5607")
    assert any(r.startswith("published_at: no article date") for r in outcome.quarantined["reasons"])


def test_the_header_pdate_toolbar_beats_the_header_clock_on_the_authored_page():
    result = parse(read_page(HEADER_PDATE))
    assert result.published_at == "2025-05-08T14:05:00+03:30"  # not the header's «جمعه ۱۹ اردیبهشت ۱۴۰۴»
    assert result.news_id == 1150510 and result.parser_version.endswith(":header_pdate")
    assert not result.warnings and not result.defects


def test_the_2018_tabnak_page_is_an_article_now():
    outcome = Processor().process(read_page(TABNAK), "https://www.tabnak.ir/fa/news/818300")
    item = outcome.article
    assert item is not None, outcome.quarantined
    assert (item.news_id, item.published_at) == (818300, "2018-07-21T07:45:00+04:30")
    assert item.field_sources["published_at"] == item.field_sources["news_id"] == "toolbar"


# ---- page metadata: the second source ----

LD = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
      '"headLine": "عنوان خبر", "datePublished": "2018-07-21T00:20:18+04:30"}</script>')


def test_json_ld_date_publishes_when_the_toolbar_has_none():
    result = parse(page(head=LD), "https://www.asriran.com/fa/news/818242")
    assert result.published_at == "2018-07-21T00:20:18+04:30"
    assert result.published_at_jalali == "1397-04-30T00:20:18"
    assert result.field_sources["published_at"] == "jsonld"


def test_article_published_time_in_jalali_is_the_third_date_source():
    head = '<meta property="article:published_time" content="۱۳۹۷/۰۴/۳۰ - ۰۰:۲۰">'
    result = parse(page(head=head), "https://www.asriran.com/fa/news/818242")
    assert result.published_at == "2018-07-21T00:20:00+04:30"
    assert result.field_sources["published_at"] == "article:published_time"


@pytest.mark.parametrize("name", ["og:url", "dc.identifier"])
def test_the_id_comes_from_og_url_or_dc_identifier(name):
    attr = "property" if name.startswith("og") else "name"
    result = parse(page(head=f'<meta {attr}="{name}" content="http://www.tabnak.ir/fa/news/818242">'))
    assert result.news_id == 818242 and result.field_sources["news_id"] == name


def test_og_image_and_description_fill_what_the_markup_lacks():
    head = ('<meta name="description" content="خلاصه خبر از متا">'
            '<meta property="og:image" content="https://cdn.asriran.com/files/fa/news/1404/1/1/1_1.jpg">')
    result = parse(page(head=head))
    assert result.lead == "خلاصه خبر از متا" and result.field_sources["lead"] == "meta:description"
    assert result.lead_image.endswith("/1_1.jpg") and result.field_sources["lead_image"] == "og:image"


def test_a_meta_with_broken_quotes_gives_nothing_and_never_crashes():
    head = '<meta name="description" content="پست جدید "غیرقانونی" اعلام شد/آشنا: رابطه">'
    result = parse(page(head=head), "https://www.asriran.com/fa/news/5607")
    assert result.lead is None
    assert any("broken attributes" in w for w in result.warnings)
    tabnak = parse_page(read_page(TABNAK), None, site="tabnak")
    assert '"غیرمجاز"' in tabnak.lead and "اعلام شد" in tabnak.lead  # from div.subtitle, whole
    assert sum("broken attributes" in w for w in tabnak.warnings) == 3


def test_a_json_ld_date_an_hour_off_is_a_warning_and_the_article_is_written():
    outcome = Processor().process(read_page(STALE_JSON_LD), None)
    assert outcome.article is not None
    assert outcome.article.published_at == "2025-05-08T14:05:00+03:30"  # the toolbar's
    assert outcome.article.warnings == [
        "published_at: the toolbar says 2025-05-08T14:05:00+03:30 but the jsonld says "
        "2025-05-08T13:05:00+03:30"]


def test_a_json_ld_date_days_off_is_a_defect():
    html = read_page(HEADER_PDATE).replace('"datePublished": "2025-05-08', '"datePublished": "2025-04-01')
    outcome = Processor().process(html, None)
    assert any(r.startswith("published_at: the toolbar says") for r in outcome.quarantined["reasons"])


def test_an_unreadable_toolbar_date_falls_back_to_json_ld_with_a_warning():
    item = ("<div class='news_nav news_pdate_c'><span class='news_nav_title'>تاریخ انتشار: </span>"
            "۰۰:۲۰ - ۳۲ تير ۱۳۹۷</div>")
    result = parse(page(item, head=LD))
    assert result.published_at == "2018-07-21T00:20:18+04:30" and result.field_sources["published_at"] == "jsonld"
    assert not result.defects and result.warnings[0].startswith("published_at: the toolbar's date is unreadable")
    assert parse(page(item)).defects[0].startswith("published_at: no such Jalali date-time")


def test_the_toolbar_gregorian_copy_is_checked_against_the_date():
    tabnak = read_page(TABNAK)
    assert not [w for w in parse_page(tabnak, None, site="tabnak").warnings if w.startswith("published_at")]
    shifted = parse_page(tabnak.replace("21 July 2018", "22 July 2018"), None, site="tabnak")
    assert [w for w in shifted.warnings if w.startswith("published_at")] == [
        "published_at: the toolbar's Gregorian date '22 July 2018' is not the day of 2018-07-21T07:45:00+04:30"]


def test_a_page_id_other_than_og_url_is_a_defect():
    html = read_page(HEADER_PDATE).replace('fa/news/1150510">', 'fa/news/1150999">', 1)
    result = parse(html)
    assert result.defects == ["news_id: the toolbar says 1150510 but the og:url says 1150999"]


def test_a_headline_other_than_json_ld_headline_is_a_warning():
    result = parse(page(head=LD.replace("عنوان خبر", "خبری دیگر")))
    assert any(w.startswith("title: the page's h1 and JSON-LD headLine differ") for w in result.warnings)
    assert not parse(page(head=LD)).warnings


# ---- one bad field never sinks the article ----

@pytest.mark.parametrize("field", list(article.FIELD_READERS))
def test_each_field_survives_the_others_raising(field, monkeypatch):
    html = read_page(HEADER_PDATE)
    good = parse(html)

    def broken(p, item):
        raise RuntimeError("boom")

    monkeypatch.setitem(article.FIELD_READERS, field, broken)
    result = parse(html)
    assert result.defects == [f"{field}: parser: RuntimeError: boom"]
    owned = {"category": ("service", "category"), "body": ("body", "images", "videos", "related"),
             "published_at": ("published_at", "published_at_jalali", "published_raw"),
             "news_id": ("news_id", "url")}.get(field, (field,))
    for name in ("news_id", "url", "title", "supertitle", "lead", "published_at", "service", "category",
                 "tags", "lead_image", "short_url", "comments", "body", "images", "related"):
        if name not in owned:
            assert getattr(result, name) == getattr(good, name), name


def test_there_is_no_whole_page_fallback():
    result = parse(page(body="<div class='body'><p>بند</p></div>") + "<")
    assert result.title == "عنوان خبر"


# ---- markup generations ----

def test_every_generation_of_a_site_with_saved_pages_has_a_fixture():
    """A site with pages of its own in fixtures/ has one for each of its generations, saved or a pattern page
    (fixtures/<site>-patterns/). (The sites known from selectors only are read on pages of their markup
    pattern built with their own facts, tests/test_family_patterns.py.)"""
    expected = [load_expected(p) or {} for p in fixture_pages()]
    seen = {(e.get("site"), e.get("parser_version", "").rsplit(":", 1)[-1]) for e in expected}
    saved = {site for site, _ in seen}
    missing = [(site, m.generation) for site, profile in PROFILES.items() if site in saved
               for m in profile.generations if (site, m.generation) not in seen]
    assert len(saved) >= 6 and not missing, f"markup generations without a fixture: {missing}"


def test_the_generation_comes_from_markup_not_from_the_date():
    assert parse(page()).parser_version.endswith(":generic")
    html = page("<div class='news_nav header_pdate'>تاریخ انتشار: ۲۲:۴۰ - ۰۲ فروردين ۱۳۹۹</div>")
    assert parse(html).parser_version.endswith(":header_pdate")


def test_generations_are_derived_from_the_cms_markup():
    gen = {m.generation: m for m in PROFILES["yjc"].generations}
    assert gen["2019-htags"].body == markup.CMS.body and gen["2019-htags"].title != markup.CMS.title


# ---- provenance in the run's stats and report ----

class _Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count


def test_field_sources_are_counted_and_reported():
    from newscrawl.extensions.run_report import one_screen, summarize
    from newscrawl.pipelines.field_stats import FieldStatsPipeline

    stats = _Stats()
    pipeline = FieldStatsPipeline(stats)
    pipeline.process_item(parse(read_page(STALE_JSON_LD)))
    pipeline.process_item(parse(page(head=LD), "https://www.asriran.com/fa/news/818242"))
    assert stats["newscrawl/field_source/published_at/toolbar"] == 1
    assert stats["newscrawl/field_source/published_at/jsonld"] == 1
    assert stats["newscrawl/generation/header_pdate"] == 1
    assert stats["newscrawl/warnings/published_at"] == 1
    summary = summarize(dict(stats), "finished")
    assert summary["field_sources"]["published_at"] == {"jsonld": 1, "toolbar": 1}
    screen = one_screen(summary)
    assert "published_at jsonld 1, toolbar 1" in screen and "sources disagree: published_at 1" in screen
    json.dumps(summary)


def test_how_many_fixture_fields_each_source_fills():
    counts = fixture_field_sources()
    assert counts["toolbar"] >= 2 * 20 and counts["og:image"] >= 2


def fixture_field_sources() -> dict[str, int]:
    """source -> how many fields of the fixture articles it fills."""
    from newscrawl.replay.pages import url_for_path

    counts: dict[str, int] = {}
    for p in fixture_pages():
        outcome = Processor().process(read_page(p), url_for_path(p))
        item = outcome.article
        if item is None:
            continue
        for source in item.field_sources.values():
            counts[source] = counts.get(source, 0) + 1
    return dict(sorted(counts.items()))


# ---- bodies keep their structure ----

def test_subheads_lists_blockquotes_and_tables_keep_their_structure():
    body = ("<div class='body'><p>بند نخست خبر.</p><h2>میان‌تیتر</h2><ul><li>مورد یک</li><li>مورد <b>دو</b></li></ul>"
            "<blockquote>نقل قولی از یک مقام.</blockquote>"
            "<table><tr><th>شهر</th><th>دما</th></tr><tr><td>تهران</td><td>۲۴</td></tr></table>"
            "<p>بند پایانی.</p></div>")
    result = parse(page(body=body), "https://www.asriran.com/fa/news/5607")
    assert result.body.split("\n\n") == ["بند نخست خبر.", "میان‌تیتر", "مورد یک", "مورد دو",
                                         "نقل قولی از یک مقام.", "شهر | دما", "تهران | ۲۴", "بند پایانی."]


def test_a_video_poster_is_not_an_image():
    body = ("<div class='body'><p>بند خبر.</p><video controls poster='https://cdn.asriran.com/files/p.jpg'>"
            "<source src='https://cdn.asriran.com/files/v.mp4' type='video/mp4'></video></div>")
    result = parse(page(body=body))
    assert result.images == [] and result.videos == ["https://cdn.asriran.com/files/v.mp4"]


def test_a_sites_sign_off_is_boilerplate_on_that_site_only():
    body = "<div class='body'><p>بند خبر.</p><p>انتهای پیام/ی</p></div>"
    assert parse_page(page(body=body), None, site="yjc").body == "بند خبر."
    assert parse(page(body=body)).body == "بند خبر.\n\nانتهای پیام/ی"  # asriran declares none
    real = parse_page(read_page(FIXTURES_DIR / "yjc/news/6998600.html"), None, site="yjc")
    assert "انتهای پیام" not in real.body and real.body.count("\n\n") >= 15
