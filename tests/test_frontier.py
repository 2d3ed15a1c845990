"""Issue 22: an ids crawl's frontier in Redis is its id ranges and one request template, not a
request per id: the pop makes the next ids' requests as it leases them, atomically. On a real
redis-server (tests/redis_helpers.py)."""

from __future__ import annotations

import json
import threading
import time
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DontCloseSpider

from newscrawl.commands.crawl_status import status
from newscrawl.distributed import CrawlKeys, serializer
from newscrawl.distributed.queue import LEASE_META, KnownIds, LeaseQueue
from newscrawl.distributed.seeding import ids_conflict, record_crawl, seed
from newscrawl.distributed.state import RedisStateStore
from newscrawl.items import Article, exported
from newscrawl.spiders.site import AsriranSpider
from tests.redis_helpers import needs_redis, newscrawl

pytestmark = needs_redis
BASE = "http://127.0.0.1:1"
INFO = json.dumps({"heartbeat": time.time(), "state": "stopped (finished)"})  # a worker's heartbeat


def crawl(redis_server, name="frontier", visibility_ms=60_000):
    server, keys = redis_server.client(), CrawlKeys(name)
    spider = AsriranSpider(mode="ids", ids="1", base_url=BASE)
    queue = LeaseQueue(server, spider, name, serializer, keys=keys, visibility_ms=visibility_ms)
    return server, keys, queue, RedisStateStore(server, keys, name)


def seed_ids(server, keys, store, ids: str, **args):
    spider = AsriranSpider(mode="ids", ids=ids, base_url=BASE, **args)
    record_crawl(server, keys, spider.name, {"mode": "ids", "ids": ids, "base_url": BASE, **args})
    return seed(spider, server, keys, store)


def lease_all(queue, worker="w", count=7, confirm=True) -> list[int]:
    """Every id the queue hands out, in order, each lease confirmed at once."""
    ids = []
    while leased := queue.pop_many(worker, count):
        ids += [r.meta["news_id"] for r in leased]
        if confirm:
            queue.heartbeat(worker, INFO, done=[r.meta[LEASE_META] for r in leased])
    return ids


def test_a_million_ids_are_seeded_at_once_as_one_range_and_redis_holds_only_what_is_leased(redis_server):
    server, keys, queue, store = crawl(redis_server)
    started = time.process_time()
    counts = seed_ids(server, keys, store, "1-1000000")
    assert time.process_time() - started < 1.0  # no request made per id
    assert (counts.requests, counts.seeded, counts.skipped_known, counts.already_seen) == (1_000_000, 1_000_000, 0, 0)
    assert server.lrange(keys.spans, 0, -1) == ["1 1000000"] and server.zrange(keys.covered, 0, -1) == ["1:1000000"]
    assert (server.zcard(keys.pending), server.hlen(keys.data), server.scard(keys.dupefilter)) == (0, 0, 0)
    assert len(queue) == 1_000_000  # what the workers' idle check and crawl-status count as pending
    leased = queue.pop_many("w", 5)
    assert [r.meta["news_id"] for r in leased] == [1, 2, 3, 4, 5]
    assert (server.hlen(keys.data), server.zcard(keys.lease), server.zcard(keys.pending)) == (5, 5, 0)
    assert server.lrange(keys.spans, 0, -1) == ["6 1000000"] and len(queue) == 999_995
    queue.heartbeat("w", INFO, done=[r.meta[LEASE_META] for r in leased])
    assert (server.hlen(keys.data), server.hlen(keys.score), server.zcard(keys.lease)) == (0, 0, 0)


def test_each_leased_request_is_the_one_the_spider_makes_for_its_id(redis_server):
    server, keys, queue, store = crawl(redis_server)
    seed_ids(server, keys, store, "870000-870002,719861")
    spider = AsriranSpider(mode="ids", ids="1", base_url=BASE)
    leased = queue.pop_many("w", 10)
    assert [r.meta["news_id"] for r in leased] == [870000, 870001, 870002, 719861]  # the order given
    for request in leased:
        made = spider.article_request(request.meta.pop("news_id"))
        lease_id = request.meta.pop(LEASE_META)
        assert len(lease_id) == 12
        made.meta.pop("news_id")
        assert (request.url, request.method, request.priority, request.meta, request.dont_filter) == (
            made.url, made.method, made.priority, made.meta, made.dont_filter)
        assert request.callback.__name__ == "parse_article" and request.errback.__name__ == "article_failed"
    assert leased[0].url == f"{BASE}/fa/news/870000"


