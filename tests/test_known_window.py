"""A missing id's cost (issue 22): the skip-known check asks the state store a window of ids at a
time, not twice a request; the store's known_many answers what known() answers, id by id."""

from datetime import timedelta

import pytest

from newscrawl.middlewares import known as known_module
from newscrawl.middlewares.known import KNOWN_WINDOW, SkipKnownArticlesMiddleware
from newscrawl.run.store import store_for
from newscrawl.state.sqlite import StateStore
from tests.test_run_config import built


def article(site, news_id):
    return {"site": site, "news_id": news_id, "url": f"u{news_id}", "title": "t", "crawled_at": "2026-01-01T00:00:00Z"}


@pytest.fixture
def store(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3", bad_page_retry_hours=24)
    store.record([article("asriran", 5), article("asriran", 900), article("tabnak", 6)])
    store.record_bad_many([("asriran", 7, "missing", "404"), ("asriran", 8, "quarantined", "no body")])
    store.record_bad_many([("asriran", 9, "missing", "404")])
    store.db.execute("UPDATE bad_pages SET last_tried='2000-01-01T00:00:00Z' WHERE news_id=9")  # tried long ago
    yield store
    store.close()


@pytest.mark.parametrize("ids", [range(1, 20), [5, 900, 6, 7, 8, 9, 10**6],  # dense: one range; sparse: chunks
                                 list(range(1, 1200, 2)) + [900]])
def test_known_many_answers_what_known_answers(store, ids):
    expected = {i for i in ids if store.known("asriran", i)}
    assert store.known_many("asriran", list(ids)) == expected
    assert expected <= {5, 7, 8, 900} and 5 in expected  # another site's 6, and 9 tried long ago: not known
    assert store.known_many("asriran", []) == set()


def test_known_many_follows_the_retry_hours(store):
    store.bad_page_retry = timedelta(hours=0)  # every bad page is due again at once
    assert store.known_many("asriran", list(range(1, 20))) == {5}


class CountingStore:
    def __init__(self, store):
        self.store, self.asked = store, []

    def known_many(self, site, news_ids):
        self.asked.append((news_ids[0], news_ids[-1]))
        return self.store.known_many(site, news_ids)


def middleware_over(tmp_path, *known_ids):
    crawler = built(tmp_path, mode="ids", ids="1")
    store = store_for(crawler)
    store.record([article("asriran", i) for i in known_ids])
    middleware = SkipKnownArticlesMiddleware.from_crawler(crawler)
    middleware.store = CountingStore(store)
    return crawler, middleware


def kept(crawler, middleware, ids):
    requests = [crawler.spider.article_request(i) for i in ids]
    return [r.meta["news_id"] for r in middleware.process_spider_output(None, requests)]


def test_an_ids_range_asks_the_store_once_a_window(tmp_path):
    crawler, middleware = middleware_over(tmp_path, 3, 300)
    ids = range(1, 601)
    assert kept(crawler, middleware, ids) == [i for i in ids if i not in (3, 300)]
    assert middleware.store.asked == [(1, KNOWN_WINDOW), (KNOWN_WINDOW + 1, 2 * KNOWN_WINDOW),
                                      (2 * KNOWN_WINDOW + 1, 3 * KNOWN_WINDOW)]
    assert crawler.stats.get_value("newscrawl/skipped_known") == 2
    store_for(crawler).close()


def test_an_archive_walking_down_asks_for_the_ids_below(tmp_path):
    crawler, middleware = middleware_over(tmp_path, 950, 801)
    ids = range(1000, 800, -1)  # two pages of 100, newest first
    assert kept(crawler, middleware, ids) == [i for i in ids if i not in (950, 801)]
    # the first id looks up; the next, lower one turns the window downwards, which holds the rest
    assert middleware.store.asked == [(1000, 1000 + KNOWN_WINDOW - 1), (999 - KNOWN_WINDOW + 1, 999)]
    store_for(crawler).close()


def test_a_window_is_asked_again_once_it_is_old(tmp_path, monkeypatch):
    crawler, middleware = middleware_over(tmp_path)
    assert kept(crawler, middleware, [10]) == [10]
    store_for(crawler).record([article("asriran", 11)])  # written by another run meanwhile
    assert kept(crawler, middleware, [11]) == [11]  # within the window: the snapshot holds
    monkeypatch.setattr(known_module.time, "monotonic", lambda: 10**9)
    assert kept(crawler, middleware, [11]) == []
    assert len(middleware.store.asked) == 2
    store_for(crawler).close()


def test_every_missing_id_is_recorded_and_the_next_run_asks_for_none_of_them(tmp_path):
    from newscrawl.mirror.server import running_mirror
    from newscrawl.replay.fixtures import FIXTURES_DIR
    from tests.conftest import crawl

    ids = "ids=3000001-3000600"  # more than two windows, none of them on the mirror
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        first = crawl(tmp_path, "mode=ids", ids, "skip_known=1", f"base_url={mirror.base_url}")
        assert first.stats["newscrawl/missing"] == 600, first.log[-3000:]
        assert first.stats["newscrawl/missing_ids"] == [[3000001, 3000600]]
        assert first.article_requests() == 600
        store = StateStore(tmp_path / "state" / "state.sqlite3")
        assert sorted(row[1] for row in store.bad_pages("2000-01-01T00:00:00Z")) == list(range(3000001, 3000601))
        store.close()
        second = crawl(tmp_path, "mode=ids", ids, "skip_known=1", f"base_url={mirror.base_url}")
    assert second.stats["newscrawl/skipped_known"] == 600, second.log[-3000:]
    assert second.article_requests() == 0 and "newscrawl/missing" not in second.stats
