"""A scrapy-redis queue whose pop is a lease: the request stays in Redis until confirmed.

Upstream PriorityQueue.pop() deletes the request when a worker takes it, so a killed worker loses
every request it held. Here pop moves it to a lease with a visibility timeout (Redis clock); the
worker's heartbeat extends its leases and confirms the finished ones; a lease that expires goes back
to pending (after LEASE_MAX_ATTEMPTS expiries: to the dead letters). Same priority order as
upstream's PriorityQueue (score -priority), FIFO within a priority.

An ids crawl is seeded as its id ranges and one request template (`seed_spans`), not as a request
per id: the pop makes the next ids' requests from them as it leases them (scripts.POP), so Redis
holds the ranges and the requests in flight, whatever the number of ids.
"""

from __future__ import annotations

import time

from scrapy import Request
from scrapy_redis.queue import Base

from newscrawl.distributed import CrawlKeys, run_scripts, scripts

LEASE_META = "newscrawl_lease"
SPAN_LOOK_MAX = 1000  # ids of the spans one pop looks at, at most (known ones skipped): the script stays short


class KnownIds:
    """Where a pop looks up the ids it takes from the spans, to skip those the state knows: the
    crawl's state keys (RedisStateStore) and the site; None (the pop's default): no skipping."""

    def __init__(self, site: str, articles: str, bad: str, bad_page_retry_seconds: float):
        self.site, self.articles, self.bad, self.retry = site, articles, bad, bad_page_retry_seconds


