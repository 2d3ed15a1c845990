"""Tell the state store about pages that gave no article (missing, quarantined), so that a scheduled
run does not ask for them again soon.

Articles are recorded by newscrawl.extensions.recording_exporter.RecordingFeedExporter, once their
line is in the file: not here, because Scrapy goes on to the next `item_scraped` handler even when the
feed exporter's write failed.
"""

from __future__ import annotations

from newscrawl.exceptions import StateError
from newscrawl.run import signals as newscrawl_signals
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import store_for


class StateRecorder:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = store_for(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.article_missing, signal=newscrawl_signals.article_missing)
        crawler.signals.connect(extension.article_quarantined, signal=newscrawl_signals.article_quarantined)
        return extension

    def _record_bad(self, site, news_id, outcome, reason) -> None:
        try:
            self.store.record_bad(site, news_id, outcome, reason)
        except StateError as exc:
            stop_run(self.crawler, "state_failed", str(exc))

    def article_missing(self, site, news_id, reason):
        self._record_bad(site, news_id, "missing", reason)

    def article_quarantined(self, site, news_id, reason):
        if news_id:
            self._record_bad(site, news_id, "quarantined", reason)
