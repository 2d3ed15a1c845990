"""Tell the state store about pages that gave no article (missing, quarantined), so that a scheduled
run does not ask for them again soon.

They are written in batches (STATE_BAD_PAGES_BATCH rows, one transaction, or whatever is waiting
after STATE_BAD_PAGES_FLUSH_SECONDS, and the rest when the spider closes): one autocommit insert per
missing id was most of a missing id's cost in a backfill of mostly-missing ids. What a crash loses
is only the rows not yet flushed (at most one batch, or a few seconds' worth): those pages are not
recorded as tried, so the next run asks for them once more. Nothing is recorded that did not happen.

Articles are recorded by newscrawl.extensions.recording_exporter.RecordingFeedExporter, once their
line is in the file: not here, because Scrapy goes on to the next `item_scraped` handler even when the
feed exporter's write failed.
"""

from __future__ import annotations

import time

from scrapy import signals

from newscrawl.exceptions import StateError
from newscrawl.run import signals as newscrawl_signals
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import store_for


class StateRecorder:
    def __init__(self, crawler, batch: int = 500, flush_seconds: float = 5.0):
        self.crawler = crawler
        self.store = store_for(crawler)
        self.batch = max(1, batch)
        self.flush_seconds = flush_seconds
        self.pending: list[tuple[str, int, str, str]] = []
        self.first_pending_at = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        extension = cls(crawler, settings.getint("STATE_BAD_PAGES_BATCH", 500),
                        settings.getfloat("STATE_BAD_PAGES_FLUSH_SECONDS", 5.0))
        crawler.signals.connect(extension.article_missing, signal=newscrawl_signals.article_missing)
        crawler.signals.connect(extension.article_quarantined, signal=newscrawl_signals.article_quarantined)
        crawler.signals.connect(extension.flush, signal=signals.spider_closed)
        return extension

    def _record_bad(self, site, news_id, outcome, reason) -> None:
        if not self.pending:
            self.first_pending_at = time.monotonic()
        self.pending.append((site, news_id, outcome, reason))
        if len(self.pending) >= self.batch or time.monotonic() - self.first_pending_at >= self.flush_seconds:
            self.flush()

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        try:
            self.store.record_bad_many(rows)
        except StateError as exc:
            stop_run(self.crawler, "state_failed", str(exc))

    def article_missing(self, site, news_id, reason):
        if news_id:
            self._record_bad(site, news_id, "missing", reason)

    def article_quarantined(self, site, news_id, reason):
        if news_id:
            self._record_bad(site, news_id, "quarantined", reason)
