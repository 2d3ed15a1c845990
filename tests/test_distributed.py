"""Scale-out on a real redis-server: leases, shared state, the shared politeness budget, workers
that die, Redis that restarts. The single-process mode is the rest of the suite, unchanged."""

from __future__ import annotations

import json
import signal
import time

import pytest
import scrapy
from scrapy.utils.request import request_from_dict

from newscrawl.distributed import CrawlKeys, serializer
from newscrawl.distributed.queue import LEASE_META, LeaseQueue
from newscrawl.distributed.state import RedisStateStore
from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.spiders.site import AsriranSpider
from tests.redis_helpers import counting_mirror, needs_redis, newscrawl, start_worker

pytestmark = needs_redis


def test_requests_travel_as_json_not_pickle_and_come_back_whole():
    spider = AsriranSpider(mode="ids", ids="1")
    request = scrapy.Request("http://127.0.0.1:1/fa/news/5", callback=spider.parse_article, method="POST",
                             body=b"\xff\x00raw", headers={"X-Token": "a"}, priority=3,
                             meta={"news_id": 5, "handle_httpstatus_list": [404]})
    text = serializer.dumps(request.to_dict(spider=spider))
    json.loads(text)  # plain JSON
    back = request_from_dict(serializer.loads(text), spider=spider)
    assert (back.url, back.method, back.body, back.priority) == (request.url, "POST", b"\xff\x00raw", 3)
    assert back.headers[b"X-Token"] == b"a"
    assert back.callback == spider.parse_article
    assert back.meta == {"news_id": 5, "handle_httpstatus_list": [404]}


def _queue(redis_server, visibility_ms=300, max_attempts=2):
    spider = AsriranSpider(mode="ids", ids="1", base_url="http://127.0.0.1:1")
    keys = CrawlKeys("unit")
    return LeaseQueue(redis_server.client(), spider, "unit", serializer, keys=keys,
                      visibility_ms=visibility_ms, max_attempts=max_attempts), spider, keys


def _unit_scheduler(redis_server, worker="w", **overrides):
    """A LeaseScheduler on the project's settings (plus `overrides`) with a stand-in crawler: its
    engine's in-progress set, stats and signals, and the unit crawl's queue (visibility 0.5 s)."""
    from types import SimpleNamespace

    from scrapy.settings import Settings
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl import settings as project_settings
    from newscrawl.distributed.scheduler import LeaseScheduler
    settings = Settings({k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()})
    settings.setdict({"REDIS_URL": redis_server.url, "CRAWL_NAME": "unit", "LEASE_VISIBILITY_SECONDS": 0.5,
                      **overrides})
    inprogress: set = set()
    crawler = SimpleNamespace(settings=settings, engine=SimpleNamespace(_slot=SimpleNamespace(inprogress=inprogress)),
                              signals=SignalManager())
    crawler.stats = MemoryStatsCollector(crawler)
    queue, spider, keys = _queue(redis_server, visibility_ms=500)
    scheduler = LeaseScheduler(redis_server.client(), crawler, keys)
    scheduler.queue, scheduler.worker, scheduler.spider = queue, worker, spider
    return scheduler, crawler, inprogress


def test_a_popped_request_is_leased_not_lost_and_an_expired_lease_comes_back(redis_server):
    queue, spider, keys = _queue(redis_server)
    server = redis_server.client()
    for news_id in (1, 2):
        assert queue.push(spider.article_request(news_id), fingerprint=f"fp{news_id}")
    assert not queue.push(spider.article_request(1), fingerprint="fp1")  # seen: not queued twice
    first = queue.pop(worker="w1")
    assert first.meta["news_id"] == 1  # FIFO within one priority
    assert (server.zcard(keys.pending), server.zcard(keys.lease)) == (1, 1)
    time.sleep(0.4)  # w1 died: its lease expires
    again = [queue.pop(worker="w2"), queue.pop(worker="w2")]
    assert sorted(r.meta["news_id"] for r in again) == [1, 2]
    assert server.hget(keys.counters, "redelivered") == "1"
    # w2 confirms both: nothing left anywhere
    queue.heartbeat("w2", "{}", done=[r.meta[LEASE_META] for r in again])
    assert [server.zcard(keys.pending), server.zcard(keys.lease), server.hlen(keys.data)] == [0, 0, 0]
    assert server.hget(keys.counters, "done") == "2"


def test_a_request_whose_leases_keep_expiring_is_dead_lettered_with_why(redis_server):
    queue, spider, keys = _queue(redis_server, max_attempts=2)
    server = redis_server.client()
    queue.push(spider.article_request(7), fingerprint="fp7")
    for _ in range(2):
        assert queue.pop(worker="w") is not None
        time.sleep(0.35)
    assert queue.pop(worker="w") is None
    assert server.zcard(keys.dead) == 1
    assert "lease expired 2 times" in next(iter(server.hgetall(keys.dead_error).values()))


def test_a_heartbeat_extends_live_leases_and_dead_letters_failures(redis_server):
    queue, spider, keys = _queue(redis_server, visibility_ms=400)
    server = redis_server.client()
    queue.push(spider.article_request(1), fingerprint="a")
    queue.push(spider.article_request(2), fingerprint="b")
    live, failing = queue.pop(worker="w"), queue.pop(worker="w")
    for _ in range(4):
        time.sleep(0.2)
        queue.heartbeat("w", "{}", live=[live.meta[LEASE_META]])
        if failing is not None:
            queue.heartbeat("w", "{}", dead={failing.meta[LEASE_META]: "HTTP 503 after 4 retries"},
                            live=[live.meta[LEASE_META]])
            failing = None
    assert queue.pop(worker="other") is None  # 0.8 s later the live lease still holds
    assert server.zcard(keys.lease) == 1
    assert list(server.hgetall(keys.dead_error).values()) == ["HTTP 503 after 4 retries"]


