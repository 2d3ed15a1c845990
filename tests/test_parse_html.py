"""The article parser's page tree (article.parse_html) is the tree parsel's `Selector(text=html).root`
makes, which the parser used before, on every saved page and on the texts parsel treats specially:
the page's text goes to lxml as it is (not stripped and encoded to UTF-8 bytes first) only where that
gives the same tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from parsel import Selector

from newscrawl.mirror.synth import synthesize
from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.replay.pages import read_page
from newscrawl.sites.iransamaneh.article import _stripped, parse_html

PAGE = ("<!DOCTYPE html><html><head><title>ت</title></head><body><div class='body'><p>متن\u200cها</p>"
        "</div></body></html>")


def parsel_tree(html: str) -> bytes | str:
    try:
        root = Selector(text=html).root
        return etree.tostring(root) if isinstance(root, etree._Element) else repr(root)
    except Exception as exc:  # noqa: BLE001 - the same failure is the same outcome
        return f"{type(exc).__name__}: {exc}"


def our_tree(html: str) -> bytes | str:
    try:
        root = parse_html(html)
        return etree.tostring(root) if isinstance(root, etree._Element) else repr(root)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"


def test_every_fixture_page_gives_parsels_tree():
    pages = sorted(FIXTURES_DIR.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        html = read_page(page)
        assert our_tree(html) == parsel_tree(html), page


def test_synthetic_pages_give_parsels_tree(tmp_path: Path):
    synthesize(tmp_path, 12, seed=4)
    pages = sorted(tmp_path.rglob("*.html"))
    assert pages
    for page in pages:
        html = read_page(page)
        assert our_tree(html) == parsel_tree(html), page


@pytest.mark.parametrize("html", [
    PAGE, PAGE + "\n", "\n \t\r\n" + PAGE + "\n\n", PAGE + "\xa0", PAGE + " \u2028", "\xa0" + PAGE,
    "\u2003" + PAGE, "\ufeff" + PAGE, PAGE.replace("</html>", "") + "\n",  # no </html>: the text is stripped
    PAGE.replace("</body></html>", "\n"), PAGE.replace("</div>", "</div>\x00"), "\x00" + PAGE, PAGE + "\x00",
    PAGE.replace("متن", "مت\x00ن"), PAGE.replace("</html>", "</HTML>") + "\n", PAGE + "<p>after</p>\n",
    "<?xml version='1.0' encoding='utf-8'?>" + PAGE, "<?xml version='1.0'?><html><body><h1>x</h1></body></html>",
    '{"a": 1}', "[1, 2]", "1", "", "   ", "\x00", "<!-- nothing -->", "<p>a fragment</p> \n",
    PAGE.replace("متن", "م\ud800ن"), PAGE.replace("متن", "\U0001f600"),
])
def test_special_texts_give_parsels_tree_or_its_failure(html: str):
    assert our_tree(html) == parsel_tree(html)


def test_a_page_ending_after_its_html_end_tag_is_parsed_from_its_own_text_without_a_copy():
    for html in (PAGE, PAGE + "\n", "\n  " + PAGE + " \r\n"):
        assert _stripped(html) is html
    for html in (PAGE.replace("</html>", "") + "\n", PAGE + "\x00", "\xa0" + PAGE):
        assert _stripped(html) == html.strip().replace("\x00", "")
