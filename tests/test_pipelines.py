import json
import re
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem

from newscrawl.items import Article, exported
from newscrawl.output.quarantine import QuarantineFile
from newscrawl.pipelines.duplicates import DuplicatesPipeline
from newscrawl.pipelines.persian_text import PersianTextPipeline
from newscrawl.pipelines.validation import ValidationPipeline, problems
from newscrawl.replay.fixtures import FIXTURES_DIR, REPLAY_CRAWLED_AT
from newscrawl.replay.pages import read_page, url_for_path
from newscrawl.replay.processor import Processor
from tests.conftest import article_pages

NEWS = FIXTURES_DIR / "asriran" / "news"
TRUNCATED, NO_BODY, BAD_DATE, NOT_FOUND = (NEWS / f"{i}.html" for i in (1150500, 1150501, 1150502, 1150999))


def process(page: Path, processor: Processor | None = None):
    return (processor or Processor()).process(read_page(page), url_for_path(page), crawled_at=REPLAY_CRAWLED_AT)


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (TRUNCATED, "page: truncated"),
        (NO_BODY, "body: the page has no div.body"),
        (BAD_DATE, "published_at: no such Jalali date-time"),
    ],
)
def test_bad_pages_are_quarantined_with_their_reason_and_url(page, reason):
    outcome = process(page)
    assert outcome.article is None
    record = outcome.quarantined
    assert any(r.startswith(reason) for r in record["reasons"]), record["reasons"]
    assert record["url"] == f"https://www.asriran.com/fa/news/{page.stem}"
    assert record["news_id"] == int(page.stem)
    assert record["item"]["title"]  # what could be read is kept for the person who looks


def test_the_not_found_page_is_no_article():
    outcome = process(NOT_FOUND)
    assert outcome.article is None and outcome.quarantined is None
    assert "not-found" in outcome.not_an_article


def test_quarantine_file_gets_one_line_per_bad_item_and_the_crawl_goes_on(tmp_path):
    quarantine = QuarantineFile(tmp_path / "q" / "quarantine.jsonl")
    pipeline = ValidationPipeline(quarantine)
    good = process(article_pages("asriran")[0]).article
    bad = Article(site="asriran", news_id=5, url="https://www.asriran.com/fa/news/5", title="عنوان",
                  body=None, published_at=None, published_raw="۱۰:۳۰ - ۳۰-۱۲-۱۴۰۲",
                  source_url="http://127.0.0.1:8000/fa/news/5/slug", parser_version="iransamaneh/1:2023")
    with pytest.raises(DropItem, match="quarantined"):
        pipeline.process_item(bad)
    assert pipeline.process_item(good) is good
    pipeline.close_spider()
    lines = (tmp_path / "q" / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["url"] == "https://www.asriran.com/fa/news/5"
    assert record["source_url"] == "http://127.0.0.1:8000/fa/news/5/slug"
    assert record["reasons"] == [
        "body: empty once boilerplate is removed",
        "published_at: no article date on the page (raw: '۱۰:۳۰ - ۳۰-۱۲-۱۴۰۲')",
    ]
    assert record["item"]["title"] == "عنوان"


def test_the_validation_gate_exports_an_article_once_for_the_schema_and_the_quarantine(monkeypatch):
    from newscrawl.output import quarantine
    from newscrawl.output.quarantine import QuarantineList
    from newscrawl.pipelines import validation

    calls = []

    def counting(article):
        calls.append(article)
        return exported(article)

    monkeypatch.setattr(validation, "exported", counting)
    monkeypatch.setattr(quarantine, "exported", counting)
    records = QuarantineList()
    bad = Article(site="asriran", news_id=5, url="https://www.asriran.com/fa/news/5", title="عنوان")
    with pytest.raises(DropItem, match="quarantined"):
        ValidationPipeline(records).process_item(bad)
    assert calls == [bad] and records.records[0]["item"] == exported(bad)


def test_no_quarantine_file_when_nothing_is_quarantined(tmp_path):
    quarantine = QuarantineFile(tmp_path / "quarantine.jsonl")
    pipeline = ValidationPipeline(quarantine)
    pipeline.process_item(process(article_pages("asriran")[0]).article)
    pipeline.close_spider()
    assert not (tmp_path / "quarantine.jsonl").exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"news_id": None}, "news_id: missing"),
        ({"url": "http://127.0.0.1:8000/fa/news/917512"}, "url: not the canonical"),
        ({"url": "https://www.asriran.com/fa/news/1"}, "url: not the canonical"),
        ({"title": None}, "title: missing"),
        ({"published_at": "2023-11-12T23:55:00"}, "published_at: no UTC offset"),
        ({"published_at": "دیروز"}, "published_at: not ISO 8601"),
        ({"body": "متن \ufffd\ufffd خراب"}, "body: undecodable"),
        ({"tags": ["", "تهران"]}, "tags: schema: tags.0"),
        ({"lead_image": "/files/x.jpg"}, "lead_image: schema"),
        ({"title": "Ø³Ù„Ø§Ù…"}, "title: undecodable"),
    ],
)
def test_validation_rules(change, reason):
    item = Article(site="asriran", news_id=917512, url="https://www.asriran.com/fa/news/917512",
                   title="عنوان", body="متن", published_at="2023-11-12T23:55:00+03:30",
                   published_at_jalali="1402-08-21T23:55:00", published_raw="۲۳:۵۵ - ۲۱-۰۸-۱۴۰۲",
                   crawled_at="2026-01-01T00:00:00Z", parser_version="iransamaneh/1:2023")
    assert problems(item) == []
    for key, value in change.items():
        setattr(item, key, value)
    assert any(r.startswith(reason) for r in problems(item)), problems(item)