def test_the_heartbeat_confirms_finished_requests_extends_live_ones_and_lets_go_of_stuck_ones(redis_server):
    scheduler, crawler, inprogress = _unit_scheduler(redis_server, LEASE_MAX_SECONDS=1.0)
    queue, spider, keys = scheduler.queue, scheduler.spider, scheduler.keys
    spider.output_files = []
    for news_id in (1, 2):
        queue.push(spider.article_request(news_id), fingerprint=str(news_id))
    _finished, stuck = scheduler.next_request(), scheduler.next_request()
    inprogress.add(stuck)  # `finished` has left the engine: its callback and items are done
    server = redis_server.client()
    scheduler.beat()
    assert server.hget(keys.counters, "done") == "1" and server.zcard(keys.lease) == 1
    for _ in range(3):  # the heartbeat keeps the stuck one's lease alive past its visibility timeout
        time.sleep(0.3)
        scheduler.beat()
    assert queue.pop(worker="other") is None
    time.sleep(0.3)  # past LEASE_MAX_SECONDS: let go, its lease expires, another worker gets it
    scheduler.beat()
    time.sleep(0.6)
    taken = queue.pop(worker="other")
    assert taken is not None and taken.meta["news_id"] == stuck.meta["news_id"]
    assert crawler.stats.get_value("newscrawl/leases/let_go") == 1
    assert json.loads(server.hget(keys.workers, "w"))["leases"] == 0


def test_redis_state_store_has_the_sqlite_store_interface_and_claims(redis_server):
    server = redis_server.client()
    keys = CrawlKeys("unit")
    store = RedisStateStore(server, keys, "unit", bad_page_retry_hours=1)
    item = {"site": "asriran", "news_id": 10, "url": "https://www.asriran.com/fa/news/10", "title": "t"}
    assert not store.known("asriran", 10) and store.content_hash("asriran", 10) is None
    assert store.record([item]) == 1
    assert store.known("asriran", 10) and store.count() == 1 and len(store.content_hash("asriran", 10)) == 64
    store.record_bad("asriran", 11, "missing", "404")
    assert store.known_many("asriran", [10, 11, 12]) == {10, 11}
    store.touch("asriran", 10)
    # claims: one live owner at a time; a dead owner's claim is void
    server.set(keys.alive("w1"), 1, px=10_000)
    assert store.claim("asriran", 20, "w1") and store.claim("asriran", 20, "w1")
    assert not store.claim("asriran", 20, "w2")
    server.delete(keys.alive("w1"))
    assert store.claim_with_previous("asriran", 20, "w2") == (True, "w1")
    assert store.release_claims("w2") == 1
    assert store.claim("asriran", 20, "w3")
    # the rest of the claim API, as newscrawl.state.StateStore has it
    server.set(keys.alive("w3"), 1, px=10_000)
    assert store.claim_holder("asriran", 20) == "w3" and store.claims_of("w3") == [("asriran", 20)]
    store.release("asriran", 20, "w2")  # not w2's: stays
    assert store.claim_holder("asriran", 20) == "w3"
    store.release("asriran", 20, "w3")
    assert store.claim_holder("asriran", 20) is None and store.claims_of("w3") == []
    assert store.claim("asriran", 21, "w3") and store.claim("asriran", 22, "w3")
    store.record([{**item, "news_id": 21}])  # no owner: recorded, the claim stays
    assert store.claim_holder("asriran", 21) == "w3"
    store.record([{**item, "news_id": 21}, {**item, "news_id": 22}], owner="w3")  # ends w3's claims on them
    assert store.claims_of("w3") == [] and store.known_many("asriran", [21, 22]) == {21, 22}
    assert store.dead_owners() == []  # a dead worker's claims are void by its expired alive key
    store.check_writable()
    store.close()


def test_the_redis_store_has_every_public_method_of_the_sqlite_store_and_both_keep_the_protocol(redis_server):
    import inspect

    from newscrawl.state import StateBackend, StateStore
    def api(cls):
        return {name for name, value in vars(cls).items() if inspect.isfunction(value) and not name.startswith("_")}
    assert api(StateStore) == api(StateBackend)  # the Protocol names the whole API
    assert api(StateStore) <= api(RedisStateStore)
    for name in api(StateStore):
        assert (list(inspect.signature(getattr(StateStore, name)).parameters)
                == list(inspect.signature(getattr(RedisStateStore, name)).parameters)), name
    assert isinstance(RedisStateStore(redis_server.client(), CrawlKeys("unit"), "unit"), StateBackend)


def test_both_stores_remember_where_an_archive_walk_broke_until_it_is_done(redis_server, tmp_path):
    from newscrawl.state import StateStore

    for store in (StateStore(tmp_path / "state.sqlite3"), RedisStateStore(redis_server.client(), CrawlKeys("unit"),
                                                                          "unit")):
        store.walk_broken("asriran", "walk-a", 3, "http://x/fa/archive?p=3", "HttpError: HTTP 500", "run1")
        store.walk_broken("asriran", "walk-a", 4, "http://x/fa/archive?p=4", "HttpError: HTTP 503", "run2")
        store.walk_broken("tabnak", "walk-a", 2, "http://y/fa/archive?p=2", "HttpError: HTTP 500", "run1")
        broken = store.broken_walks("asriran")
        assert list(broken) == ["walk-a"], type(store)
        assert {k: broken["walk-a"][k] for k in ("page", "url", "reason", "run")} == {
            "page": 4, "url": "http://x/fa/archive?p=4", "reason": "HttpError: HTTP 503", "run": "run2"}
        store.walk_done("asriran", "walk-a")
        assert store.broken_walks("asriran") == {} and list(store.broken_walks("tabnak")) == ["walk-a"]
        store.close()


