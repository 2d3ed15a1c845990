"""Memory flat in the size of the work (issue 22): the start requests are yielded lazily, an archive
walk's next page waits for the articles before it, missing ids are kept and reported as ranges, and
missing pages reach the state store in batches. Sizes and RSS are measured in bench/memory.py."""

import json
import sqlite3

from scrapy.http import HtmlResponse, Request

from newscrawl import stats as stat
from newscrawl.dataset.gaps import gaps, ids_argument
from newscrawl.logs import IdRanges
from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.spiders.site import NEXT_PAGE_PRIORITY, AsriranSpider
from tests.conftest import crawl, run

PAGE = 100


def archive_page(ids: list[int], page: int, pages: int) -> str:
    rows = "".join(f'<div class="linear_news"><a class="title5" href="/fa/news/{i}/x" title="08:00 - 2020/01/01">'
                   f"خبر شماره {i}</a></div>" for i in ids)
    pager = f'<a class="next" href="/fa/archive?rpp=100&amp;p={page + 1}">next</a>' if page < pages else ""
    return ('<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>archive</title></head>'
            f'<body id="archive"><div id="pager">{pager}</div><div class="archive_content">{rows}</div></body></html>')


def test_an_ids_crawl_holds_a_bounded_number_of_requests_not_all_its_ids(tmp_path):
    """1,500 ids (all but a few missing on the fixtures' mirror): Scrapy would take every start
    request into the scheduler at once (pending max 1,500); lazily, the scheduler holds a handful
    (the downloader takes CONCURRENT_REQUESTS=16 of them)."""
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        result = crawl(tmp_path, "mode=ids", "ids=1149001-1150500", f"base_url={mirror.base_url}",
                       settings=("CONCURRENT_REQUESTS=16", "LOG_LEVEL=INFO"))
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats["response_received_count"] >= 1500  # every id asked (and robots.txt)
    assert result.stats[stat.SCHEDULER_PENDING_MAX] <= 20, result.stats[stat.SCHEDULER_PENDING_MAX]
    # the missing ids are ranges: 1149001-1150499 and the lone 1150500 is quarantined, not missing
    assert result.stats[stat.MISSING_IDS][0] == [1149001, 1150485]
    assert len(result.stats[stat.MISSING_IDS]) <= 3


def test_the_archive_walks_articles_before_its_next_page(tmp_path):
    """Ten pages of 100 articles: the next page comes after the articles of the page before it, so
    the scheduler holds about one page's articles, not the whole walk (LIFO would pop the next
    page first: ten pages' articles pending at the end)."""
    pages = 10
    folder = tmp_path / "site"
    (folder / "archive").mkdir(parents=True)
    for page in range(1, pages + 1):
        ids = list(range(9000 - (page - 1) * PAGE, 9000 - page * PAGE, -1))
        (folder / "archive" / f"{page}.html").write_text(archive_page(ids, page, pages), encoding="utf-8")
    with running_mirror(folder, site="asriran") as mirror:
        result = crawl(tmp_path / "run", "mode=archive", "from_date=1404/01/01", "to_date=1404/12/29",
                       f"base_url={mirror.base_url}", settings=("LOG_LEVEL=INFO",))
    assert result.stats[stat.ARCHIVE_PAGES] == pages
    assert result.stats[stat.MISSING] == pages * PAGE
    assert result.stats[stat.MISSING_IDS] == [[9000 - pages * PAGE + 1, 9000]]
    assert result.stats[stat.SCHEDULER_PENDING_MAX] <= PAGE + 20, result.stats[stat.SCHEDULER_PENDING_MAX]


