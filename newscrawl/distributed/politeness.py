"""One politeness budget per host for all workers of a crawl: a GCRA limiter in Redis (a Lua
script), DISTRIBUTED_RATE requests per second with bursts of DISTRIBUTED_BURST.

A downloader middleware: a request waits (asyncio sleep) in process_request until the shared
budget admits it: it books the next free moment (one round trip), sleeps until then, and, when
that was far ahead, checks that the host did not ask us to slow down meanwhile (a second one),
holding its place in the worker's CONCURRENT_REQUESTS, so a throttled worker takes no more
requests from Redis. A 429 or 503 pushes the host's budget forward for everyone:
by its Retry-After (capped at RETRY_AFTER_MAX), else by RETRY_BACKOFF_BASE seconds.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from newscrawl import stats as stat
from newscrawl.distributed import CrawlKeys, connect, is_distributed, scripts
from newscrawl.distributed.guard import GUARD
from newscrawl.middlewares.retry import retry_after_seconds

logger = logging.getLogger(__name__)
SLOW_DOWN = {429, 503}


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
            wait_ms, generation = self._call(self._gcra, keys=keys, args=[self.interval_ms, self.burst])
            waited += wait_ms / 1000
            if wait_ms:
                await asyncio.sleep(wait_ms / 1000)
            # booked beyond the horizon: go only if nobody was told to slow down meanwhile
            if wait_ms <= self.horizon_ms or int(self._call(self.server.get, keys[1]) or 0) == generation:
                break
        if waited:
            self.stats.inc_value(stat.RATE_LIMIT_WAITED_SECONDS, waited)
        return None

    def process_response(self, request, response):
        if response.status in SLOW_DOWN:
            hinted = retry_after_seconds(response.headers.get(b"Retry-After"))
            delay = min(hinted, self.retry_after_max) if hinted is not None else self.default_backoff
            host = urlsplit(request.url).hostname
            key = self.keys.rate(host)
            self._call(self._backoff, keys=[key, key + ":backoff"], args=[int(delay * 1000)])
            self.stats.inc_value(stat.RATE_LIMIT_BACKOFFS)
            logger.info("%s answered %s: every worker waits %.1f s for it", host, response.status, delay)
        return response
