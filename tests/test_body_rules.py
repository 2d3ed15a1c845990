"""The body cleaner's two hardest rules, one rule per test, on small snippets in the shape of the
fixture pages (fixtures/asriran/news/*.html), built from the CMS's own selectors (markup.py).

- **The related block** («بیشتر بخوانید», body.py `_take_related`): a heading and its links, with the
  `-----` rule before it, are taken out of the body and kept as `related` data; a bare rule followed
  by link-only blocks counts too. Forms: 2014 `<p>-----</p><p>بیشتر بخوانید:</p><p><a/></p>…`, 2020
  the heading in a `<strong>` inside a `<p>` after `<p>------</p>`, 2023 `<div><strong>heading</strong>
  <ul><li><a/></li>…</ul></div>`, 2024 `div.more_news` with a title div and a list div of links.
- **The cut marker** (`_cut_after_marker`): everything from `#MV_afterBody` to the end of the body
  is widgets, never article text.
- **A site's boilerplate** (`SiteProfile.boilerplate_exact`, `boilerplate_patterns`): a block whose
  whole folded text is an exact text, or which a pattern matches, is dropped, whatever letter it
  starts with.

Each snippet goes through `clean_body` the way `read_body` hands it the page's own `div.body` (and a
photo page's album), so the tests hold whatever the rules' private functions come to be called.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from parsel import Selector

from newscrawl.sites import PROFILES
from newscrawl.sites.iransamaneh import body, markup
from newscrawl.sites.iransamaneh.body import CleanBody, clean_body
from newscrawl.sites.profiles import SiteProfile
from newscrawl.sites.query import Query
from newscrawl.text import fold

PROFILE = PROFILES["asriran"]
NEWS_ID = 719860
HEADING = markup.RELATED_HEADING_TEXT  # «بیشتر بخوانید»
BODY = Query(markup.CMS.body)
ALBUM = Query(markup.CMS.album)


def element(css: str, inner: str = "") -> str:
    """The element a simple selector of markup.py names: `div.body` -> <div class="body">…</div>,
    `#MV_afterBody` -> <div id="MV_afterBody">…</div>."""
    if css.startswith("#"):
        return f'<div id="{css[1:]}">{inner}</div>'
    tag, _, cls = css.partition(".")
    return f'<{tag} class="{cls}">{inner}</{tag}>'


def clean(body_html: str, after_body: str = "", news_id: int = NEWS_ID, profile: SiteProfile = PROFILE) -> CleanBody:
    """Clean `body_html` as the page's div.body inside the article column (and `after_body` beside it,
    where a photo page's album sits), the way read_body does."""
    column = element(markup.CMS.article_root, element(markup.CMS.body, body_html) + after_body)
    root = Selector(text=f"<html><body>{column}</body></html>").root
    parts = [BODY.first(root)]
    album = ALBUM.first(root)
    if album is not None and album not in parts[0].iter():
        parts.append(album)
    wrapper = root.makeelement("div")
    for part in parts:
        part.tail = None
        wrapper.append(part)
    return clean_body(wrapper, profile, news_id)


def p(text: str) -> str:
    return f"<p>{text}</p>"


def link(news_id: int, title: str, href: str | None = None) -> str:
    return f'<a href="{href or f"/fa/news/{news_id}/slug"}" target="_blank">{title}</a>'