class LeaseQueue(Base):
    def __init__(self, server, spider, key, serializer=None, keys: CrawlKeys | None = None,
                 visibility_ms: int = 60_000, max_attempts: int = 3):
        super().__init__(server, spider, key, serializer)
        self.keys = keys or CrawlKeys(key)
        self.visibility_ms = visibility_ms
        self.max_attempts = max_attempts
        self.known: KnownIds | None = None
        self._push = server.register_script(scripts.PUSH)
        self._seed_spans = server.register_script(scripts.SEED_SPANS)
        self._pop = server.register_script(scripts.POP)
        self._heartbeat = server.register_script(scripts.HEARTBEAT)
        self._release = server.register_script(scripts.RELEASE)
        self._take_dead = server.register_script(scripts.TAKE_DEAD_WORKER)
        self._set_worker = server.register_script(scripts.SET_WORKER_IF_UNCHANGED)

    def __len__(self) -> int:
        """Pending requests, the ids of the spans not made into requests yet included (one round trip)."""
        pipe = self.server.pipeline(transaction=False)
        pipe.zcard(self.keys.pending).hget(self.keys.frontier, "left")
        pending, left = pipe.execute()
        return pending + int(left or 0)

    def encode(self, request) -> str:
        return self._encode_request(request)

    def _push_call(self, request, fingerprint: str) -> dict:
        k = self.keys
        news_id = request.meta.get("news_id")
        return {"keys": [k.dupefilter, k.pending, k.data, k.score, k.seq, k.covered, k.frontier],
                "args": [fingerprint, -request.priority, self._encode_request(request),
                         "" if news_id is None else int(news_id)]}

    def push(self, request, fingerprint: str = "") -> bool:
        """Queue the request unless its fingerprint was seen, or it is the article request of an id
        the spans named (no fingerprint: always)."""
        return bool(self._push(**self._push_call(request, fingerprint)))

    def push_many(self, batch: list[tuple[Request, str]]) -> int:
        """`push` for (request, fingerprint) pairs, in one round trip; how many were queued (new)."""
        if not batch:
            return 0
        pipe = self.server.pipeline(transaction=False)
        for request, fingerprint in batch:
            self._push(**self._push_call(request, fingerprint), client=pipe)
        return sum(pipe.execute())

    def seed_spans(self, template: str, fingerprint: str, score: int, spans: list[tuple[int, int]]) -> int:
        """An ids crawl's ids (ranges, in order) behind the article request `template` (its id the
        placeholder scripts.PLACEHOLDER; `fingerprint` the seen-set's fingerprint text alike, '' for
        none): the ids no earlier seeding named are queued, as ranges; how many. ValueError when the
        crawl's ids were seeded with another template."""
        k, added = self.keys, 0
        for start in range(0, len(spans), 500):
            args: list = [template, fingerprint, score]
            for first, last in spans[start:start + 500]:
                args += [first, last]
            n = self._seed_spans(keys=[k.spans, k.covered, k.frontier], args=args)
            if n < 0:  # seeding.ids_conflict says so before anything is recorded
                raise ValueError(f"crawl {k.name!r} has ids seeded for another article request")
            added += n
        return added

    def pop(self, timeout=0, worker: str = ""):
        leased = self.pop_many(worker, 1)
        return leased[0] if leased else None

    def pop_many(self, worker: str, count: int) -> list[Request]:
        return self.lease(worker, count)[0]

    def lease(self, worker: str, count: int) -> tuple[list[Request], int]:
        """Lease up to `count` requests to `worker` in one round trip, first first; and how many ids
        of the spans were skipped on the way as known (`self.known`)."""
        k, known = self.keys, self.known
        state = [known.articles, known.bad] if known else [k.frontier, k.frontier]  # not read without `known`
        skip = [1, known.site, time.time() - known.retry] if known else [0, "", 0]
        leased = self._pop(keys=[k.pending, k.lease, k.data, k.score, k.attempts, k.dead, k.dead_error,
                                 k.owner, k.counters, k.spans, k.frontier, k.seq, k.dupefilter, *state],
                           args=[self.visibility_ms, self.max_attempts, worker, count, *skip, SPAN_LOOK_MAX])
        skipped, leased = leased[0], leased[1:]
        requests = []
        for lease_id, data in zip(leased[::2], leased[1::2], strict=True):
            request = self._decode_request(data)
            request.meta[LEASE_META] = lease_id
            requests.append(request)
        return requests, skipped

    def heartbeat(self, worker: str, info: str, done=(), dead: dict | None = None, requeue=(), live=(),
                  before=None) -> int:
        """Confirm `done`, dead-letter `dead` (id -> last error), give back `requeue` for a later try,
        extend `live`; returns the Redis clock (ms). `before`: a script call (script, keys, args) sent
        first in the same round trip (the worker's deferred records: recorded before confirmed)."""
        k = self.keys
        dead = dead or {}
        args = [self.visibility_ms, worker, info, len(done), len(dead), len(requeue), *done]
        for lease_id, error in dead.items():
            args += [lease_id, error]
        args += [*requeue, *live]
        call = (self._heartbeat, [k.lease, k.pending, k.data, k.score, k.attempts, k.dead, k.dead_error, k.owner,
                                  k.counters, k.workers, k.alive(worker)], args)
        if before is None:
            return self._heartbeat(keys=call[1], args=call[2])
        return run_scripts(self.server, [before, call])[-1]

    def take_dead_worker(self, worker: str, heartbeat: str, survivor: str, lock_ms: int) -> bool:
        """True when `survivor` may finalize `worker`'s files: its alive key is gone, its heartbeat is
        still `heartbeat` (it did not stop gracefully meanwhile) and no other survivor took the job."""
        k = self.keys
        return self._take_dead(keys=[k.workers, k.alive(worker), k.finalizing(worker)],
                               args=[worker, heartbeat, survivor, lock_ms]) == 1

    def set_worker_if_unchanged(self, worker: str, heartbeat: str, new: str) -> bool:
        """Replace `worker`'s heartbeat by `new` unless a newer one came since `heartbeat` was read."""
        return self._set_worker(keys=[self.keys.workers], args=[worker, heartbeat, new]) == 1

    def release(self, worker: str, lease_ids) -> int:
        if not lease_ids:
            return 0
        k = self.keys
        return self._release(keys=[k.lease, k.pending, k.score, k.owner], args=[worker, *lease_ids])

    def clear(self) -> None:
        self.server.delete(*self.keys.queue_keys())
