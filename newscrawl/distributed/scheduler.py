"""The worker's scheduler: scrapy-redis's Scheduler over the lease queue.

A request popped from Redis is leased to this worker. It is confirmed (acked) once it has left the
engine's in-progress set: Scrapy removes it only after its callback ran, its child requests were
scheduled (each one pushed to Redis synchronously) and its items went through every pipeline and
the feed export (item_scraped). The heartbeat (LEASE_HEARTBEAT_SECONDS) confirms those in one round
trip, together with extending the leases still held, and, first in that same round trip, records the
articles this worker wrote since the last one (the Redis store defers them to it), so confirmation
and recording cost well under one round trip per request. A request whose download failed for good
(retries spent) goes to the dead letters with its last error instead. A pop leases LEASE_PREFETCH
requests at once; the ones not handed to the engine yet are live leases like the ones in progress,
and go back at once when the worker stops. Issue 22's budget: at most 3 round trips per request in
all (tests/test_distributed.py).

The crawl ends for every worker at once: a worker that runs dry stays while any request is pending
or leased anywhere (another worker may still find links, or die and leave its leases to expire).

Redis going away: every call waits for it up to REDIS_WAIT_SECONDS; past that the worker stops with
exit code 7 (state_failed) without confirming anything more, so a rerun redoes what was unconfirmed.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections import deque
from pathlib import Path
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.distributed import CrawlKeys, RoundTrips, connect, serializer
from newscrawl.distributed.guard import GUARD, RedisUnavailable
from newscrawl.distributed.queue import LEASE_META, KnownIds, LeaseQueue
from newscrawl.exceptions import ClaimHeld, StateError
from newscrawl.output import jsonl, warc
from newscrawl.output.parts import part_path
from newscrawl.output.paths import run_path
from newscrawl.run.config import run_config
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import owner_for, store_for

logger = logging.getLogger(__name__)
LEASE_ERROR = "newscrawl_lease_error"       # request.meta: why its download failed for good
LEASE_REQUEUE = "newscrawl_lease_requeue"   # request.meta: not finished here, try again later
DRY_PAUSE = 0.5  # seconds between two asks of an empty queue (the engine asks after every response)
SKIPPING_SECONDS = 0.25  # at most this long in one ask while the pops find only known ids


def archive_files(settings, spider) -> list[str]:
    """This worker's WARC archive (WARC_PATH), as a survivor finalizes it if the worker dies."""
    if not (settings.getbool("WARC_ENABLED") and settings.get("WARC_PATH")):
        return []
    return [str(run_path(settings["WARC_PATH"], spider).resolve())]


def output_files(settings, spider) -> list[str]:
    """This worker's local output files (FEEDS), as a takeover of its claims may need to read them."""
    files = []
    for uri in settings.getdict("FEEDS"):
        uri = str(uri)
        if "://" in uri and not uri.startswith("file://"):
            continue
        files.append(str(run_path(uri.removeprefix("file://"), spider).resolve()))
    return files