# The article's own paragraphs (719860's shape: prose, a few sentences each).
ARTICLE = [
    "عضو کمیسیون بهداشت مجلس گفت: تصمیم درباره تعطیلی مدارس باید بر اساس نظر کارشناسان گرفته شود.",
    "او افزود: کمبود ماسک و مواد ضدعفونی‌کننده در داروخانه‌ها هنوز به طور کامل برطرف نشده است.",
    "بر اساس آخرین آمار اعلام‌شده، شمار مبتلایان قطعی در کشور از ۲۰ هزار نفر گذشته است.",
]
TEXT = "".join(p(t) for t in ARTICLE)
RELATED = [
    {"news_id": 719812, "title": "پلیس راه: ترافیک در محورهای هراز و فیروزکوه سنگین است"},
    {"news_id": 719788, "title": "وزیر بهداشت: اوج شیوع کرونا را هنوز پشت سر نگذاشته‌ایم"},
    {"news_id": 719731, "title": "سخنگوی دولت: تصمیم درباره بازگشایی ادارات هفته آینده اعلام می‌شود"},
]
LINKS = [link(r["news_id"], r["title"]) for r in RELATED]
CUT = element(markup.CUT_AT)
# A widget after the marker (917512's «سال پیش در چنین روزی» box): links to other articles.
WIDGET = ('<div class="years_ago"><div class="years_ago_title">۱۵ سال پیش در چنین روزی</div><ul>'
          f'<li>{link(52841, "دیدار اوباما و بوش در کاخ سفید برای انتقال قدرت")}</li>'
          f'<li>{link(52797, "قیمت نفت خام به پایین‌ترین سطح چهار سال اخیر رسید")}</li></ul></div>')


# ---- The related block: where it is taken -------------------------------------------------------


def test_related_2014_rule_heading_paragraph_and_one_link_per_paragraph():
    # 337590: «-----», the heading as bare text in a <p>, links in three href styles.
    hrefs = [
        "http://www.asriran.com/fa/news/719812/%D9%BE%D9%84%DB%8C%D8%B3-%D8%B1%D8%A7%D9%87",  # percent-encoded
        "http://www.asriran.com/fa/news/719788/وزیر-بهداشت-اوج-شیوع-کرونا",  # raw slug
        "http://www.asriran.com/fa/news/719731",  # no slug
    ]
    block = p("-----") + p(f"{HEADING}:") + "".join(
        p(link(r["news_id"], r["title"], href)) for r, href in zip(RELATED, hrefs, strict=True))
    result = clean(TEXT + block)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_related_2020_heading_in_a_strong_inside_a_paragraph_after_the_rule():
    # 719860: <p>------</p><p><strong>بیشتر بخوانید:</strong></p><p><a/></p>…, then the marker.
    block = p("------") + p(f"<strong>{HEADING}:</strong>") + "".join(p(a) for a in LINKS)
    result = clean(TEXT + block + CUT)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_related_2023_heading_in_a_div_with_a_list_of_links():
    # 850412: <div><strong>بیشتر بخوانید:</strong><ul><li><a/></li>…</ul></div> before the marker.
    block = f"<div><strong>{HEADING}:</strong><ul>" + "".join(f"<li>{a}</li>" for a in LINKS) + "</ul></div>"
    result = clean(TEXT + block + CUT)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_related_2024_title_div_and_list_div():
    # 1077602: div.more_news > div.more_news_title «بیشتر بخوانید:» + div.more_news_list of bare links.
    block = (f'<div class="more_news"><div class="more_news_title">{HEADING}:</div>'
             f'<div class="more_news_list">{"".join(LINKS)}</div></div>')
    result = clean(TEXT + block)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_related_heading_with_arabic_yeh_is_the_same_heading():
    # «بيشتر بخوانيد» with Arabic ي, as 2020 pages spell some words.
    block = p(f"<strong>{HEADING.replace('ی', 'ي')}:</strong>") + "".join(p(a) for a in LINKS)
    result = clean(TEXT + block)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_related_heading_after_a_direction_mark_is_the_same_heading():
    # «\u200fبیشتر بخوانید»: a right-to-left mark typed before the heading (text.fold drops it).
    block = p(f"<strong>\u200f{HEADING}:</strong>") + "".join(p(a) for a in LINKS)
    result = clean(TEXT + block)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_a_dropped_block_after_a_direction_mark_is_dropped():
    # The CMS's «ارسال به دوستان» widget text with a left-to-right or right-to-left mark before it.
    phrase = markup.DROP_BLOCK_PREFIXES[0]
    result = clean(TEXT + p(f"\u200e{phrase}") + p(f"\u200f{phrase}"))
    assert result.paragraphs == ARTICLE