def _valid_item() -> dict:
    return exported(Article(site="asriran", news_id=917512, url="https://www.asriran.com/fa/news/917512",
                            title="عنوان", body="متن", published_at="2023-11-12T23:55:00+03:30",
                            published_at_jalali="1402-08-21T23:55:00", published_raw="۲۳:۵۵ - ۲۱-۰۸-۱۴۰۲",
                            crawled_at="2026-01-01T00:00:00Z", parser_version="iransamaneh/1:2023"))


SCHEMA_BREAKS = [
    {"tags": ["", "تهران"]}, {"lead_image": "/files/x.jpg"}, {"news_id": 0}, {"news_id": "5"},
    {"news_id": True}, {"title": ""}, {"supertitle": ""}, {"url": "https://www.asriran.com/fa/news/5/slug"},
    {"published_at": "2023-11-12T23:55:00+02:30"}, {"published_at_jalali": "2023-11-12T23:55:00"},
    {"images": [{"url": "x.jpg", "caption": None}]}, {"images": [{"url": "https://a/x.jpg"}]},
    {"related": [{"news_id": 0, "title": "t"}]}, {"comments": [{"author": None, "published_at": None,
                                                               "text": "", "reply_to": -1}]},
    {"crawled_at": "2026-01-01 00:00:00"}, {"videos": "no"}, {"unknown_key": 1}, {"short_url": 5},
]


@pytest.mark.parametrize("change", [{}, *SCHEMA_BREAKS], ids=lambda c: ",".join(c) or "valid")
def test_the_compiled_schema_check_gives_the_errors_spidermons_validator_gives(change, monkeypatch):
    from newscrawl.pipelines import validation

    data = {**_valid_item(), **change}
    if "unknown_key" not in change:
        assert set(change) <= set(data)
    fast = validation.schema_errors(data)
    monkeypatch.setattr(validation, "_COMPILED_SCHEMA", None)  # jsonschema-rs not installed
    ok, slow = validation._SCHEMA_VALIDATOR.validate(data)
    assert fast == validation.schema_errors(data) == ({} if ok else slow)
    assert bool(fast) == bool(change)


def test_an_item_the_compiled_schema_passes_never_reaches_spidermons_validator(monkeypatch):
    from newscrawl.pipelines import validation

    class Refusing:
        def validate(self, data):
            raise AssertionError("the slow validator ran for a valid item")

    assert validation._COMPILED_SCHEMA is not None  # jsonschema-rs is a dependency
    monkeypatch.setattr(validation, "_SCHEMA_VALIDATOR", Refusing())
    for page in article_pages("asriran")[:3]:
        assert validation.schema_errors(exported(process(page).article)) == {}
    with pytest.raises(AssertionError, match="slow validator ran"):
        validation.schema_errors({**_valid_item(), "news_id": 0})  # a rejected item gets Spidermon's words


def test_duplicates_are_dropped_within_a_run_only():
    page = article_pages("asriran")[0]
    processor = Processor()
    assert process(page, processor).article is not None
    second = process(page, processor)
    assert second.article is None and "duplicate" in second.dropped
    assert process(page).article is not None  # a new run starts afresh