def test_both_stores_keep_the_latest_crawled_at_recorded_and_it_never_goes_back(redis_server, tmp_path):
    """The floor of a run's clock (newscrawl.run.clock): a version recorded with an earlier crawled_at
    (a clock that went back) does not lower it."""
    from newscrawl.state import StateStore

    item = {"site": "asriran", "url": "https://www.asriran.com/fa/news/1", "title": "t"}
    for store in (StateStore(tmp_path / "state.sqlite3"), RedisStateStore(redis_server.client(), CrawlKeys("unit"),
                                                                          "unit")):
        assert store.latest_crawled_at() is None
        store.record([{**item, "news_id": 1, "crawled_at": "2026-01-02T06:00:00Z"},
                      {**item, "news_id": 2, "crawled_at": "2026-01-02T05:00:00Z"}])
        store.record([{**item, "news_id": 1, "crawled_at": "2026-01-02T00:30:00Z"}])
        assert store.latest_crawled_at() == "2026-01-02T06:00:00Z", type(store)
        store.close()


def test_in_a_distributed_crawl_the_claim_owner_is_the_worker_whose_heartbeat_redis_knows(redis_server):
    import os
    from types import SimpleNamespace

    from scrapy.settings import Settings

    from newscrawl.distributed import worker_id
    from newscrawl.distributed.addon import ScaleOut
    from newscrawl.run.store import owner_for, store_for
    settings = Settings({"REDIS_URL": redis_server.url, "CRAWL_NAME": "unit"})
    ScaleOut().update_settings(settings)  # the add-on switches STATE_BACKEND to Redis
    crawler = SimpleNamespace(settings=settings,
                              signals=SimpleNamespace(connect=lambda *args, **kwargs: None),
                              spider=SimpleNamespace(name="asriran", run_id="run1"))
    assert owner_for(crawler) == worker_id(crawler.spider) and owner_for(crawler).endswith(f"-{os.getpid()}-run1")
    store = store_for(crawler)
    assert isinstance(store, RedisStateStore)
    redis_server.client().set(CrawlKeys("unit").alive(owner_for(crawler)), 1, px=10_000)  # its heartbeat
    assert store.claim("asriran", 1, owner_for(crawler)) and not store.claim("asriran", 1, "another-worker")
    store.close()


def test_a_redis_that_refuses_writes_is_a_state_error(redis_server):
    from newscrawl.exceptions import StateError
    server = redis_server.client()
    store = RedisStateStore(server, CrawlKeys("unit"), "unit")
    server.config_set("maxmemory-policy", "noeviction")
    server.config_set("maxmemory", 1)  # every write now fails: OOM
    with pytest.raises(StateError, match="Redis state store 'unit'.*maxmemory"):
        store.check_writable()
    with pytest.raises(StateError):
        store.record([{"site": "asriran", "news_id": 1, "url": "u"}], owner="w")
    server.config_set("maxmemory", 0)


def test_a_worker_whose_redis_stays_away_past_redis_wait_seconds_exits_7(tmp_path):
    """`scrapy crawl` as a worker (what `newscrawl worker` execs), Redis gone: the state check before
    the crawl waits REDIS_WAIT_SECONDS, then it is exit code 7 (state_failed), as mid-crawl."""
    import subprocess
    import sys

    from tests.redis_helpers import ENV, ROOT, free_port
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "asriran", "-a", "mode=ids", "-a", "ids=1",
         "-a", "base_url=http://127.0.0.1:9", "-s", f"REDIS_URL=redis://127.0.0.1:{free_port()}/0",
         "-s", "CRAWL_NAME=gone", "-s", "REDIS_WAIT_SECONDS=1", "-s", f"OUTPUT_DIR={tmp_path / 'output'}"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 7, result.stderr[-2000:]
    assert "state_failed: the crawl's state in Redis" in result.stderr
    assert time.monotonic() - started >= 1


