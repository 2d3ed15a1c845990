"""Every fixture page replayed through the parser and pipelines equals its reviewed expected file."""

import pytest
from parsel import Selector

from newscrawl.items import EXPORT_FIELDS
from newscrawl.replay.fixtures import fixture_pages, load_expected, replay
from newscrawl.replay.pages import read_page
from newscrawl.sites.iransamaneh.urls import news_id_from_url
from newscrawl.text import normalize_text
from tests.conftest import article_pages, rejected_pages

PAGES = fixture_pages()


def _id(page):
    return f"{page.parent.parent.name}-{page.stem}"


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_replay_equals_expected_field_by_field(page):
    expected = load_expected(page)
    assert expected is not None, f"{page} has no expected .json: run `python -m newscrawl fixtures --update`"
    actual = replay(page)
    assert list(actual) == list(expected)
    wrong = {key: (actual[key], expected[key]) for key in expected if actual[key] != expected[key]}
    assert not wrong, "fields that differ (actual, expected): " + repr(wrong)


def test_the_fixture_set_covers_the_required_cases():
    asriran = article_pages("asriran")
    assert len(asriran) >= 15
    assert len(rejected_pages("quarantined")) >= 3
    assert len(rejected_pages("not_an_article")) >= 1
    items = [load_expected(p) for p in asriran]
    generations = {item["parser_version"].rsplit(":", 1)[1] for item in items}
    assert {"2014", "2020", "2023"} <= generations
    offsets = {item["published_at"][-6:] for item in items}
    assert offsets == {"+03:30", "+04:30"}  # DST and non-DST instants
    assert any(item["lead_image"] for item in items) and any(not item["lead_image"] for item in items)
    assert any(item["supertitle"] for item in items) and any(not item["supertitle"] for item in items)
    assert any(item["tags"] for item in items) and any(not item["tags"] for item in items)
    assert any(item["comments"] for item in items) and any(not item["comments"] for item in items)
    assert any(img["caption"] for item in items for img in item["images"])
    assert any(item["related"] for item in items)
    assert any(item["videos"] for item in items)
    assert any(len(item["images"]) >= 5 for item in items)  # a photo page


@pytest.mark.parametrize("page", article_pages(), ids=_id)
def test_every_article_has_the_contract_keys_in_order(page):
    item = replay(page)
    assert tuple(item) == tuple(f for f in EXPORT_FIELDS if f != "crawled_at")
    assert item["url"] == f"{item['url'].rsplit('/fa/news/', 1)[0]}/fa/news/{item['news_id']}"
    assert item["body"] and "\n\n\n" not in item["body"]


@pytest.mark.parametrize("page", article_pages(), ids=_id)
def test_no_headline_of_another_article_survives_in_the_body(page):
    """An independent oracle: every link to another article anywhere on the page (ticker, sidebars,
    related blocks, widgets) has a headline that must not appear in the body."""
    item = replay(page)
    page_links = Selector(text=read_page(page)).css("a[href]")
    headlines = {
        normalize_text(a.xpath("string()").get())
        for a in page_links
        if news_id_from_url(a.attrib["href"]) not in (None, item["news_id"])
    }
    leaked = [h for h in headlines if len(h) >= 20 and h in item["body"]]
    assert not leaked


@pytest.mark.parametrize("page", article_pages(), ids=_id)
def test_captions_and_image_text_leave_the_body(page):
    item = replay(page)
    for image in item["images"]:
        if image["caption"]:
            assert image["caption"] not in item["body"].split("\n\n")
