"""One politeness budget per host for all workers of a crawl: a GCRA limiter in Redis (a Lua
script), DISTRIBUTED_RATE requests per second with bursts of DISTRIBUTED_BURST.

A downloader middleware: a request waits (asyncio sleep) in process_request until the shared
budget admits it: it books the next free moment (one round trip), sleeps until then, and, when
that was far ahead, checks that the host did not ask us to slow down meanwhile, holding its place
in the worker's CONCURRENT_REQUESTS, so a throttled worker takes no more requests from Redis. A 429
or 503 pushes the host's budget forward for everyone: by its Retry-After (capped at
RETRY_AFTER_MAX), else by RETRY_BACKOFF_BASE seconds.

That check costs no round trip while the worker listens to the crawl's back-off channel (Redis
pub/sub, a thread of its own: BackoffListener): each back-off is announced there as it happens. A
request booked before the listener last (re)subscribed, or while it is not subscribed (Redis away),
asks Redis instead (a second round trip), as every request did before the channel.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl import stats as stat
from newscrawl.distributed import CrawlKeys, connect, is_distributed, scripts
from newscrawl.distributed.guard import GUARD
from newscrawl.middlewares.retry import retry_after_seconds

logger = logging.getLogger(__name__)
SLOW_DOWN = {429, 503}


class BackoffListener:
    """The latest back-off generation announced per host, heard on the crawl's channel."""

    def __init__(self, server, channel: str):
        self.server, self.channel = server, channel
        self.generations: dict[str, int] = {}
        self.subscribed_at: float | None = None  # monotonic; None: not listening now
        self.stopped = False
        self.thread = threading.Thread(target=self._listen, name="backoff-listener", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped = True

    def heard_since(self, booked_at: float) -> bool:
        """Whether every back-off announced since `booked_at` (monotonic) was heard."""
        subscribed_at = self.subscribed_at
        return subscribed_at is not None and subscribed_at < booked_at

    def _listen(self) -> None:
        while not self.stopped:
            pubsub = self.server.pubsub()
            try:
                pubsub.subscribe(self.channel)
                while not self.stopped:
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":  # also after redis-py reconnected on its own
                        self.subscribed_at = time.monotonic()
                    elif message["type"] == "message":
                        host, _, generation = message["data"].rpartition(" ")
                        self.generations[host] = max(self.generations.get(host, 0), int(generation))
            except Exception:  # Redis away: the requests ask Redis (and wait for it) meanwhile
                self.subscribed_at = None
                time.sleep(0.5)
            finally:
                self.subscribed_at = None
                try:
                    pubsub.close()
                except Exception:  # noqa: S110 - closing a connection that is gone
                    pass


class SharedRateLimit:
    def __init__(self, crawler, server, keys: CrawlKeys):
        settings = crawler.settings
        rate = settings.getfloat("DISTRIBUTED_RATE")
        self.interval_ms = 1000.0 / rate
        # a request booked further ahead than this checks for a back-off before it goes: what is
        # booked closer still goes after a 429 (two requests at the most)
        self.horizon_ms = 2 * self.interval_ms
        self.burst = max(1, settings.getint("DISTRIBUTED_BURST"))
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX")
        self.default_backoff = settings.getfloat("RETRY_BACKOFF_BASE")
        self.stats = crawler.stats
        self.keys = keys
        self._gcra = server.register_script(scripts.GCRA)
        self._backoff = server.register_script(scripts.BACKOFF)
        self.crawler = crawler
        self.server = server
        self.listener = BackoffListener(server, keys.backoffs())
        self.listener.start()
        crawler.signals.connect(self.listener.stop, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not is_distributed(settings) or settings.getfloat("DISTRIBUTED_RATE") <= 0:
            raise NotConfigured
        return cls(crawler, connect(settings["REDIS_URL"]), CrawlKeys(settings["CRAWL_NAME"]))

    def _call(self, fn, *args, **kwargs):
        self.stats.inc_value(stat.REDIS_RATE_ROUND_TRIPS)
        return GUARD.call(fn, *args, **kwargs)

    async def process_request(self, request):
        host = urlsplit(request.url).hostname
        if not host:
            return None  # file:// pages
        keys = [self.keys.rate(host), self.keys.rate(host) + ":backoff"]
        waited = 0.0
        while True:
            booked_at = time.monotonic()
            wait_ms, generation = self._call(self._gcra, keys=keys, args=[self.interval_ms, self.burst])
            waited += wait_ms / 1000
            if wait_ms:
                await asyncio.sleep(wait_ms / 1000)
            # booked beyond the horizon: go only if nobody was told to slow down meanwhile
            if wait_ms <= self.horizon_ms or self._latest_generation(host, keys[1], booked_at) <= generation:
                break
        if waited:
            self.stats.inc_value(stat.RATE_LIMIT_WAITED_SECONDS, waited)
        return None

    def _latest_generation(self, host: str, key: str, booked_at: float) -> int:
        if self.listener.heard_since(booked_at):
            return self.listener.generations.get(host, 0)
        return int(self._call(self.server.get, key) or 0)

    def process_response(self, request, response):
        if response.status in SLOW_DOWN:
            hinted = retry_after_seconds(response.headers.get(b"Retry-After"))
            delay = min(hinted, self.retry_after_max) if hinted is not None else self.default_backoff
            host = urlsplit(request.url).hostname
            key = self.keys.rate(host)
            self._call(self._backoff, keys=[key, key + ":backoff"],
                       args=[int(delay * 1000), self.keys.backoffs(), host])
            self.stats.inc_value(stat.RATE_LIMIT_BACKOFFS)
            logger.info("%s answered %s: every worker waits %.1f s for it", host, response.status, delay)
        return response
