"""The extraction's cheap paths (issue 22: extraction at about twice the bare parse) answer as the paths
they skip: each is checked here against the slower computation it replaces, on inputs that take the
cheap path and on the ones that must not."""

from __future__ import annotations

import random

import jdatetime
import lxml.html
import pytest

from newscrawl.sites import PROFILES
from newscrawl.sites.iransamaneh.body import clean_body
from newscrawl.sites.iransamaneh.values import text_content
from newscrawl.text import normalize
from newscrawl.text.jalali import jalali_iso
from newscrawl.text.normalize import FOLD, ZWNJ, fold

TEXT = "<p>" + "متن خبر که بلند است و جمله‌های زیادی دارد. " * 4 + "</p>"


def slow_zwnj(text: str) -> str:
    return " ".join(normalize._ZWNJ_RUN.sub(normalize._tidy_zwnj, text).split())


def fast_zwnj(text: str) -> str:
    return slow_zwnj(text) if normalize._ZWNJ_SUSPECT.search(text) else text


def test_a_zwnj_left_alone_is_one_the_full_tidy_keeps_next_to_any_character():
    characters = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp < 0xE000] + ["\U0001f600", "\U00020000"]
    for ch in characters:
        for text in (ch + ZWNJ + "ت", "ت" + ZWNJ + ch, ZWNJ + ch, ch + ZWNJ, "ت" + ZWNJ + ZWNJ + ch):
            text = " ".join(text.split())
            assert fast_zwnj(text) == slow_zwnj(text), repr(text)
    assert not normalize._ZWNJ_SUSPECT.search("می" + ZWNJ + "شود")  # the usual one: no tidying


def test_fold_without_a_mapped_character_is_the_translated_fold():
    rng = random.Random(7)
    alphabet = ["ي", "ى", "ك", ZWNJ, "\u00a0", "\u200e", "\u200f", "ی", "ک", " ", "\n", "a", "۱", "-"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert fold(text) == " ".join(text.translate(FOLD).split())


def test_the_jalali_wall_clock_is_jdatetimes_strftime():
    rng = random.Random(3)
    for _ in range(20000):
        when = jdatetime.datetime(rng.choice([1, 99, 999, 1300, 1402, rng.randint(1, 3000)]), rng.randint(1, 12),
                                  rng.randint(1, 29), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        assert jalali_iso(when) == when.strftime("%Y-%m-%dT%H:%M:%S")


def test_text_content_is_lxml_htmls():
    page = lxml.html.fromstring("<html><body><div>a <b>b</b><!-- c --> d<p>ت\u200cت</p>\n</div></body></html>")
    for el in page.iter():
        if isinstance(el.tag, str):
            assert text_content(el) == el.text_content()


def clean(href: str) -> list[str]:
    page = lxml.html.fromstring(f"<html><body><div class='body'>{TEXT}"
                                f"<p>ما را در <a href='{href}'>Telegram</a> دنبال کنید</p></div></body></html>")
    wrapper = page.makeelement("div")
    wrapper.append(page.find(".//div"))
    return clean_body(wrapper, PROFILES["asriran"], 1).paragraphs


@pytest.mark.parametrize("href", ["https://t.me/x", "https://T.ME/x", "https://t.\nme/x", "https://t.m\te/x",
                                  "https://user@t.me:443/x", " https://t.me/x"])
def test_a_promo_link_is_dropped_however_its_host_is_written(href):
    assert "t.me" in PROFILES["asriran"].promo_hosts
    assert len(clean(href)) == 1
    assert len(clean(href.replace("t.", "example.").replace("T.", "example."))) == 2  # another host stays