def test_concurrent_workers_lease_every_id_exactly_once(redis_server):
    server, keys, _, store = crawl(redis_server)
    seed_ids(server, keys, store, "1-3000,5001-6000")
    spider = AsriranSpider(mode="ids", ids="1", base_url=BASE)
    got: dict[str, list[int]] = {}

    def worker(name):
        queue = LeaseQueue(redis_server.client(), spider, "frontier", serializer, keys=keys)
        got[name] = lease_all(queue, name, count=3 + len(got))

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = sorted(i for ids in got.values() for i in ids)
    assert every == [*range(1, 3001), *range(5001, 6001)]  # none lost, none twice
    assert sum(1 for ids in got.values() if ids) >= 2  # they did share the work
    assert server.hget(keys.counters, "done") == "4000" and server.hget(keys.frontier, "left") == "0"
    assert [server.llen(keys.spans), server.zcard(keys.pending), server.hlen(keys.data)] == [0, 0, 0]


def test_a_killed_workers_ids_come_back_once_and_the_crawl_is_not_finished_before_the_spans_are(redis_server):
    server, keys, queue, store = crawl(redis_server, visibility_ms=300)
    seed_ids(server, keys, store, "1-20")
    report = status(server, "frontier")
    assert (report["queued"], report["unexpanded"], report["leased"], report["finished"]) == (20, 20, 0, False)
    assert report["progress"]["total"] == 20 and report["progress"]["total_final"]
    lost = queue.pop_many("dies", 6)  # this worker is killed: never confirms
    report = status(server, "frontier")
    assert (report["queued"], report["unexpanded"], report["leased"], report["finished"]) == (14, 14, 6, False)
    time.sleep(0.4)  # its leases expire
    ids = lease_all(queue, "survivor", count=4)
    assert sorted(ids) == list(range(1, 21)) and ids[:6] == [r.meta["news_id"] for r in lost]  # back first
    assert server.hget(keys.counters, "redelivered") == "6"
    report = status(server, "frontier")
    assert (report["queued"], report["leased"], report["done"], report["finished"]) == (0, 0, 20, True)


def test_seeding_the_same_ids_again_adds_only_the_ids_no_seeding_named(redis_server):
    server, keys, queue, store = crawl(redis_server)
    first = seed_ids(server, keys, store, "1-10")
    again = seed_ids(server, keys, store, "5-15,20,11")
    assert (first.seeded, again.requests, again.seeded, again.already_seen) == (10, 12, 6, 6)
    assert server.lrange(keys.spans, 0, -1) == ["1 10", "11 15", "20 20"]
    assert server.zrange(keys.covered, 0, -1) == ["1:15", "20:20"]  # merged: what "seen" looks up
    assert lease_all(queue) == [*range(1, 16), 20]
    assert seed_ids(server, keys, store, "1-20").seeded == 4  # 16-19 only, after the crawl too
    assert seed_ids(server, keys, store, "21-30,17-22").seeded == 10  # adjacent ranges merge
    assert server.zrange(keys.covered, 0, -1) == ["1:30"]
    # --fresh forgets the ranges with the rest of the queue (never the state)
    record_crawl(server, keys, "asriran", {}, fresh=True)
    assert not server.exists(keys.spans, keys.covered, keys.frontier) and len(queue) == 0
    assert seed_ids(server, keys, store, "1-10").seeded == 10


def test_a_request_the_spans_named_is_seen_by_the_push_and_the_pop_skips_what_the_seen_set_holds(redis_server):
    server, keys, queue, store = crawl(redis_server)
    urls = AsriranSpider(mode="urls", urls="/fa/news/3,/fa/news/4", base_url=BASE)
    record_crawl(server, keys, urls.name, {"mode": "urls"})
    assert seed(urls, server, keys, store).seeded == 2  # queued one by one, into the seen-set
    seed_ids(server, keys, store, "1-5")
    spider = AsriranSpider(mode="ids", ids="1", base_url=BASE)
    fingerprint = queue.push_many  # a listing's article request of an id the spans named: seen
    from scrapy_redis.dupefilter import RFPDupeFilter
    seen = RFPDupeFilter(server, keys.dupefilter)
    assert fingerprint([(spider.article_request(2), seen.request_fingerprint(spider.article_request(2)))]) == 0
    assert fingerprint([(spider.article_request(9), seen.request_fingerprint(spider.article_request(9)))]) == 1
    # 3 and 4 are queued already (pushed): the spans' 3 and 4 are not made again
    assert sorted(lease_all(queue)) == [1, 2, 3, 4, 5, 9]


