"""Scrapy's RetryMiddleware, plus waiting before a retry: `Retry-After` when the server sends it
(429, 503), else exponential backoff. The wait holds the request's download slot, so the host gets
fewer requests while it is overloaded, which is the point."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX")

    def delay_for(self, request: Request, response=None) -> float:
        """How long to wait before retry number `retry_times` (already counted on the request)."""
        if response is not None:
            hinted = retry_after_seconds(response.headers.get(b"Retry-After"))
            if hinted is not None:
                return min(hinted, self.retry_after_max)
        attempt = max(0, request.meta.get("retry_times", 1) - 1)
        return min(self.backoff_base * 2**attempt, self.backoff_max)

    # Scrapy (2.13+) awaits a downloader middleware's coroutine methods; the base class's are plain.
    async def process_response(self, request, response):  # type: ignore[override]
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(result, f"HTTP {response.status}", response)
        return result

    async def process_exception(self, request, exception):  # type: ignore[override]
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result, type(exception).__name__)
        return result

    async def _wait(self, retry: Request, reason: str, response=None) -> None:
        delay = self.delay_for(retry, response)
        attempts = retry.meta.get("max_retry_times", self.max_retry_times)
        # At INFO: a run that slows down because the site is struggling says so as it happens.
        logger.info("Retry %d of %d for %s (%s) in %.1f s", retry.meta.get("retry_times", 1), attempts,
                    retry.url, reason, delay)
        if delay > 0:
            # Scrapy's stats add any number (typed int): this one sums seconds.
            self.crawler.stats.inc_value("retry/backoff_seconds", delay)  # type: ignore[arg-type]
            await asyncio.sleep(delay)