def test_related_heading_with_the_rule_in_the_same_paragraph():
    result = clean(TEXT + p(f"-- {HEADING}") + "".join(p(a) for a in LINKS))
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


# How a block starts is read from its first words only (body.py _starts_with_heading, _is_rule), the
# same answer as from its whole folded text: on random blocks, and at the edges on whole bodies.

_PIECES = ["-", "--", "ـــ", "—", " ", "  ", "\u200f", "\u200c", "بیشتر", "بيشتر", "بخوانید", "بخوانيد", ":",
           HEADING, f"-- {HEADING}", "=====", "..", "*", "خبر", "x", "", "\n"]


def _random_block(rng):
    """A <div> of text and 1-3 children with text and tails made of the pieces, nested now and then."""
    def text():
        return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 4)))

    def element(depth):
        tag = rng.choice(["div", "span", "b"])
        inner = "".join(element(depth + 1) if depth < 2 and rng.random() < 0.3 else f"<i>{text()}</i>{text()}"
                        for _ in range(rng.randint(1, 3)))
        return f"<{tag}>{text()}{inner}</{tag}>"

    return Selector(text=f"<div>{element(0)}</div>").root.xpath("//body/div")[0]


def test_the_start_tests_decide_as_the_whole_folded_text_does():
    rng = random.Random(5)
    heading, rule = re.compile(markup.RELATED_HEADING), re.compile(markup.RULE)
    found = {"heading": 0, "rule": 0}
    for _ in range(3000):
        el = _random_block(rng)
        whole = fold(el.text_content())
        assert body._starts_with_heading(el) == bool(heading.match(whole)), whole
        assert body._is_rule(el) == bool(rule.match(whole)), whole
        found["heading"] += bool(heading.match(whole))
        found["rule"] += bool(rule.match(whole))
    assert found["heading"] > 100 and found["rule"] > 10  # both answers are tried


def test_related_heading_behind_a_long_dash_run():
    # more dashes than the heading has letters before it, in its text node
    block = p("-" * 40 + f" {HEADING}:") + "".join(p(a) for a in LINKS)
    result = clean(TEXT + block)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_a_rule_in_several_nodes_before_the_heading_goes_with_it_and_a_rule_then_words_stays():
    block = p(f"<strong>{HEADING}:</strong>") + "".join(p(a) for a in LINKS)
    result = clean(TEXT + p("--<span>--</span>--") + block)
    assert result.paragraphs == ARTICLE and result.related == RELATED
    result = clean(TEXT + p("----<span> پایان</span>") + block)
    assert result.paragraphs == [*ARTICLE, "---- پایان"] and result.related == RELATED


def test_related_links_after_the_heading_separated_by_br_in_one_paragraph():
    block = p(f"<strong>{HEADING}:</strong><br>" + "<br>".join(LINKS))
    result = clean(TEXT + block)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_related_bare_rule_followed_by_link_only_paragraphs():
    # No heading at all: the rule and the link-only paragraphs after it are the block.
    result = clean(TEXT + p("------") + "".join(p(a) for a in LINKS))
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_related_block_after_the_cut_marker_is_still_data():
    # 917512: the block sits among the widgets after #MV_afterBody; it is taken before the cut.
    block = f"<div><strong>{HEADING}:</strong><ul>" + "".join(f"<li>{a}</li>" for a in LINKS) + "</ul></div>"
    result = clean(TEXT + CUT + block + WIDGET)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


def test_related_leaves_out_the_article_itself_and_repeats():
    links = [link(NEWS_ID, "همین خبر با عنوانی دیگر"), *LINKS, LINKS[0]]
    result = clean(TEXT + p(f"<strong>{HEADING}:</strong>") + "".join(p(a) for a in links))
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED


# ---- The related block: where it stops, and what is not one -------------------------------------


def test_related_heading_run_stops_at_the_first_paragraph_that_is_not_a_lone_link():
    after = "گفتنی است دور بعدی مذاکرات اواسط خرداد برگزار خواهد شد."
    result = clean(TEXT + p(f"<strong>{HEADING}:</strong>") + p(LINKS[0]) + p(after))
    assert result.paragraphs == [*ARTICLE, after]
    assert result.related == RELATED[:1]