def test_duplicates_pipeline_counts_in_stats():
    class Stats(dict):
        def inc_value(self, key, count=1):
            self[key] = self.get(key, 0) + count

    stats = Stats()
    pipeline = DuplicatesPipeline(stats)
    item = Article(site="asriran", news_id=1, url="https://www.asriran.com/fa/news/1")
    pipeline.process_item(item)
    with pytest.raises(DropItem):
        pipeline.process_item(item)
    assert stats == {"newscrawl/duplicates": 1}


@pytest.mark.parametrize("page", article_pages(), ids=lambda p: p.stem)
def test_persian_text_pipeline_is_idempotent(page):
    item = process(page).article
    before = exported(item)
    PersianTextPipeline().process_item(item)
    assert exported(item) == before


def test_site_wide_header_dates_are_never_taken_for_the_article_date():
    html = read_page(NEWS / "917512.html")
    without_toolbar_dates = re.sub(r'<div class="news_nav news_pdate_c[^"]*">.*?</div>', "", html)
    assert "class=\"news_nav news_pdate_c" not in without_toolbar_dates
    assert 'class="header_pdate"' in without_toolbar_dates and 'class="update_date"' in without_toolbar_dates
    outcome = Processor().process(without_toolbar_dates, "https://www.asriran.com/fa/news/917512")
    assert outcome.quarantined["reasons"] == ["published_at: no article date on the page (raw: None)"]


def test_the_mobile_toolbar_copy_is_not_read_twice_and_the_gregorian_span_is_ignored():
    item = process(NEWS / "719860.html").article
    html = read_page(NEWS / "719860.html")
    assert html.count("news_pdate_c") >= 2 and "<span>2020-03-21</span>" in html
    assert item.published_raw == "۲۲:۴۰ - ۰۲ فروردين ۱۳۹۹"
    assert item.published_at == "2020-03-21T22:40:00+04:30"


def test_validation_counts_quarantined_items_by_field_in_stats(tmp_path):
    class Stats(dict):
        def inc_value(self, key, count=1):
            self[key] = self.get(key, 0) + count

    stats = Stats()
    pipeline = ValidationPipeline(QuarantineFile(tmp_path / "q.jsonl"), stats)
    for page in (NO_BODY, BAD_DATE):
        with pytest.raises(DropItem):
            pipeline.process_item(process_unvalidated(page))
    pipeline.close_spider()
    assert stats == {"newscrawl/quarantined": 2, "newscrawl/quarantined/body": 1,
                     "newscrawl/quarantined/published_at": 1}


def process_unvalidated(page: Path) -> Article:
    """Parser + the pipelines before validation."""
    from newscrawl.sites import parse_page

    item = parse_page(read_page(page), url_for_path(page))
    return PersianTextPipeline().process_item(item)


class _Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count


def test_an_article_another_run_wrote_meanwhile_is_not_written_again(tmp_path):
    from newscrawl.pipelines.written import WrittenArticlesPipeline
    from newscrawl.state import StateStore

    item = process(NEWS / "917512.html").article
    store = StateStore(tmp_path / "state.sqlite3")
    normal = WrittenArticlesPipeline(store, _Stats(), refresh=False)
    assert normal.process_item(item) is item  # not written yet
    store.record([exported(item)])  # another run writes it
    with pytest.raises(DropItem, match="already written"):
        normal.process_item(item)
    assert normal.stats == {"newscrawl/already_written": 1}


def test_a_refresh_writes_a_known_article_only_when_its_content_changed(tmp_path):
    from newscrawl.pipelines.written import WrittenArticlesPipeline
    from newscrawl.state import StateStore

    item = process(NEWS / "917512.html").article
    store = StateStore(tmp_path / "state.sqlite3")
    store.record([exported(item)])
    refresh = WrittenArticlesPipeline(store, _Stats(), refresh=True)
    with pytest.raises(DropItem, match="unchanged"):
        refresh.process_item(item)
    item.crawled_at = "2030-01-01T00:00:00Z"  # when it was crawled is not content
    item.parser_version = "iransamaneh/99:2023"  # nor which release read it
    with pytest.raises(DropItem, match="unchanged"):
        refresh.process_item(item)
    item.comments = [*item.comments, {"author": None, "published_at": None, "text": "نظر تازه", "reply_to": None}]
    assert refresh.process_item(item) is item  # new comments are new content (items.CONTENT_FIELDS)
    item.body += "\n\nبه‌روزرسانی: خبر تکمیل شد."
    assert refresh.process_item(item) is item
    assert refresh.stats == {"newscrawl/unchanged": 2, "newscrawl/changed": 2}