class LeaseScheduler(Scheduler):
    def __init__(self, server, crawler, keys: CrawlKeys):
        settings = crawler.settings
        super().__init__(server, persist=True, queue_key=keys.name, dupefilter=RFPDupeFilter(
            server, key=keys.dupefilter, debug=settings.getbool("DUPEFILTER_DEBUG")), serializer=serializer)
        self.crawler = crawler
        self.stats = crawler.stats
        self.keys = keys
        config = run_config(crawler)
        self.base_url = config.base_url if config else None  # the host this worker crawls
        self.output_files: list[str] = []  # this worker's output files, for its heartbeat
        self.archive_files: list[str] = []  # and its WARC archives
        self.visibility_ms = int(settings.getfloat("LEASE_VISIBILITY_SECONDS") * 1000)
        self.max_attempts = settings.getint("LEASE_MAX_ATTEMPTS")
        self.heartbeat_seconds = settings.getfloat("LEASE_HEARTBEAT_SECONDS")
        GUARD.wait_seconds = settings.getfloat("REDIS_WAIT_SECONDS")
        GUARD.on_give_up.append(self._give_up)
        self.leased: dict[str, Request] = {}
        # leased to this worker in the same round trip as the one asked for, not handed out yet
        self.prefetch = max(1, settings.getint("LEASE_PREFETCH"))
        self.prefetched: deque[Request] = deque()
        self.dry_until = 0.0  # the queue was found empty: not asked again before this (monotonic)
        self.records: Any = None  # the state store, when it defers the worker's records to the heartbeat
        self.leased_at: dict[str, float] = {}
        self.max_lease_seconds = settings.getfloat("LEASE_MAX_SECONDS")
        self.queue_round_trips = 0
        self.heartbeat = task.LoopingCall(self._beat_on_schedule)
        self._pages_at_last_beat = (time.monotonic(), 0)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        server = connect(settings["REDIS_URL"])
        return cls(server, crawler, CrawlKeys(settings["CRAWL_NAME"]))

    def call(self, fn, *args, **kwargs):
        self.queue_round_trips += 1
        return GUARD.call(fn, *args, **kwargs)

    def _give_up(self, detail: str) -> None:
        exit_codes.set_outcome(self.stats, "state_failed", detail)
        if self.heartbeat.running:
            self.heartbeat.stop()
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="redis_unavailable"))

    # -- the scheduler interface --------------------------------------------------------------------

    def open(self, spider):
        self.spider = spider
        self.worker = owner_for(self.crawler)  # the worker's id: also the owner of its article claims
        spider.worker_id = self.worker
        # the worker's records of written articles go with its heartbeat (one round trip for both)
        store = store_for(self.crawler)
        self.records = store if hasattr(store, "deferred_records") else None
        if self.records is not None:
            self.records.defer_records(self.worker)
        self.queue = LeaseQueue(self.server, spider, self.keys.name, self.serializer, keys=self.keys,
                                visibility_ms=self.visibility_ms, max_attempts=self.max_attempts)
        self.queue.known = self._known_ids(store)
        if not hasattr(self.crawler.engine, "_slot"):  # a private attribute: fail loudly if it goes
            raise RuntimeError("this Scrapy has no ExecutionEngine._slot: the lease scheduler cannot "
                               "tell when a request is finished")
        self._check_crawl(spider)
        self.output_files = output_files(self.crawler.settings, spider)
        self.archive_files = archive_files(self.crawler.settings, spider)
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self.crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        self.beat()
        self.heartbeat.start(self.heartbeat_seconds, now=False)
        queued = self.call(len, self.queue)
        logger.info("Worker %s joined crawl %r (%d requests pending)", self.worker, self.keys.name, queued)

    def _known_ids(self, store) -> KnownIds | None:
        """Where the pop looks up the ids of an ids crawl's spans, to skip the known ones as the
        skip-known middleware skips a listing's (not in a refresh run, nor with skip_known off)."""
        config = run_config(self.crawler)
        if config is None or config.refresh or not config.skip_known or not hasattr(store, "articles"):
            return None
        return KnownIds(config.site, store.articles, store.bad, store.bad_page_retry)

    def _check_crawl(self, spider) -> None:
        meta = self.call(self.server.hgetall, self.keys.meta)
        if not meta:
            logger.warning("Crawl %r was never seeded (python -m newscrawl seed %s ...)", self.keys.name,
                           self.keys.name)
            return
        if meta.get("spider") != spider.name:
            raise ValueError(f"crawl {self.keys.name!r} is a crawl of spider {meta.get('spider')!r}, "
                             f"not {spider.name!r}")
        seeded_base = json.loads(meta.get("args", "{}")).get("base_url")
        if seeded_base and self.base_url and seeded_base.rstrip("/") != self.base_url.rstrip("/"):
            raise ValueError(f"crawl {self.keys.name!r} was seeded with -a base_url={seeded_base}; this "
                             f"worker has {self.base_url} (start workers with python -m newscrawl worker)")

    def close(self, reason):
        if self.heartbeat.running:
            self.heartbeat.stop()
        if GUARD.broken:
            return
        try:
            self._finalize_dead_workers()
        except StateError as exc:  # Redis away included: the next worker of the crawl does it
            logger.warning("Could not finalize the files of dead workers: %s", exc)
        try:
            self.beat(final=reason)
            left = list(self.leased)
            if left:
                released = self.call(self.queue.release, self.worker, left)
                logger.info("Gave back %d leases", released)
            self.call(self.server.delete, self.keys.alive(self.worker))
        except RedisUnavailable:
            pass
        self.stats.set_value(stat.REDIS_ROUND_TRIPS, RoundTrips.count)
        self.stats.set_value(stat.REDIS_QUEUE_ROUND_TRIPS, self.queue_round_trips)
        self.stats.set_value(stat.REDIS_CPU_SECONDS, round(GUARD.cpu_seconds, 4))

    def enqueue_request(self, request) -> bool:
        with GUARD.timed():
            return self._enqueue(request)

    def _enqueue(self, request) -> bool:
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        try:
            added = self.call(self.queue.push, request, fingerprint)
        except RedisUnavailable:
            return False  # its parent will not be confirmed: the rerun finds this request again
        if added:
            self.dry_until = 0.0  # this worker's own new requests are taken at once
            self.stats.inc_value("scheduler/enqueued/redis")
        else:
            self.df.log(request, self.spider)
        return added

    def next_request(self):
        with GUARD.timed():
            return self._next_request()

    def _next_request(self):
        skipped = 0
        if not self.prefetched:
            if time.monotonic() < self.dry_until:
                return None  # at the end of a crawl every finished request would ask for nothing
            try:
                # a stretch of known ids is skipped in Redis, SPAN_LOOK_MAX ids a round trip: ask on
                # (a while) rather than leave the engine to ask again at its next heartbeat
                until = time.monotonic() + SKIPPING_SECONDS
                while True:
                    leased, skipped = self.call(self.queue.lease, self.worker, self.prefetch)
                    if skipped:
                        self.stats.inc_value(stat.SKIPPED_KNOWN, skipped)
                    if leased or not skipped or time.monotonic() > until:
                        break
            except RedisUnavailable:
                return None
            now = time.monotonic()
            for request in leased:
                self.leased[request.meta[LEASE_META]] = request
                self.leased_at[request.meta[LEASE_META]] = now
            self.prefetched.extend(leased)
        if not self.prefetched:
            if not skipped:
                self.dry_until = time.monotonic() + DRY_PAUSE
            return None
        request = self.prefetched.popleft()
        self.leased_at[request.meta[LEASE_META]] = time.monotonic()
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if GUARD.broken:
            return False
        if self.prefetched:
            return True
        try:
            return self.call(self.queue.__len__) > 0
        except RedisUnavailable:
            return False

    def flush(self) -> None:  # persist is forced: the shared frontier is never wiped by a worker
        pass

    # -- heartbeat, confirmation, end of crawl ------------------------------------------------------

    def _beat_on_schedule(self) -> None:
        try:
            self.beat()
        except Exception:  # a LoopingCall stops at its first error; the leases would then expire
            logger.exception("Heartbeat failed; trying again at the next one")

    def beat(self, final: str | None = None) -> None:
        with GUARD.timed():
            self._beat(final)

    def _beat(self, final: str | None) -> None:
        if GUARD.broken:
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        inprogress = slot.inprogress if slot is not None else set()
        waiting = set(map(id, self.prefetched))  # leased, not handed to the engine yet: live
        done, dead, requeue, live = [], {}, [], []
        now = time.monotonic()
        for lease_id, request in list(self.leased.items()):
            if id(request) in waiting:
                if final is None:
                    live.append(lease_id)
                continue  # closing: released in close()
            if request in inprogress and final is None:
                if now - self.leased_at[lease_id] <= self.max_lease_seconds:
                    live.append(lease_id)
                    continue
                # stuck here (a hung download or pipeline): its lease is let expire, another worker
                # takes it over, and the claims keep the article from being written twice
                logger.warning("Letting go of %s, held for %.0f s", request.url, now - self.leased_at[lease_id])
                self.stats.inc_value(stat.LEASES_LET_GO)
                del self.leased[lease_id], self.leased_at[lease_id]
                continue
            if request in inprogress:  # closing with it unfinished: released in close()
                continue
            del self.leased[lease_id], self.leased_at[lease_id]
            if request.meta.get(LEASE_ERROR):
                dead[lease_id] = request.meta[LEASE_ERROR]
            elif request.meta.get(LEASE_REQUEUE):
                requeue.append(lease_id)
            else:
                done.append(lease_id)
        records = self.records.deferred_records(stop=final is not None) if self.records is not None else None
        try:
            self.call(self.queue.heartbeat, self.worker, self._info(final), done, dead, requeue, live, before=records)
        except RedisUnavailable:
            return
        except redis.RedisError as exc:  # the records refused (out of memory, a read-only replica, ...)
            stop_run(self.crawler, "state_failed", f"Redis state store: {exc}")
            return
        self.stats.inc_value(stat.LEASES_CONFIRMED, len(done))
        if dead:
            self.stats.inc_value(stat.LEASES_DEAD_LETTERED, len(dead))

    def _info(self, final: str | None) -> str:
        stats = self.stats.get_stats()
        figures = {name: stats.get(key, 0) for name, key in stat.REPORTED_STATS.items()}
        now = time.monotonic()
        since, pages_then = self._pages_at_last_beat
        self._pages_at_last_beat = (now, figures["pages"])
        rate = (figures["pages"] - pages_then) / (now - since) if now > since else 0.0
        return json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "heartbeat": time.time(),
                           "state": f"stopped ({final})" if final else "running", "leases": len(self.leased),
                           "pages_per_second": round(rate, 2), "output": self.output_files,
                           "archives": self.archive_files,
                           "redis_round_trips": RoundTrips.count, **figures})

    def item_dropped(self, item, response, exception, spider):
        if isinstance(exception, ClaimHeld) and response is not None:
            response.meta[LEASE_REQUEUE] = True  # another live worker is writing it: try again later

    def spider_idle(self, spider):
        """Nothing to do here: stay while the crawl has requests pending or leased anywhere."""
        if GUARD.broken:
            return
        self.beat()
        try:
            pipe = self.server.pipeline(transaction=False)
            pipe.zcard(self.keys.pending).zcard(self.keys.lease).hget(self.keys.frontier, "left")
            pending, leased, left = self.call(pipe.execute)
            dying = self._finalize_dead_workers()
        except RedisUnavailable:
            return
        except StateError as exc:
            stop_run(self.crawler, "state_failed", str(exc))
            return
        if pending or leased or int(left or 0):  # the spans' ids not taken yet are pending too
            raise DontCloseSpider
        if dying:  # a worker that stopped beating: its files are finalized once its alive key expires
            logger.info("Crawl %r: nothing pending or leased; waiting for worker %s, which stopped beating, "
                        "to be gone, to finalize its files", self.keys.name, ", ".join(dying))
            raise DontCloseSpider
        logger.info("Crawl %r: nothing pending or leased; this worker is done", self.keys.name)

    # -- dead workers' files ------------------------------------------------------------------------

    def _finalize_dead_workers(self) -> list[str]:
        """Finalize the files of the workers that died running (their heartbeat still says running,
        their alive key expired): the `.part` files on the shared OUTPUT_DIR are renamed with their
        whole lines and their articles recorded, their claims released, and their heartbeat marked
        dead, by one survivor (a lock per dead worker), so that their lines reach the dataset
        without anyone starting a worker. Returns the workers that stopped beating but whose alive
        key has not expired yet (dead, most likely: the crawl waits for them)."""
        workers = self.call(self.server.hgetall, self.keys.workers)
        dying = []
        for worker, raw in sorted(workers.items()):
            if worker == self.worker:
                continue
            info = json.loads(raw)
            if info.get("state") != "running":
                continue  # stopped gracefully, or finalized already
            ttl = self.call(self.server.pttl, self.keys.alive(worker))
            if ttl > 0:
                if ttl < self.visibility_ms - 3 * self.heartbeat_seconds * 1000:
                    dying.append(worker)  # its heartbeat stopped: alive for its key's TTL only
                continue
            if not self.call(self.queue.take_dead_worker, worker, raw, self.worker, max(self.visibility_ms, 60_000)):
                continue  # it stopped gracefully since it was read, or another survivor is on it
            info["state"] = self._finalize_files_of(worker, info)
            self.call(self.queue.set_worker_if_unchanged, worker, raw, json.dumps(info))
        return dying

    def _finalize_files_of(self, worker: str, info: dict) -> str:
        """Finalize a dead worker's parts; its new state, for crawl-status."""
        store = store_for(self.crawler)
        lines, unseen = 0, []
        for path in info.get("output", []):
            part = part_path(path)
            done = jsonl.finalize_part(part, store.record)
            if done is not None:
                lines += done[1]
            elif part.exists():
                unseen.append(f"{part} (still locked)")
            elif not Path(path).exists():
                unseen.append(str(part))
        for path in info.get("archives", []):
            part = part_path(path)
            if warc.finalize_part(part) is None and part.exists():
                unseen.append(f"{part} (still locked)")
        released = store.release_claims(worker)
        self.stats.inc_value(stat.DEAD_WORKERS_FINALIZED)
        if unseen:
            logger.warning("Worker %s died; its files %s were not found here or are held: OUTPUT_DIR must be "
                           "shared by every worker for its lines to be finalized", worker, ", ".join(unseen))
        logger.warning("Worker %s died while running: finalized its files (%d lines kept), released %d of its "
                       "claims", worker, lines, released)
        if unseen:
            return f"dead (finalized by {self.worker}: {lines} lines; not found or held: {len(unseen)} files)"
        return f"dead (finalized by {self.worker}: {lines} lines)"