def test_related_heading_run_does_not_take_a_block_of_several_links():
    # A heading alone takes one link per block: a list of several links after its own (a widget) is
    # not part of it. Here the widget is the years-ago box, which the asriran profile drops by text.
    result = clean(TEXT + p(f"<strong>{HEADING}:</strong>") + "".join(p(a) for a in LINKS[:2]) + WIDGET)
    assert result.paragraphs == ARTICLE
    assert result.related == RELATED[:2]


def test_related_heading_words_mid_paragraph_keep_the_paragraph():
    said = "رئیس نمایشگاه گفت: شعار امسال «بیشتر بخوانید، کمتر بنویسید» است و غرفه‌ها بر همین اساس چیده شده‌اند."
    result = clean(TEXT + p(said) + p(LINKS[0]))
    assert result.paragraphs == [*ARTICLE, said, RELATED[0]["title"]]
    assert result.related == []


def test_related_prose_with_an_inline_link_after_a_heading_stays():
    # 850412's prose link («بر اساس <a>گزارش‌های رسمی</a>، …») is not a lone link.
    prose = f"بر اساس {link(848112, 'گزارش‌های رسمی')}، تورم گروه گوشت و مرغ بالاتر از میانگین بوده است."
    result = clean(TEXT + p(f"<strong>{HEADING}:</strong>") + p(prose))
    assert result.paragraphs == [*ARTICLE, "بر اساس گزارش‌های رسمی، تورم گروه گوشت و مرغ بالاتر از میانگین بوده است."]
    assert result.related == []


def test_related_rule_followed_by_prose_is_only_a_rule():
    after = "در ادامه این گزارش، نظر کارشناسان را می‌خوانید."
    result = clean(TEXT + p("------") + p(after))
    assert result.paragraphs == [*ARTICLE, after]  # the rule line itself is never a paragraph
    assert result.related == []


def test_related_a_lone_link_paragraph_without_heading_or_rule_stays():
    result = clean(TEXT + p(LINKS[0]))
    assert result.paragraphs == [*ARTICLE, RELATED[0]["title"]]
    assert result.related == []


def test_related_a_prose_paragraph_that_starts_with_the_heading_words_stays():
    prose = f"{HEADING} تا بدانید چرا قیمت کتاب در یک سال دو برابر شده و ناشران چه راهی پیش رو دارند."
    result = clean(TEXT + p(prose))
    assert result.paragraphs == [*ARTICLE, prose]
    assert result.related == []


def test_related_heading_words_in_a_strong_mid_paragraph_stay():
    said = f"کارشناس گفت: <strong>{HEADING} و کمتر بنویسید</strong> شعار نمایشگاه امسال است."
    result = clean(TEXT + p(said))
    assert result.paragraphs == [*ARTICLE, f"کارشناس گفت: {HEADING} و کمتر بنویسید شعار نمایشگاه امسال است."]
    assert result.related == []


# ---- The cut marker -----------------------------------------------------------------------------


def test_cut_everything_after_the_marker_goes():
    # 719860: the Telegram promo and div.news_end after #MV_afterBody; here text a rule would keep.
    widgets = p("این متن پس از نشانه است و هیچ قاعده دیگری آن را حذف نمی‌کند.") + "<div>ویجت دیگر</div>"
    result = clean(TEXT + CUT + widgets)
    assert result.paragraphs == ARTICLE
    assert result.related == []


def test_cut_takes_the_text_right_after_the_marker_too():
    result = clean(TEXT + CUT + "متن بی‌تگ پس از نشانه")
    assert result.paragraphs == ARTICLE


def test_cut_marker_nested_cuts_at_every_level_up_to_the_body():
    nested = "<div>" + TEXT + CUT + p("ویجت درون همان بلوک") + "</div>" + p("ویجت پس از بلوک")
    result = clean(nested)
    assert result.paragraphs == ARTICLE