def test_the_gcra_budget_books_moments_one_interval_apart_across_clients(redis_server):
    from newscrawl.distributed import scripts
    servers = [redis_server.client() for _ in range(3)]
    gcra = servers[0].register_script(scripts.GCRA)
    keys = ["unit:rate", "unit:rate:backoff"]
    interval = 10_000  # one request every 10 s: each call books ahead, however slowly this machine runs
    waits, moments = [], []
    for _ in range(4):
        for server in servers:  # the Redis clock read in the same transaction as the booking
            pipe = server.pipeline(transaction=True)
            pipe.time()
            gcra(keys=keys, args=[interval, 1], client=pipe)
            (seconds, micros), (wait_ms, _generation) = pipe.execute()
            waits.append(wait_ms)
            moments.append(seconds * 1000 + micros // 1000 + wait_ms)  # the moment booked, on Redis's clock
    assert waits[0] == 0
    # one interval apart, whoever asks (the clock is read a few microseconds before the booking)
    assert all(abs(b - a - interval) <= 50 for a, b in zip(moments, moments[1:], strict=False)), moments
    # a back-off pushes the next free moment past it, and is a new generation
    keys = ["unit:rate2", "unit:rate2:backoff"]
    assert gcra(keys=keys, args=[100, 1], client=servers[0])[0] == 0
    backoff = redis_server.client().register_script(scripts.BACKOFF)
    pipe = servers[1].pipeline(transaction=True)  # the back-off and the next booking, back to back
    backoff(keys=keys, args=[3000], client=pipe)
    gcra(keys=keys, args=[100, 1], client=pipe)
    generation, (wait_ms, seen) = pipe.execute()
    assert generation == seen == 1  # a new generation: far bookings book again
    assert wait_ms >= 2900


# -- whole crawls: workers as processes against the mirror --------------------------------------------


def items_of(workdir):
    """Every line of every output file (finished or left .part by a killed worker), each parsed."""
    lines = []
    for path in sorted((workdir / "output").rglob("*.jsonl*")):
        if ".quarantine." in path.name or path.name.endswith(".recovering"):
            continue
        lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return lines


def status(redis, crawl):
    result = newscrawl("crawl-status", crawl, "--redis-url", redis.url, "--json", "--dead")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def wait_all(workers, timeout=600):
    """Their exit codes. The deadline catches a hang only: at load ~30 the kill test's survivors went
    past 240 s, and the Redis restart test's rerun past 120 s, while crawling at ~25 pages/s."""
    deadline = time.monotonic() + timeout
    codes = []
    for worker in workers:
        codes.append(worker.wait(timeout=max(1, deadline - time.monotonic())))
    return codes


def lines_written(workdir) -> int:
    return sum(p.read_bytes().count(b"\n") for p in (workdir / "output").rglob("*.jsonl.part"))


def lines_of_worker(server, crawl: str, pid: int) -> int:
    """The lines worker `pid` has written so far: its parts, as its heartbeat names them."""
    from newscrawl.output.parts import part_path
    for raw in server.hgetall(CrawlKeys(crawl).workers).values():
        info = json.loads(raw)
        if info.get("pid") == pid:
            lines = 0
            for part in (part_path(path) for path in info.get("output", [])):
                try:
                    lines += part.read_bytes().count(b"\n")
                except FileNotFoundError:  # not opened yet
                    pass
            return lines
    return 0


N_KILL = 5000


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    synthesize(root, N_KILL, seed=5)
    return root


def test_four_workers_two_killed_one_restarted_every_article_exactly_once(synthetic_site, redis_server, tmp_path):
    last = FIRST_ID + N_KILL - 1
    with counting_mirror(synthetic_site) as mirror:
        seeded = newscrawl("seed", "kill", "--redis-url", redis_server.url, "-a", "mode=ids",
                           "-a", f"ids={FIRST_ID}-{last}", "-a", f"base_url={mirror.base_url}")
        assert seeded.returncode == 0, seeded.stderr
        assert json.loads(seeded.stdout)["seeded"] == N_KILL
        settings = ("DISTRIBUTED_RATE=0",)
        workers = [start_worker(redis_server, "kill", tmp_path, *settings) for _ in range(4)]
        server = redis_server.client()

        def far_enough() -> bool:  # a third of the crawl written, and each victim is writing its part of it
            return (lines_written(tmp_path) >= N_KILL // 3
                    and all(lines_of_worker(server, "kill", victim.pid) >= 20 for victim in workers[:2]))

        deadline = time.monotonic() + 240
        while not far_enough() and time.monotonic() < deadline:
            time.sleep(0.05)
        # on a loaded machine a worker can still be starting when the others have written a third
        assert far_enough(), [lines_of_worker(server, "kill", victim.pid) for victim in workers[:2]]
        for victim in workers[:2]:
            victim.send_signal(signal.SIGKILL)
        time.sleep(1)
        workers.append(start_worker(redis_server, "kill", tmp_path, *settings))
        codes = wait_all(workers[1:])
    assert codes[0] == -signal.SIGKILL and codes[1:] == [0, 0, 0]
    items = items_of(tmp_path)
    ids = [item["news_id"] for item in items]
    assert sorted(ids) == list(range(FIRST_ID, last + 1))  # every article, exactly once
    report = status(redis_server, "kill")
    assert report["finished"] and report["queued"] == 0 and report["leased"] == 0
    assert report["done"] == N_KILL and report["dead_lettered"] == 0
    assert report["redelivered"] > 0  # the killed workers' leases came back
    # each worker's last state: the killed ones died running and a survivor finalized their files
    # (issue 21 case 4: no longer shown as running forever), the rest finished
    assert not any(w["alive"] for w in report["workers"])
    assert sorted(w["state"].split(" by ")[0] for w in report["workers"]) == (
        ["dead (finalized"] * 2 + ["stopped (finished)"] * 3)
    assert not list((tmp_path / "output").rglob("*.part"))  # every file of the killed workers finalized
    assert all(w["heartbeat_age_seconds"] >= 0 for w in report["workers"])


class BackoffHeard:
    """When each back-off of a crawl was announced on its channel (monotonic, as the mirror's hits)."""

    def __init__(self, redis, channel: str):
        import threading
        self.pubsub = redis.client().pubsub()
        self.pubsub.subscribe(channel)
        assert self.pubsub.get_message(timeout=10)["type"] == "subscribe"  # listening before any worker
        self.times: list[float] = []
        self.stopped = False
        self.thread = threading.Thread(target=self._listen, daemon=True)

    def _listen(self) -> None:
        while not self.stopped:
            message = self.pubsub.get_message(timeout=0.2)
            if message is not None and message["type"] == "message":
                self.times.append(time.monotonic())

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped = True
        self.thread.join()
        self.pubsub.close()


def worker_reports(workdir):
    return [json.loads(p.read_text(encoding="utf-8")) for p in (workdir / "output").rglob("*.report.json")]


def test_three_workers_share_one_budget_and_a_429_slows_all_three(synthetic_site, redis_server, tmp_path):
    rate, count = 10.0, 90
    throttled = f"/fa/news/{FIRST_ID + 45}"
    faults = {throttled: {"status": 429, "retry_after": 2, "times": 1}}
    with counting_mirror(synthetic_site, faults=faults, together=3) as mirror, \
            BackoffHeard(redis_server, CrawlKeys("budget").backoffs()) as heard:
        seeded = newscrawl("seed", "budget", "--redis-url", redis_server.url, "-a", "mode=ids",
                           "-a", f"ids={FIRST_ID}-{FIRST_ID + count - 1}", "-a", f"base_url={mirror.base_url}")
        assert seeded.returncode == 0, seeded.stderr
        # each worker alone would go far faster than the budget (8 at a time, no delay); robots.txt,
        # held until all three asked, is not given up on meanwhile (DOWNLOAD_TIMEOUT above that hold)
        workers = [start_worker(redis_server, "budget", tmp_path, f"DISTRIBUTED_RATE={rate}", "DOWNLOAD_DELAY=1",
                                "DOWNLOAD_TIMEOUT=150") for _ in range(3)]
        assert wait_all(workers) == [0, 0, 0]
        hits = sorted(mirror.hits)
    times = [t for t, path in hits if path != "/robots.txt"]  # the three robots.txt went at once, held
    t429 = next(t for t, path in hits if path == throttled)
    after = [t for t in times if t > t429]
    # when one worker is told to wait 2 s, all three wait: once the back-off is announced (the worker
    # that got the 429 has read it: on a loaded machine that can be a few hundred ms after the mirror
    # sent it, and what was booked before it goes meanwhile), at most the two requests booked within
    # the horizon go. Its resumption is >= 2 s after the announcement, after t429 + 1.7.
    [announced] = heard.times
    assert t429 < announced
    assert len([t for t in after if announced < t < t429 + 1.7]) <= 2, (announced - t429, after[:12])
    # the rate the mirror saw, the pause taken out (its longest gap, beyond one interval)
    pause = max(b - a for a, b in zip([t429, *after], after, strict=False)) - 1 / rate
    measured = (len(times) - 1) / (times[-1] - times[0] - pause)
    assert pause > 1.5  # the Retry-After of 2 s, less what was booked before it came
    assert abs(measured - rate) / rate <= 0.10, measured
    reports = worker_reports(tmp_path)
    assert len(reports) == 3 and all(r["pages_fetched"] > 5 for r in reports)  # all three shared the work
    assert sum(r["items_written"] for r in reports) == count
    asks = sum(r["stats"].get("newscrawl/redis/rate_round_trips", 0) for r in reports)
    assert asks / sum(r["pages_fetched"] for r in reports) <= 3.0, asks  # no herd of waiters polling Redis
    totals = status(redis_server, "budget")["totals"]  # crawl-status adds up what the reports say
    assert totals["items"] == count and totals["pages"] == sum(r["pages_fetched"] for r in reports)
    assert len({item["news_id"] for item in items_of(tmp_path)}) == count


def test_redis_restart_mid_crawl_workers_wait_and_go_on_or_stop_with_7_and_a_rerun_completes(
        synthetic_site, redis_server, tmp_path):
    count = 900
    with counting_mirror(synthetic_site) as mirror:
        seeded = newscrawl("seed", "outage", "--redis-url", redis_server.url, "-a", "mode=ids",
                           "-a", f"ids={FIRST_ID}-{FIRST_ID + count - 1}", "-a", f"base_url={mirror.base_url}")
        assert seeded.returncode == 0, seeded.stderr
        settings = ("DISTRIBUTED_RATE=60", "REDIS_WAIT_SECONDS=5")
        workers = [start_worker(redis_server, "outage", tmp_path, *settings) for _ in range(2)]
        server = redis_server.client()

        def both_crawling() -> bool:  # on a loaded machine one can still be starting when the other wrote 150
            return (lines_written(tmp_path) >= 150
                    and all(lines_of_worker(server, "outage", worker.pid) >= 10 for worker in workers))

        deadline = time.monotonic() + 120
        while not both_crawling() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert both_crawling(), [lines_of_worker(server, "outage", worker.pid) for worker in workers]
        server.close()
        redis_server.stop()  # a restart shorter than REDIS_WAIT_SECONDS: the workers wait
        time.sleep(2)
        redis_server.start()
        while lines_written(tmp_path) < 450 and time.monotonic() < deadline + 60:
            time.sleep(0.05)
        assert all(w.poll() is None for w in workers)  # still crawling after the restart
        redis_server.stop()  # longer than REDIS_WAIT_SECONDS: the workers stop, exit code 7
        codes = wait_all(workers, timeout=300)
        assert codes == [7, 7]
        redis_server.start()
        rerun = start_worker(redis_server, "outage", tmp_path, *settings)
        assert wait_all([rerun]) == [0]
    ids = [item["news_id"] for item in items_of(tmp_path)]
    assert sorted(ids) == list(range(FIRST_ID, FIRST_ID + count))
    report = status(redis_server, "outage")
    assert report["finished"] and report["done"] == count and report["dead_lettered"] == 0


def test_a_page_that_keeps_failing_is_dead_lettered_and_shown(synthetic_site, redis_server, tmp_path):
    broken = f"/fa/news/{FIRST_ID + 3}"
    with counting_mirror(synthetic_site, faults={broken: {"status": 500}}) as mirror:
        newscrawl("seed", "dead", "--redis-url", redis_server.url, "-a", "mode=ids",
                  "-a", f"ids={FIRST_ID}-{FIRST_ID + 9}", "-a", f"base_url={mirror.base_url}")
        worker = start_worker(redis_server, "dead", tmp_path, "DISTRIBUTED_RATE=0", "RETRY_TIMES=1")
        assert wait_all([worker]) == [0]
    report = status(redis_server, "dead")
    # done: the 9 articles and the first try of the broken one (its retry is a request of its own)
    assert report["done"] == 10 and report["dead_lettered"] == 1 and report["finished"]
    [letter] = report["dead_letters"]
    assert letter["url"].endswith(broken) and letter["error"] == "HTTP 500 after 1 retries"
    shown = newscrawl("crawl-status", "dead", "--redis-url", redis_server.url, "--dead")
    assert "dead-lettered 1" in shown.stdout and "HTTP 500 after 1 retries" in shown.stdout
    requeued = newscrawl("crawl-status", "dead", "--redis-url", redis_server.url, "--requeue-dead", "--json")
    assert json.loads(requeued.stdout.split("\n", 1)[1])["queued"] == 1


def test_an_archive_crawl_spreads_its_listings_children_over_two_workers(redis_server, tmp_path):
    from newscrawl.mirror.server import running_mirror
    from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
    from tests.conftest import article_pages
    good = sorted(load_expected(p)["news_id"] for p in article_pages("asriran"))
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        seeded = newscrawl(
            "seed",
            "archive",
            "--redis-url",
            redis_server.url,
            "-a",
            "mode=archive",
            "-a",
            "from_date=1384/01/01",
            "-a",
            "to_date=1404/12/29",
            "-a",
            f"base_url={mirror.base_url}",
        )
        assert json.loads(seeded.stdout)["seeded"] == 1  # the first archive page; the rest are found
        workers = [start_worker(redis_server, "archive", tmp_path, "DISTRIBUTED_RATE=0") for _ in range(2)]
        assert wait_all(workers) == [0, 0]
        # a second seed of the same crawl adds nothing: already seen
        again = newscrawl("seed", "archive", "--redis-url", redis_server.url, "-a", "mode=archive",
                          "-a", "from_date=1384/01/01", "-a", "to_date=1404/12/29", "-a", f"base_url={mirror.base_url}")
        assert json.loads(again.stdout)["seeded"] == 0
    assert sorted(item["news_id"] for item in items_of(tmp_path)) == good
    report = status(redis_server, "archive")
    assert report["finished"] and report["totals"]["items"] == len(good)
    assert sum(r["stats"].get("newscrawl/archive_pages", 0) for r in worker_reports(tmp_path)) == 3


def test_a_dead_workers_claim_is_taken_over_unless_its_file_holds_the_article(redis_server, tmp_path, caplog):
    """The one claim per write is the written-articles pipeline's, with the worker as its owner; the
    Redis store's takeover of a dead worker's claim reads that worker's file first."""
    import logging
    from types import SimpleNamespace

    from scrapy.exceptions import DropItem
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl.exceptions import ClaimHeld
    from newscrawl.items import Article
    from newscrawl.pipelines.written import WrittenArticlesPipeline
    server = redis_server.client()
    keys = CrawlKeys("claims")
    part = tmp_path / "a.jsonl.part"  # worker A wrote article 1 and died before recording it
    part.write_text(json.dumps({"site": "asriran", "news_id": 1, "url": "u1", "title": "t"}) + "\n", encoding="utf-8")
    server.hset(keys.workers, "A", json.dumps({"output": [str(tmp_path / "a.jsonl")]}))
    def pipeline(worker):
        stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
        return WrittenArticlesPipeline(RedisStateStore(redis_server.client(), keys, "claims"), stats,
                                       refresh=False, owner=worker)
    a, b = pipeline("A"), pipeline("B")
    server.set(keys.alive("A"), 1, px=60_000)
    for news_id in (1, 2):
        assert a.process_item(Article(site="asriran", news_id=news_id, url=f"u{news_id}")).news_id == news_id
    with pytest.raises(ClaimHeld, match="being written by A"):  # A lives: B may not write them
        b.process_item(Article(site="asriran", news_id=2, url="u2"))
    assert b.stats.get_value("newscrawl/left_to_other_runs") == 1
    server.delete(keys.alive("A"))  # A died
    with caplog.at_level(logging.INFO, logger="newscrawl.distributed.state"), \
            pytest.raises(DropItem, match="already written: asriran news_id 1"):
        b.process_item(Article(site="asriran", news_id=1, url="u1"))
    assert "news_id 1 was written by worker A before it died" in caplog.text
    assert b.store.known("asriran", 1) and b.store.claim_holder("asriran", 1) is None  # recorded; B's claim ended
    assert b.process_item(Article(site="asriran", news_id=2, url="u2")).news_id == 2  # not in A's file: B writes it
    assert b.store.claim_holder("asriran", 2) == "B" and b.store.claims_of("B") == [("asriran", 2)]
    b.store.record([{"site": "asriran", "news_id": 2, "url": "u2"}], owner="B")
    assert b.store.claim_holder("asriran", 2) is None and b.store.claims_of("B") == []


def test_commands_refuse_bad_input_with_2_and_an_unreachable_redis_with_1(redis_server):
    bad_mode = newscrawl("seed", "x", "--redis-url", redis_server.url, "-a", "mode=everything")
    assert bad_mode.returncode == 2 and "unknown mode 'everything'" in bad_mode.stderr
    unseeded = newscrawl("worker", "nothing-here", "--redis-url", redis_server.url)
    assert unseeded.returncode == 2 and "no crawl 'nothing-here'" in unseeded.stderr
    unknown = newscrawl("crawl-status", "nothing-here", "--redis-url", redis_server.url)
    assert unknown.returncode == 2 and "no crawl 'nothing-here'" in unknown.stderr
    from tests.redis_helpers import free_port
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    for command in (("seed", "x", "-a", "mode=ids", "-a", "ids=1"), ("worker", "x"), ("crawl-status", "x")):
        unreachable = newscrawl(*command, "--redis-url", nobody)
        assert unreachable.returncode == 1 and "cannot reach Redis" in unreachable.stderr  # could not start


def test_a_worker_stopped_gracefully_gives_its_leases_back_at_once(synthetic_site, redis_server, tmp_path):
    count = 200
    with counting_mirror(synthetic_site) as mirror:
        newscrawl("seed", "term", "--redis-url", redis_server.url, "-a", "mode=ids",
                  "-a", f"ids={FIRST_ID}-{FIRST_ID + count - 1}", "-a", f"base_url={mirror.base_url}")
        worker = start_worker(redis_server, "term", tmp_path, "DISTRIBUTED_RATE=20",
                              "LEASE_VISIBILITY_SECONDS=600")  # only a give-back can free them soon
        deadline = time.monotonic() + 60
        while lines_written(tmp_path) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        assert wait_all([worker]) == [0]
        stopped = status(redis_server, "term")
        assert stopped["leased"] == 0 and 0 < stopped["queued"] < count and not stopped["finished"]
        assert stopped["workers"][0]["state"] == "stopped (shutdown)"
        rest = start_worker(redis_server, "term", tmp_path, "DISTRIBUTED_RATE=0")
        assert wait_all([rest]) == [0]
    assert sorted(item["news_id"] for item in items_of(tmp_path)) == list(range(FIRST_ID, FIRST_ID + count))
    assert status(redis_server, "term")["done"] == count


def test_seeding_queues_what_the_spider_starts_with_less_the_known_and_the_seen(redis_server):
    from newscrawl.distributed.seeding import seed
    from newscrawl.items import Article, exported

    server, keys = redis_server.client(), CrawlKeys("seeding")
    store = RedisStateStore(server, keys, "seeding")
    store.record([exported(Article(site="asriran", news_id=3, url="u3"))])
    def urls(n):  # an ids crawl is seeded as its ranges (tests/test_frontier.py); URLs one by one
        return ",".join(f"/fa/news/{i}" for i in range(1, n + 1))
    counts = seed(AsriranSpider(mode="urls", urls=urls(4)), server, keys, store, batch_size=3)
    assert (counts.requests, counts.seeded, counts.skipped_known, counts.already_seen) == (4, 3, 1, 0)
    again = seed(AsriranSpider(mode="urls", urls=urls(5), refresh="1"), server, keys, store)
    assert (again.requests, again.seeded, again.skipped_known, again.already_seen) == (5, 2, 0, 3)  # 3 and 5
    assert server.zcard(keys.pending) == 5


def test_the_crawls_record_keeps_the_worker_arguments_not_what_was_seeded(redis_server):
    from newscrawl.distributed.seeding import record_crawl

    server, keys = redis_server.client(), CrawlKeys("record")
    record_crawl(server, keys, "asriran", {"mode": "ids", "ids": "1-4", "base_url": "http://127.0.0.1:1"})
    record_crawl(server, keys, "asriran", {"mode": "archive", "refresh": "1"})
    assert json.loads(server.hget(keys.meta, "args")) == {"base_url": "http://127.0.0.1:1", "refresh": "1"}
    with pytest.raises(ValueError, match="crawl 'record' is a crawl of 'asriran'"):
        record_crawl(server, keys, "tabnak", {})
    server.zadd(keys.pending, {"x": 0})
    record_crawl(server, keys, "asriran", {}, fresh=True)  # the queue goes, the record stays
    assert server.zcard(keys.pending) == 0 and server.hget(keys.meta, "spider") == "asriran"


def test_a_politeness_bound_crawl_costs_at_most_3_redis_round_trips_per_request(synthetic_site, redis_server, tmp_path):
    """Issue 22: every round trip a worker makes, counted where its bytes leave (queue, state, budget,
    heartbeat, start and end), over the requests it made: at most 3. Two workers that would each go
    far faster than the shared budget, so most requests are booked far ahead (the back-off check
    is heard on the channel, not asked)."""
    count = 200
    with counting_mirror(synthetic_site) as mirror:
        seeded = newscrawl("seed", "trips", "--redis-url", redis_server.url, "-a", "mode=ids",
                           "-a", f"ids={FIRST_ID}-{FIRST_ID + count - 1}", "-a", f"base_url={mirror.base_url}")
        assert seeded.returncode == 0, seeded.stderr
        workers = [start_worker(redis_server, "trips", tmp_path, "DISTRIBUTED_RATE=40", "LEASE_HEARTBEAT_SECONDS=2",
                                "LEASE_VISIBILITY_SECONDS=30") for _ in range(2)]
        assert wait_all(workers, timeout=180) == [0, 0]
    reports = worker_reports(tmp_path)
    pages = sum(r["stats"]["response_received_count"] for r in reports)
    trips = sum(r["stats"]["newscrawl/redis/round_trips"] for r in reports)
    budget_trips = sum(r["stats"]["newscrawl/redis/rate_round_trips"] for r in reports)
    waited = sum(r["stats"].get("newscrawl/rate_limit/waited_seconds", 0) for r in reports)
    assert pages >= count and waited > 1  # every article (and robots.txt); the budget held them back
    print(f"round trips per request: {trips / pages:.2f} (budget {budget_trips / pages:.2f})")
    assert trips / pages <= 3.0, (trips, pages)
    assert budget_trips / pages <= 1.1, (budget_trips, pages)  # one booking each; the back-offs were heard
    assert sorted(item["news_id"] for item in items_of(tmp_path)) == list(range(FIRST_ID, FIRST_ID + count))


def test_the_written_check_is_one_round_trip_whatever_it_finds(redis_server):
    """Issue 22: the state, the claim and the state again under the claim, in one Lua script, for
    every outcome the written-articles pipeline knows (a refresh run's included)."""
    from types import SimpleNamespace

    from scrapy.exceptions import DropItem
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl.distributed import RoundTrips
    from newscrawl.exceptions import ClaimHeld
    from newscrawl.items import Article, content_hash, exported
    from newscrawl.pipelines.written import WrittenArticlesPipeline
    server, keys = redis_server.client(), CrawlKeys("check")
    store = RedisStateStore(server, keys, "check")
    server.set(keys.alive("A"), 1, px=60_000)
    def pipeline(owner, refresh=False):
        stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
        return WrittenArticlesPipeline(store, stats, refresh=refresh, owner=owner)
    a, b, fresh = pipeline("A"), pipeline("B"), pipeline("B", refresh=True)
    article = Article(site="asriran", news_id=1, url="u1", title="t")
    store.claim_unwritten("asriran", 1, "A")  # scripts loaded: not what is counted below
    def trips(call, *args):
        before = RoundTrips.count
        try:
            call(*args)
        except DropItem as exc:
            return RoundTrips.count - before, type(exc).__name__, str(exc)
        return RoundTrips.count - before, "kept", ""
    assert trips(a.process_item, article) == (1, "kept", "")  # claimed by A
    held = trips(b.process_item, Article(site="asriran", news_id=1, url="u1", title="t"))
    assert held[:2] == (1, "ClaimHeld") and "being written by A" in held[2]
    store.record([exported(article)], owner="A")
    assert trips(b.process_item, Article(site="asriran", news_id=1, url="u1", title="t"))[:2] == (1, "DropItem")
    assert b.stats.get_value("newscrawl/already_written") == 1 and store.claim_holder("asriran", 1) is None
    # a refresh run: unchanged is touched in the same round trip, changed is claimed and kept
    server.hdel(store.last_seen, "asriran:1")
    assert trips(fresh.process_item, Article(site="asriran", news_id=1, url="u1", title="t"))[:2] == (1, "DropItem")
    assert fresh.stats.get_value("newscrawl/unchanged") == 1 and server.hget(store.last_seen, "asriran:1")
    changed = Article(site="asriran", news_id=1, url="u1", title="t2")
    assert trips(fresh.process_item, changed) == (1, "kept", "")
    assert fresh.stats.get_value("newscrawl/changed") == 1 and store.claim_holder("asriran", 1) == "B"
    assert store.claim_unwritten("asriran", 1, "B", content_hash(exported(changed)))[0] == "claimed"
    assert issubclass(ClaimHeld, DropItem)


def test_a_worker_leases_several_requests_per_round_trip_and_its_records_ride_on_the_heartbeat(redis_server):
    """Issue 22: LEASE_PREFETCH requests per pop, the ones not handed out yet kept alive by the
    heartbeat and given back on close; the worker's records of written articles kept until its
    heartbeat, which sends them and then confirms the requests, in one round trip."""
    from newscrawl.distributed import RoundTrips, scripts
    scheduler, crawler, inprogress = _unit_scheduler(redis_server, LEASE_PREFETCH=3)
    queue, spider, keys, server = scheduler.queue, scheduler.spider, scheduler.keys, scheduler.server
    store = RedisStateStore(server, keys, "unit")
    scheduler.records = store
    store.defer_records("w")
    for news_id in range(1, 6):
        queue.push(spider.article_request(news_id), fingerprint=str(news_id))
    for script in (scripts.POP, scripts.RECORD, scripts.HEARTBEAT):  # loaded: not what is counted
        server.script_load(script)
    before = RoundTrips.count
    first, second = scheduler.next_request(), scheduler.next_request()
    assert RoundTrips.count - before == 1 and server.zcard(keys.lease) == 3  # three leased at once
    assert [first.meta["news_id"], second.meta["news_id"]] == [1, 2]
    inprogress.add(second)
    assert store.claim("asriran", 1, "w")
    before = RoundTrips.count
    store.record([{"site": "asriran", "news_id": 1, "url": "u1"}], owner="w")
    assert RoundTrips.count == before and not store.known("asriran", 1)  # kept for the heartbeat
    before = RoundTrips.count
    scheduler.beat()  # `first` finished: recorded, then confirmed; `second` and the one not handed out live on
    assert RoundTrips.count - before == 1
    assert store.known("asriran", 1) and store.claim_holder("asriran", 1) is None
    assert server.hget(keys.counters, "done") == "1"
    time.sleep(0.3)
    scheduler.beat()
    time.sleep(0.3)  # past the visibility: the heartbeat kept both leases
    assert queue.pop(worker="other").meta["news_id"] == 4
    inprogress.clear()
    scheduler.close("finished")  # the one never handed out goes back at once
    assert queue.pop(worker="other").meta["news_id"] == 3


def test_a_back_off_reaches_every_worker_on_the_channel(redis_server):
    """A 429 seen by one worker is announced on the crawl's channel: a request another worker booked
    far ahead learns of it there, without asking Redis."""
    from newscrawl.distributed import scripts
    from newscrawl.distributed.politeness import BackoffListener
    keys = CrawlKeys("unit")
    listener = BackoffListener(redis_server.client(), keys.backoffs())
    booked_before = time.monotonic()
    listener.start()
    try:
        deadline = time.monotonic() + 5
        while listener.subscribed_at is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not listener.heard_since(booked_before)  # booked before it listened: ask Redis
        booked = time.monotonic()
        assert listener.heard_since(booked)
        backoff = redis_server.client().register_script(scripts.BACKOFF)
        generation = backoff(keys=[keys.rate("h"), keys.rate("h") + ":backoff"],
                             args=[1000, keys.backoffs(), "h"])
        while listener.generations.get("h") != generation and time.monotonic() < deadline:
            time.sleep(0.01)
        assert listener.generations == {"h": generation}
    finally:
        listener.stop()


def test_a_worker_that_stops_while_a_survivor_looks_is_not_called_dead(redis_server, tmp_path):
    """CI caught it: at the end of a crawl a survivor read the workers' heartbeats (A: running), then A
    stopped gracefully (its last heartbeat, then its alive key deleted), then the survivor saw A's
    alive key gone and finalized A as dead, overwriting A's "stopped (finished)" and releasing its
    claims. The check that A is gone and the survivor's claim on the job are now one atomic step on the
    heartbeat as read, and the survivor's verdict is written only if no newer heartbeat came."""
    survivor, crawler, _ = _unit_scheduler(redis_server, "S", OUTPUT_DIR=str(tmp_path / "output"),
                                           STATE_DIR=str(tmp_path / "state"))
    queue, keys, server = survivor.queue, survivor.keys, survivor.server
    running = json.dumps({"state": "running", "output": [], "archives": []})
    stopped = json.dumps({"state": "stopped (finished)", "output": [], "archives": []})
    server.hset(keys.workers, "A", running)
    server.set(keys.alive("A"), 1, px=500)
    calls = survivor.call

    def a_stops_right_after_the_survivor_reads(fn, *args, **kwargs):
        result = calls(fn, *args, **kwargs)
        if getattr(fn, "__name__", "") == "hgetall":
            queue.heartbeat("A", stopped)  # A's last heartbeat ...
            server.delete(keys.alive("A"))  # ... then its alive key goes, as in LeaseScheduler.close
        return result

    survivor.call = a_stops_right_after_the_survivor_reads
    assert survivor._finalize_dead_workers() == []
    assert json.loads(server.hget(keys.workers, "A"))["state"] == "stopped (finished)"
    assert crawler.stats.get_value("newscrawl/dead_workers_finalized") is None
    survivor.call = calls
    # a worker that really died (its heartbeat says running, its alive key expired) is still finalized
    server.hset(keys.workers, "B", running)
    assert survivor._finalize_dead_workers() == []
    assert json.loads(server.hget(keys.workers, "B"))["state"] == "dead (finalized by S: 0 lines)"
    assert json.loads(server.hget(keys.workers, "A"))["state"] == "stopped (finished)"
    assert crawler.stats.get_value("newscrawl/dead_workers_finalized") == 1