def test_an_archive_pages_articles_outrank_its_next_page():
    spider = AsriranSpider(mode="archive", base_url="http://127.0.0.1:9")
    request = spider.archive_request(1, first=True)
    body = archive_page([5, 4, 3], 1, 2).encode()
    response = HtmlResponse(request.url, body=body, encoding="utf-8", request=request)

    class Stats:
        def inc_value(self, *args, **kwargs):
            pass

        def set_value(self, *args, **kwargs):
            pass

    spider.crawler = type("Crawler", (), {"stats": Stats()})()
    out = list(spider.parse_listing(response))
    articles, listings = out[:3], out[3:]
    assert [r.meta["news_id"] for r in articles] == [5, 4, 3]
    assert [r.meta["archive_page"] for r in listings] == [2]
    assert all(a.priority > listings[0].priority for a in articles)
    assert listings[0].priority == NEXT_PAGE_PRIORITY < 0


async def _first(spider, n):
    out = []
    async for request in spider.start():
        out.append(request)
        if len(out) == n:
            break
    return out


def test_the_start_requests_are_made_one_at_a_time():
    """The spider's start() builds each request when asked for it (a million ids are not a million
    requests in memory), and yields without waiting outside a crawl (`newscrawl seed`)."""
    import asyncio

    spider = AsriranSpider(mode="ids", ids="1-2000000", base_url="http://127.0.0.1:9")
    requests = asyncio.run(_first(spider, 3))
    assert [r.meta["news_id"] for r in requests] == [1, 2, 3]
    assert all(isinstance(r, Request) for r in requests)


def test_id_ranges_take_ids_in_any_order_and_keep_one_entry_a_run():
    ranges = IdRanges()
    for news_id in [7, 3, 5, 4, 100, 6, 1, 99, 5, 101]:
        ranges.add(news_id)
    assert ranges.ranges() == [(1, 1), (3, 7), (99, 101)]
    big = IdRanges()
    for news_id in range(1_000_000, 0, -1):
        big.add(news_id)
    assert big.ranges() == [(1, 1_000_000)] and len(big._last_of) == 1
    assert stat.id_ranges_value(ranges.ranges()) == [1, [3, 7], [99, 101]]
    assert list(stat.ids_in([1, [3, 7], [99, 101]])) == [1, 3, 4, 5, 6, 7, 99, 100, 101]
    assert stat.id_count([1, [3, 7], [99, 101]]) == 9
    assert list(stat.ids_in([12, 19, 20])) == [12, 19, 20]  # a report from before the ranges


def test_gaps_read_missing_ids_as_ranges_and_as_the_ids_of_older_reports(tmp_path):
    from tests.test_dataset import fixture_articles, write_run

    runs = tmp_path / "output"
    article = fixture_articles()[0]
    write_run(runs, "r1", [dict(article, news_id=i) for i in (10, 11, 14)])
    write_run(runs, "r2", [dict(article, news_id=i) for i in (18, 30)])
    (runs / "asriran" / "2026-01-01" / "r1.report.json").write_text(
        json.dumps({"spider": "asriran", "missing_ids": [[22, 24], 26]}))
    (runs / "asriran" / "2026-01-01" / "r2.report.json").write_text(
        json.dumps({"spider": "asriran", "missing_ids": [12, 19, 20, 21, 99]}))
    result = gaps(runs, "asriran")
    assert (result.lowest, result.highest, result.written, result.missing) == (10, 30, 5, 8)
    assert ids_argument(result.ranges) == "13,15-17,25,27-29"


def test_the_run_report_names_a_million_missing_ids_in_one_entry(tmp_path):
    """An ids crawl whose ids are all missing: the report says the count and the range, whatever
    the count (28 MB at a million ids before, one id a line, twice)."""
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        result = crawl(tmp_path, "mode=ids", "ids=3000001-3000300", f"base_url={mirror.base_url}",
                       settings=("LOG_LEVEL=INFO",))
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["missing_ids"] == [[3000001, 3000300]] == result.stats[stat.MISSING_IDS]
    assert "missing ids 300," in result.log
    # and the state store holds them all: the batches were written (the last one when the spider closed)
    db = sqlite3.connect(tmp_path / "state" / "state.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM bad_pages WHERE outcome = 'missing'").fetchone()[0] == 300


