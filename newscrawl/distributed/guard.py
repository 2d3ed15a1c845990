"""Every Redis call of a worker goes through one guard: it waits out a Redis outage (a restart, an
AOF load) for up to REDIS_WAIT_SECONDS, then gives up for the whole process, so that nothing more is
confirmed after a write may have been lost. It also counts round trips, and the CPU time of this
thread spent coordinating (in Redis calls, and in the scheduler's own bookkeeping around them), for the
benchmark and the worker's stats."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import contextmanager

import redis

from newscrawl.exceptions import StateError

logger = logging.getLogger(__name__)
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)  # BusyLoadingError (AOF loading) is one


class RedisUnavailable(StateError):
    """Redis stayed away past REDIS_WAIT_SECONDS: for the state store's callers a StateError like any
    other (the run stops, exit code 7)."""


class RedisGuard:
    def __init__(self, wait_seconds: float = 60.0):
        self.wait_seconds = wait_seconds
        self.broken = False
        self.round_trips = 0
        self.cpu_seconds = 0.0  # thread CPU time inside `timed` blocks (every call is one)
        self._depth = 0
        self.on_give_up: list[Callable[[str], object]] = []  # callables(detail)

    @contextmanager
    def timed(self):
        """Count this block's thread CPU time as coordination (once, when blocks nest)."""
        self._depth += 1
        started = time.thread_time() if self._depth == 1 else 0.0
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.cpu_seconds += time.thread_time() - started

    def call(self, fn, *args, **kwargs):
        with self.timed():
            return self._call(fn, *args, **kwargs)

    def _call(self, fn, *args, **kwargs):
        if self.broken:
            raise RedisUnavailable("Redis was given up on")
        deadline = None
        while True:
            self.round_trips += 1
            try:
                return fn(*args, **kwargs)
            except REDIS_DOWN as exc:
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self.wait_seconds
                    logger.warning("Redis unavailable (%s): waiting up to %.0f s", exc, self.wait_seconds)
                if now >= deadline:
                    self.give_up(exc)
                    raise RedisUnavailable(str(exc)) from exc
                time.sleep(0.5)

    def give_up(self, exc) -> None:
        if self.broken:
            return
        self.broken = True
        detail = (f"Redis unreachable for {self.wait_seconds:.0f} s ({exc}): stopped without confirming "
                  "unfinished requests; run the workers again once Redis is back")
        logger.error(detail)
        for callback in self.on_give_up:
            callback(detail)


GUARD = RedisGuard()  # one per worker process
