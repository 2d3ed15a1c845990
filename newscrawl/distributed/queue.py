"""A scrapy-redis queue whose pop is a lease: the request stays in Redis until confirmed.

Upstream PriorityQueue.pop() deletes the request when a worker takes it, so a killed worker loses
every request it held. Here pop moves it to a lease with a visibility timeout (Redis clock); the
worker's heartbeat extends its leases and confirms the finished ones; a lease that expires goes back
to pending (after LEASE_MAX_ATTEMPTS expiries: to the dead letters). Same priority order as
upstream's PriorityQueue (score -priority), FIFO within a priority.
"""

from __future__ import annotations

from scrapy import Request
from scrapy_redis.queue import Base

from newscrawl.distributed import CrawlKeys, run_scripts, scripts

LEASE_META = "newscrawl_lease"


class LeaseQueue(Base):
    def __init__(self, server, spider, key, serializer=None, keys: CrawlKeys | None = None,
                 visibility_ms: int = 60_000, max_attempts: int = 3):
        super().__init__(server, spider, key, serializer)
        self.keys = keys or CrawlKeys(key)
        self.visibility_ms = visibility_ms
        self.max_attempts = max_attempts
        self._push = server.register_script(scripts.PUSH)
        self._pop = server.register_script(scripts.POP)
        self._heartbeat = server.register_script(scripts.HEARTBEAT)
        self._release = server.register_script(scripts.RELEASE)
        self._take_dead = server.register_script(scripts.TAKE_DEAD_WORKER)
        self._set_worker = server.register_script(scripts.SET_WORKER_IF_UNCHANGED)

    def __len__(self) -> int:
        return self.server.zcard(self.keys.pending)

    def encode(self, request) -> str:
        return self._encode_request(request)

    def push(self, request, fingerprint: str = "") -> bool:
        """Queue the request unless its fingerprint was seen (no fingerprint: always)."""
        k = self.keys
        return bool(self._push(keys=[k.dupefilter, k.pending, k.data, k.score, k.seq],
                               args=[fingerprint, -request.priority, self._encode_request(request)]))

    def push_many(self, batch: list[tuple[Request, str]]) -> int:
        """`push` for (request, fingerprint) pairs, in one round trip; how many were queued (new)."""
        if not batch:
            return 0
        k = self.keys
        pipe = self.server.pipeline(transaction=False)
        for request, fingerprint in batch:
            self._push(keys=[k.dupefilter, k.pending, k.data, k.score, k.seq],
                       args=[fingerprint, -request.priority, self._encode_request(request)], client=pipe)
        return sum(pipe.execute())

    def pop(self, timeout=0, worker: str = ""):
        leased = self.pop_many(worker, 1)
        return leased[0] if leased else None

    def pop_many(self, worker: str, count: int) -> list[Request]:
        """Lease up to `count` requests to `worker` in one round trip, first first."""
        k = self.keys
        leased = self._pop(keys=[k.pending, k.lease, k.data, k.score, k.attempts, k.dead, k.dead_error,
                                 k.owner, k.counters], args=[self.visibility_ms, self.max_attempts, worker, count])
        requests = []
        for lease_id, data in zip(leased[::2], leased[1::2], strict=True):
            request = self._decode_request(data)
            request.meta[LEASE_META] = lease_id
            requests.append(request)
        return requests

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