def test_the_pop_skips_the_ids_the_state_knows_unless_the_run_refreshes(redis_server):
    server, keys, queue, store = crawl(redis_server)
    store.record([exported(Article(site="asriran", news_id=i, url=f"u{i}")) for i in (3, 4)])
    store.record_bad("asriran", 6, "missing", "404")  # tried lately: known
    server.hset(store.bad, "asriran:7", json.dumps({"outcome": "missing", "reason": "404",
                                                   "tried": time.time() - 48 * 3600}))  # long ago: tried again
    store.record([exported(Article(site="tabnak", news_id=8, url="u8"))])  # another site's 8
    seed_ids(server, keys, store, "1-9")
    queue.known = KnownIds("asriran", store.articles, store.bad, 24 * 3600)
    leased, skipped = queue.lease("w", 3)
    assert [r.meta["news_id"] for r in leased] == [1, 2, 5] and skipped == 2
    assert lease_all(queue) == [7, 8, 9]
    assert server.hget(keys.counters, "skipped_known") == "3"
    report = status(server, "frontier")
    assert report["skipped_known"] == 3 and report["progress"]["total"] == 9
    # refresh (no KnownIds): every id
    other, keys2 = crawl(redis_server, "again")[2], CrawlKeys("again")
    seed_ids(server, keys2, store, "1-9", refresh="1")
    assert lease_all(other) == list(range(1, 10))


def test_a_stretch_of_known_ids_costs_one_round_trip_per_thousand(redis_server):
    from newscrawl.distributed import RoundTrips
    server, keys, queue, store = crawl(redis_server)
    store.record([exported(Article(site="asriran", news_id=i, url=f"u{i}")) for i in range(1, 2501)])
    seed_ids(server, keys, store, "1-2600")
    queue.known = KnownIds("asriran", store.articles, store.bad, 24 * 3600)
    queue.pop_many("warm", 0)
    before = RoundTrips.count
    asks = [queue.lease("w", 4) for _ in range(3)]
    assert RoundTrips.count - before == 3
    assert [(len(leased), skipped) for leased, skipped in asks] == [(0, 1000), (0, 1000), (4, 500)]
    assert asks[2][0][0].meta["news_id"] == 2501


def test_an_article_request_the_template_cannot_make_is_seeded_one_by_one(redis_server, monkeypatch):
    server, keys, queue, store = crawl(redis_server)
    made = AsriranSpider.article_request

    def odd(self, news_id):  # something of the id the template cannot carry
        request = made(self, news_id)
        request.meta["half"] = news_id // 2
        return request

    monkeypatch.setattr(AsriranSpider, "article_request", odd)
    counts = seed_ids(server, keys, store, "1-5")
    assert counts.seeded == 5 and server.zcard(keys.pending) == 5 and not server.exists(keys.spans)
    assert [r.meta["half"] for r in queue.pop_many("w", 5)] == [0, 1, 1, 2, 2]


def test_ids_seeded_for_another_host_are_refused_until_fresh(redis_server):
    server, keys, _, store = crawl(redis_server)
    seed_ids(server, keys, store, "1-5")
    other = AsriranSpider(mode="ids", ids="6-9", base_url="http://127.0.0.1:2")
    assert "has ids seeded for another article request (another base_url?)" in ids_conflict(other, server, keys, store)
    assert ids_conflict(AsriranSpider(mode="ids", ids="6-9", base_url=BASE), server, keys, store) is None
    with pytest.raises(ValueError, match="seeded for another article request"):
        seed(other, server, keys, store)
    record_crawl(server, keys, "asriran", {}, fresh=True)
    assert seed(other, server, keys, store).seeded == 4


def test_the_seed_command_refuses_ids_for_another_host_in_one_line_and_records_nothing(redis_server):
    def seed_command(base_url, *more):
        return newscrawl("seed", "hosts", "--redis-url", redis_server.url, "-a", "mode=ids", "-a", "ids=1-5",
                         "-a", f"base_url={base_url}", *more)
    first = seed_command(BASE)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) | {"seconds": 0} == {
        "crawl": "hosts", "requests": 5, "seeded": 5, "already_seen": 0, "skipped_known": 0, "pending": 5, "seconds": 0}
    refused = seed_command("http://127.0.0.1:2")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--fresh" in refused.stderr
    server = redis_server.client()
    assert json.loads(server.hget(CrawlKeys("hosts").meta, "args"))["base_url"] == BASE  # nothing recorded
    fresh = seed_command("http://127.0.0.1:2", "--fresh")
    assert fresh.returncode == 0 and json.loads(fresh.stdout)["seeded"] == 5