def test_cut_at_the_first_of_two_markers():
    result = clean(TEXT + CUT + p("ویجت یک") + CUT + p("ویجت دو"))
    assert result.paragraphs == ARTICLE


def test_cut_marker_at_the_very_start_leaves_an_empty_body():
    # By the rule everything after the marker is widgets: a body that opens with it has no text,
    # and the page is then quarantined for its empty body rather than written with widget text.
    result = clean(CUT + TEXT)
    assert result.paragraphs == []
    assert result.text == ""


def test_cut_marker_at_the_very_end_loses_nothing():
    result = clean(TEXT + CUT)
    assert result.paragraphs == ARTICLE


def test_cut_absent_keeps_the_whole_body():
    last = "این پاراگراف آخر خبر است و نشانه‌ای پس از آن نیامده است."
    result = clean(TEXT + p(last))
    assert result.paragraphs == [*ARTICLE, last]


def test_cut_stops_at_the_body_the_album_beside_it_stays():
    # 719877: a photo page's div.album_listi sits after div.body; the cut is inside the body only.
    album = element(markup.CMS.album, '<div class="image_set"><a href="/files/fa/news/1399/1/5/big_1.jpg">'
                                      '<img src="/files/fa/news/1399/1/5/small_1.jpg"></a></div>')
    result = clean(TEXT + CUT + p("ویجت"), after_body=album)
    assert result.paragraphs == ARTICLE
    assert result.images == [{"url": "https://www.asriran.com/files/fa/news/1399/1/5/big_1.jpg", "caption": None}]


# ---- A site's boilerplate: exact texts and patterns ---------------------------------------------

AFTABNEWS = PROFILES["aftabnews"]
EXACT = AFTABNEWS.boilerplate_exact[0]  # «آفتاب‌‌نیوز :», two ZWNJs: folded, «آفتاب نیوز :»


def test_exact_block_is_dropped_folded():
    # aftabnews: the site's name alone in a paragraph before the article; written here with one ZWNJ
    # and an Arabic yeh, the same text folded.
    result = clean(p(f"<strong>{EXACT}</strong>") + TEXT + p("آفتاب\u200cنيوز :"), profile=AFTABNEWS)
    assert result.paragraphs == ARTICLE


def test_exact_text_opening_a_longer_paragraph_keeps_the_paragraph():
    byline = f"<strong>{EXACT}</strong> {ARTICLE[0]}"
    result = clean(p(byline) + TEXT, profile=AFTABNEWS)
    assert result.paragraphs == [f"{EXACT} {ARTICLE[0]}", *ARTICLE]


def test_pattern_starting_with_a_letter_no_phrase_starts_with():
    profile = replace(PROFILE, boilerplate_patterns=(r"^عکس از \S+$",))
    result = clean(TEXT + p("عکس از <a href='/fa/photographers/12'>میلاد</a>") + p("عکس از میلاد و همکاران"),
                   profile=profile)
    assert result.paragraphs == [*ARTICLE, "عکس از میلاد و همکاران"]


def test_contains_pattern_drops_the_block_that_contains_it_only():
    # marinenews: «... به کانال تلگرام ...» anywhere in a short block; the article around it stays.
    profile = PROFILES["marinenews"]
    promo = "برای اطلاع از آخرین اخبار دریایی به کانال تلگرام ما بپیوندید"
    result = clean(f"<div>{TEXT}{p(promo)}</div>", profile=profile)
    assert result.paragraphs == ARTICLE
    avaye = PROFILES["avayerodkof"]
    result = clean(TEXT + p("ما را در <a href='https://t.me/x'>Telegram</a> دنبال کنید"), profile=avaye)
    assert result.paragraphs == ARTICLE


def test_asriran_digit_pattern_still_drops_its_box_with_the_links():
    # 917512's «۱۵ سال پیش در چنین روزی» box, here inside the body (before the cut marker).
    result = clean(TEXT + WIDGET)
    assert result.paragraphs == ARTICLE
    assert clean(TEXT + WIDGET.replace("۱۵", "15")).paragraphs == ARTICLE
