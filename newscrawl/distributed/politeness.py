"""One politeness budget per host for all workers of a crawl: a GCRA limiter in Redis (a Lua
script), DISTRIBUTED_RATE requests per second with bursts of DISTRIBUTED_BURST.

A downloader middleware: a request waits (asyncio sleep) in process_request until the shared
budget admits it (one request per host and worker asks at a time, and may reserve a moment up to
one interval ahead, so a request costs one or two round trips however many wait), holding its place in the worker's CONCURRENT_REQUESTS, so a throttled worker
takes no more requests from Redis. A 429 or 503 pushes the host's budget forward for everyone:
by its Retry-After (capped at RETRY_AFTER_MAX), else by RETRY_BACKOFF_BASE seconds.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

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
        self.burst = max(1, settings.getint("DISTRIBUTED_BURST"))
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX")
        self.default_backoff = settings.getfloat("RETRY_BACKOFF_BASE")
        self.stats = crawler.stats
        self.keys = keys
        self._gcra = server.register_script(scripts.GCRA)
        self._backoff = server.register_script(scripts.BACKOFF)
        self.crawler = crawler
        self.locks: dict[str, asyncio.Lock] = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not is_distributed(settings) or settings.getfloat("DISTRIBUTED_RATE") <= 0:
            raise NotConfigured
        return cls(crawler, connect(settings["REDIS_URL"]), CrawlKeys(settings["CRAWL_NAME"]))

    def _call(self, fn, **kwargs):
        self.stats.inc_value("newscrawl/redis/rate_round_trips")
        return GUARD.call(fn, **kwargs)

    async def process_request(self, request):
        host = urlsplit(request.url).hostname
        if not host:
            return None  # file:// pages
        key = self.keys.rate(host)
        waited = 0.0
        # One request per host at a time asks Redis; the others of this worker queue behind it here.
        async with self.locks.setdefault(host, asyncio.Lock()):
            while True:
                reserved, wait_ms = self._call(self._gcra, keys=[key],
                                               args=[self.interval_ms, self.burst, self.interval_ms])
                if reserved:
                    break
                waited += wait_ms / 1000
                await asyncio.sleep(wait_ms / 1000)
        if wait_ms:
            await asyncio.sleep(wait_ms / 1000)  # its reserved moment
        waited += wait_ms / 1000
        if waited:
            self.stats.inc_value("newscrawl/rate_limit/waited_seconds", waited)
        return None

    def process_response(self, request, response):
        if response.status in SLOW_DOWN:
            hinted = retry_after_seconds(response.headers.get(b"Retry-After"))
            delay = min(hinted, self.retry_after_max) if hinted is not None else self.default_backoff
            host = urlsplit(request.url).hostname
            self._call(self._backoff, keys=[self.keys.rate(host)], args=[int(delay * 1000)])
            self.stats.inc_value("newscrawl/rate_limit/backoffs")
            logger.info("%s answered %s: every worker waits %.1f s for it", host, response.status, delay)
        return response
