"""Scale-out: one crawl carried by any number of worker processes, coordinated in Redis.

Built on scrapy-redis (its Scheduler, queue base and dupefilter fingerprint); what it lacks for our
promises is added in subclasses here: requests are leased, not popped (queue.py), confirmed only
after their items and child requests are in place (scheduler.py), one politeness budget per host
(politeness.py), the "already written" state shared by all workers (state.py). Everything is keyed
per crawl name. Without REDIS_URL and CRAWL_NAME nothing here is used (addon.py switches it on).
"""

from __future__ import annotations

import inspect
import os
import socket
import time
from dataclasses import dataclass

import redis
from scrapy_redis.connection import get_redis

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def is_distributed(settings) -> bool:
    return bool(settings.get("REDIS_URL") and settings.get("CRAWL_NAME"))


def worker_id(spider) -> str:
    """This worker's name: its leases, its heartbeat and alive key, and its article claims."""
    return f"{socket.gethostname()}-{os.getpid()}-{getattr(spider, 'run_id', None) or int(time.time())}"


class RoundTrips:
    """What this process sent to Redis: round trips (one per command, or per pipeline, whatever it
    holds), counted where the bytes leave, so nothing escapes the count (the benchmark and the test
    of the budget of 3 per request read it)."""

    count = 0


class CountingConnection(redis.Connection):
    def send_packed_command(self, command, check_health=True):
        RoundTrips.count += 1
        super().send_packed_command(command, check_health)


_CLIENTS: dict[tuple[int, str], redis.Redis] = {}
# redis-py 8 names the client's library in `driver_info` (None: not at all); 5 to 7 in lib_name/lib_version
_NO_SETINFO: dict = ({"driver_info": None}
                     if "driver_info" in inspect.signature(redis.connection.AbstractConnection.__init__).parameters
                     else {"lib_name": None, "lib_version": None})


def connect(url: str):
    """One client (one connection pool) per process and URL, shared by the scheduler, the state
    store and the budget (each connection costs its handshake's round trips); str replies; short
    timeouts so that a dead Redis is noticed instead of hanging the reactor for scrapy-redis's
    default 30 s. No CLIENT SETINFO in the handshake (two round trips a connection)."""
    key = (os.getpid(), url)
    client = _CLIENTS.get(key)
    if client is None:
        kwargs = {"connection_class": CountingConnection} if url.startswith("redis://") else {}
        client = _CLIENTS[key] = get_redis(
            url=url, decode_responses=True, encoding="utf-8", socket_timeout=5, socket_connect_timeout=2,
            retry_on_timeout=False, **_NO_SETINFO, **kwargs)
    return client


def run_scripts(server, calls: list) -> list:
    """Run registered Lua scripts (script, keys, args) in one round trip, in order (a pipeline
    without MULTI; redis-py's own pipelining of scripts asks SCRIPT EXISTS first, a second round
    trip each time). A script Redis does not know (it restarted) is loaded, and all run again:
    only scripts that can run twice belong here."""
    def send():
        pipe = server.pipeline(transaction=False)
        for script, keys, args in calls:
            pipe.evalsha(script.sha, len(keys), *keys, *args)
        return pipe.execute(raise_on_error=False)
    replies = send()
    if any(isinstance(reply, redis.exceptions.NoScriptError) for reply in replies):
        for script, _, _ in calls:
            server.script_load(script.script)
        replies = send()
    for reply in replies:
        if isinstance(reply, Exception):
            raise reply
    return replies


_PARTS = frozenset({"pending", "data", "score", "lease", "owner", "attempts", "dead", "dead_error",
                    "dupefilter", "seq", "meta", "counters", "workers", "spans", "covered", "frontier"})


@dataclass(frozen=True)
class CrawlKeys:
    """All Redis keys of one crawl. The {name} hash tag keeps them in one Redis Cluster slot (the
    Lua scripts touch several at once)."""

    name: str

    def __getattr__(self, part: str) -> str:
        if part not in _PARTS:
            raise AttributeError(part)
        return f"newscrawl:{{{self.name}}}:{part}"

    # pending  ZSET id -> -priority (FIFO within one priority: ids are zero-padded sequence numbers)
    # data     HASH id -> JSON request;  score HASH id -> its pending score
    # lease    ZSET id -> lease expiry (ms, Redis clock);  owner HASH id -> worker
    # attempts HASH id -> leases that expired;  dead ZSET id -> when;  dead_error HASH id -> why
    # dupefilter SET of scrapy-redis fingerprints;  seq STRING the last id
    # meta HASH spider, spider args;  counters HASH done, dead, ...
    # workers HASH worker -> JSON heartbeat;  alive:<worker> STRING with a TTL while it lives
    # spans LIST "first last": the seeded ids not leased yet (an ids crawl's frontier, expanded by the
    #   pop; the head is the cursor);  covered ZSET "first:last" -> first: every id range ever seeded
    #   (merged; what "seen" is for them);  frontier HASH template, fingerprint, score: the article
    #   request with a placeholder id, and left: ids in spans
    # rate:<host> STRING GCRA theoretical arrival time;  state:* the shared written-articles store

    def alive(self, worker: str) -> str:
        return f"newscrawl:{{{self.name}}}:alive:{worker}"

    def finalizing(self, worker: str) -> str:
        """Held by the one survivor finalizing a dead worker's files."""
        return f"newscrawl:{{{self.name}}}:finalizing:{worker}"

    def rate(self, host: str) -> str:
        return f"newscrawl:{{{self.name}}}:rate:{host}"

    def backoffs(self) -> str:
        """The pub/sub channel on which a host's back-off reaches every worker ("host generation")."""
        return f"newscrawl:{{{self.name}}}:backoffs"

    def queue_keys(self) -> list[str]:
        """What `seed --fresh` clears: the frontier and its bookkeeping, not the written state."""
        return [getattr(self, k) for k in ("pending", "data", "score", "lease", "owner", "attempts", "dead",
                                           "dead_error", "dupefilter", "seq", "counters", "workers", "spans",
                                           "covered", "frontier")]