def test_missing_pages_reach_the_state_in_batches_and_the_rest_at_close(tmp_path):
    from scrapy import signals
    from scrapy.utils.test import get_crawler

    from newscrawl import settings as project_settings
    from newscrawl.extensions.state_recorder import StateRecorder
    from newscrawl.run import signals as newscrawl_signals

    crawler = get_crawler(AsriranSpider, {"STATE_BACKEND": project_settings.STATE_BACKEND,
                                          "STATE_DIR": str(tmp_path), "STATE_BAD_PAGES_BATCH": 4,
                                          "STATE_BAD_PAGES_FLUSH_SECONDS": 3600})
    recorder = StateRecorder.from_crawler(crawler)
    written = []
    recorder.store.record_bad_many = lambda rows: written.append([r[1] for r in rows])
    for news_id in range(1, 11):
        crawler.signals.send_catch_log(newscrawl_signals.article_missing, site="asriran", news_id=news_id,
                                       reason="404")
    crawler.signals.send_catch_log(newscrawl_signals.article_missing, site="asriran", news_id=None, reason="404")
    assert written == [[1, 2, 3, 4], [5, 6, 7, 8]]  # one transaction a batch
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert written[-1] == [9, 10]


def test_the_memory_benchmark_fails_when_rss_grows_with_the_work():
    command = run("-c", "import sys; sys.path.insert(0, 'bench'); import memory; "
                  "r = lambda mb: {'peak_rss_mb': mb}; "
                  "sys.exit(10 * memory.verdict([('ids 1', r(150)), ('ids 2', r(160))], 30, 300)"
                  " + memory.verdict([('ids 1', r(150)), ('ids 2', r(400))], 30, 300))")
    assert command.returncode == 1, command.stderr
    assert "FAIL ids 2: peak RSS 400 MB, +250 MB over ids 1" in command.stderr


def test_the_dupefilter_keeps_articles_as_bits_and_saves_them_in_the_jobdir(tmp_path):
    from scrapy.utils.test import get_crawler

    from newscrawl.middlewares.dupefilter import ArticleDupeFilter

    crawler = get_crawler(settings_dict={"JOBDIR": str(tmp_path)})
    seen = ArticleDupeFilter.from_crawler(crawler)
    article = Request("http://127.0.0.1:9/fa/news/719861", meta={"news_id": 719861})
    assert not seen.request_seen(article) and seen.request_seen(article.replace())
    # a redirect's target and any other request are Scrapy's fingerprints, as before
    moved = Request("http://127.0.0.1:9/fa/news/719861/slug", meta={"news_id": 719861, "redirect_urls": ["x"]})
    assert not seen.request_seen(moved) and seen.request_seen(moved.replace())
    listing = Request("http://127.0.0.1:9/fa/archive?p=2")
    assert not seen.request_seen(listing) and seen.request_seen(listing.replace())
    for news_id in range(1, 1_000_001):
        seen.request_seen(Request("http://127.0.0.1:9/fa/news/1", meta={"news_id": news_id}))
    assert len(seen.articles) == 1_000_000 and seen.articles.nbytes() < 200_000  # bits, not a set of a million
    assert len(seen._fingerprints) == 2
    seen.close("shutdown")
    resumed = ArticleDupeFilter.from_crawler(crawler)  # JOBDIR: what the stopped crawl had asked
    assert resumed.request_seen(Request("http://127.0.0.1:9/fa/news/5", meta={"news_id": 5}))
    assert resumed.request_seen(listing.replace())
    assert not resumed.request_seen(Request("http://127.0.0.1:9/fa/news/2000000", meta={"news_id": 2_000_000}))


def test_no_callback_source_is_read_again_for_every_response(monkeypatch):
    """Scrapy's check of a generator callback for a returned value parses the callback's source on
    each response (its cache dies with each request): off. The callbacks return nothing (checked
    here once, the way Scrapy would)."""
    import inspect

    from scrapy.utils.misc import is_generator_with_return_value, warn_on_generator_with_return_value
    from scrapy.utils.test import get_crawler

    from newscrawl import settings as project_settings

    spider = AsriranSpider(mode="ids", ids="1", base_url="http://127.0.0.1:9")
    assert not any(is_generator_with_return_value(cb) for cb in (spider.parse_article, spider.parse_listing,
                                                                 spider.parse_feed))
    spider.settings = get_crawler(settings_dict={"WARN_ON_GENERATOR_RETURN_VALUE":
                                                 project_settings.WARN_ON_GENERATOR_RETURN_VALUE}).settings

    def no_source(*args):
        raise AssertionError("the callback's source was read")

    monkeypatch.setattr(inspect, "getsource", no_source)
    warn_on_generator_with_return_value(spider, spider.parse_article.__get__(spider))


