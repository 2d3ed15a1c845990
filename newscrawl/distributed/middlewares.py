"""Worker-side middlewares of a distributed crawl."""

from __future__ import annotations

from newscrawl.distributed.queue import LEASE_META
from newscrawl.distributed.scheduler import LEASE_ERROR


class SeededStart:
    """Spider middleware: a worker's start requests are the crawl's seeds, already in Redis
    (`python -m newscrawl seed`), so the spider's own start() yields nothing here."""

    async def process_start(self, start):
        for _ in ():
            yield _


class LeaseOutcome:
    """Downloader middleware next to the engine (it sees what the retry middleware gave up on):
    marks a leased request whose download failed for good, so it goes to the dead letters with its
    last error instead of being confirmed."""

    def __init__(self, retry_codes):
        self.retry_codes = set(retry_codes)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getlist("RETRY_HTTP_CODES"))

    def process_response(self, request, response):
        if LEASE_META in request.meta and response.status in self.retry_codes:
            tries = request.meta.get("retry_times", 0)
            request.meta[LEASE_ERROR] = f"HTTP {response.status} after {tries} retries"
        return response

    def process_exception(self, request, exception):
        if LEASE_META in request.meta:
            request.meta[LEASE_ERROR] = f"{type(exception).__name__}: {exception}"[:500]
        return None