def worker_scheduler(redis_server, **config):
    """A worker's scheduler over the crawl 'frontier', without an engine; `config`: the run's (RunConfig)."""
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl import settings as project_settings
    from newscrawl.distributed.scheduler import LeaseScheduler
    from newscrawl.run.config import RunConfig, publish
    settings = Settings({k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()})
    settings.setdict({"REDIS_URL": redis_server.url, "CRAWL_NAME": "frontier"})
    crawler = SimpleNamespace(settings=settings, engine=SimpleNamespace(_slot=SimpleNamespace(inprogress=set())))
    crawler.stats = MemoryStatsCollector(crawler)
    publish(crawler, RunConfig(site="asriran", mode="rss", run_id="r", base_url=BASE, **config))
    server, keys, queue, store = crawl(redis_server)
    scheduler = LeaseScheduler(server, crawler, keys)
    scheduler.queue, scheduler.worker, scheduler.spider = queue, "w", queue.spider
    return scheduler, server, keys, queue, store


def test_a_worker_skips_the_spans_known_ids_in_its_pops_unless_it_refreshes(redis_server):
    from newscrawl import stats as stat
    scheduler, server, keys, queue, store = worker_scheduler(redis_server)
    store.record([exported(Article(site="asriran", news_id=i, url=f"u{i}")) for i in range(1, 1501)])
    seed_ids(server, keys, store, "1-1600")
    queue.known = scheduler._known_ids(store)
    request = scheduler.next_request()  # two pops of known ids only, then one that leases: one ask
    assert request.meta["news_id"] == 1501 and scheduler.stats.get_value(stat.SKIPPED_KNOWN) == 1500
    assert server.hget(keys.counters, "skipped_known") == "1500"
    for config in ({"refresh": True}, {"skip_known": False}):
        assert worker_scheduler(redis_server, **config)[0]._known_ids(store) is None


def test_a_worker_with_only_unexpanded_ids_left_does_not_close(redis_server):
    scheduler, server, keys, queue, store = worker_scheduler(redis_server)
    seed_ids(server, keys, store, "1-3")
    assert (server.zcard(keys.pending), server.zcard(keys.lease)) == (0, 0)
    assert scheduler.has_pending_requests()
    with pytest.raises(DontCloseSpider):
        scheduler.spider_idle(queue.spider)
    assert lease_all(queue) == [1, 2, 3]
    assert not scheduler.has_pending_requests()
    scheduler.spider_idle(queue.spider)  # nothing pending, leased or unexpanded: it may close


def test_a_worker_crawls_the_seeded_ranges_less_the_known_ids_and_the_crawl_finishes(redis_server, tmp_path):
    """End to end: `seed` stores the ranges, a worker process leases them, skipping in Redis the ids
    the crawl's state knows, and writes every other article once; crawl-status counts it all."""
    from newscrawl.mirror.synth import FIRST_ID, synthesize
    from tests.redis_helpers import counting_mirror, start_worker

    count, known = 40, {FIRST_ID + 3, FIRST_ID + 4, FIRST_ID + 30}
    synthesize(tmp_path / "site", count, seed=7)
    server = redis_server.client()
    store = RedisStateStore(server, CrawlKeys("e2e"), "e2e")
    store.record([exported(Article(site="asriran", news_id=i, url=f"u{i}")) for i in known])
    with counting_mirror(tmp_path / "site") as mirror:
        seeded = newscrawl("seed", "e2e", "--redis-url", redis_server.url, "-a", "mode=ids",
                           "-a", f"ids={FIRST_ID}-{FIRST_ID + count - 1}", "-a", f"base_url={mirror.base_url}")
        assert seeded.returncode == 0, seeded.stderr
        assert server.zcard(CrawlKeys("e2e").pending) == 0 and json.loads(seeded.stdout)["pending"] == count
        worker = start_worker(redis_server, "e2e", tmp_path, "DISTRIBUTED_RATE=0")
        assert worker.wait(timeout=240) == 0
        fetched = sorted(int(path.rsplit("/", 1)[-1]) for _, path in mirror.hits if "/fa/news/" in path)
    unknown = sorted(set(range(FIRST_ID, FIRST_ID + count)) - known)
    assert fetched == unknown  # the known ids were never asked for
    written = [json.loads(line)["news_id"] for path in (tmp_path / "output").rglob("*.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines()]
    assert sorted(written) == unknown
    shown = newscrawl("crawl-status", "e2e", "--redis-url", redis_server.url, "--json")
    report = json.loads(shown.stdout)
    assert (report["finished"], report["done"], report["skipped_known"], report["queued"]) == (True, 37, 3, 0)
    assert report["totals"]["skipped_known"] == 3 and report["progress"]["total"] == count
    assert server.hlen(CrawlKeys("e2e").data) == 0  # nothing left in Redis per id