def test_an_ids_crawl_stopped_then_resumed_with_jobdir_fetches_every_article_once(tmp_path_factory, tmp_path):
    """Lazy start requests and the dupefilter's bits with Scrapy's JOBDIR: stopped with Ctrl-C midway,
    the same command resumes (its start() runs again; what the first run asked is filtered by the
    bits it saved, not asked again, even with skip_known=0) and every article is written once."""
    import signal
    import subprocess
    import sys

    from newscrawl.mirror.synth import FIRST_ID, synthesize
    from tests.conftest import last_report, scheduled_command
    from tests.test_crash_safety import ENV, outputs, wait_for_lines

    count = 500
    site = tmp_path_factory.mktemp("synthetic")
    synthesize(site, count, seed=5)
    with running_mirror(site) as mirror:
        command = [sys.executable, *scheduled_command(
            tmp_path, "mode=ids", f"ids={FIRST_ID}-{FIRST_ID + count - 1}", f"base_url={mirror.base_url}",
            "skip_known=0",
            settings=("LOG_LEVEL=INFO", f"JOBDIR={tmp_path / 'job'}", "CONCURRENT_REQUESTS=4"))]
        first = subprocess.Popen(command, cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 text=True)
        wait_for_lines(tmp_path, 100)
        first.send_signal(signal.SIGINT)
        _, log = first.communicate(timeout=120)
        assert "shutting down gracefully" in log
        assert (tmp_path / "job" / "articles.ids").is_file()
        resumed = subprocess.run(command, cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    _, ids = outputs(tmp_path)
    assert sorted(ids) == list(range(FIRST_ID, FIRST_ID + count))  # all, each once
    stats = last_report(tmp_path)["stats"]
    asked_before = count - stats["response_received_count"] + 1  # robots.txt
    # what the first run asked is filtered, not asked again (and the few it had queued come from the disk)
    assert asked_before >= 100 and asked_before <= stats["dupefilter/filtered"] <= asked_before + 20
    assert stats[stat.SCHEDULER_PENDING_MAX] <= 20


def test_the_duplicates_pipeline_keeps_a_million_written_ids_in_bits():
    import pytest
    from scrapy.exceptions import DropItem

    from newscrawl.items import Article
    from newscrawl.pipelines.duplicates import DuplicatesPipeline

    pipeline = DuplicatesPipeline()
    item = Article(site="asriran", news_id=7, url="https://www.asriran.com/fa/news/7", title="t")
    assert pipeline.process_item(item) is item
    with pytest.raises(DropItem, match="duplicate: asriran news_id 7"):
        pipeline.process_item(item)
    assert pipeline.process_item(Article(site="tabnak", news_id=7, url="u", title="t"))  # another site's 7
    for news_id in range(8, 1_000_001):
        pipeline._seen_before("asriran", news_id)
    assert len(pipeline.seen["asriran"]) == 999_994 and pipeline.seen["asriran"].nbytes() < 200_000


def test_each_missing_id_is_logged_only_when_the_run_logs_debug():
    from scrapy.settings import Settings

    from newscrawl.logs import logs_at_debug

    assert logs_at_debug(Settings({"LOG_LEVEL": "DEBUG"})) and logs_at_debug(Settings({"LOG_LEVEL": 10}))
    assert not logs_at_debug(Settings({"LOG_LEVEL": "INFO"}))
    assert not logs_at_debug(Settings({"LOG_LEVEL": "DEBUG", "LOG_ENABLED": False}))
