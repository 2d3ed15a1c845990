"""The most requests the scheduler held at once (`newscrawl/scheduler_pending_max`): what the lazy
start requests and the archive walk's page order keep bounded (issue 22). Read from Scrapy's own
scheduler counters (enqueued - dequeued) each time a request is scheduled: no call into the
scheduler, which in a scale-out worker would be a Redis round trip. One read of the stats a request,
and a write only when the most grows (every call on Scrapy's stats collector costs ~1 us)."""

from __future__ import annotations

from scrapy import signals

from newscrawl import stats as stat


class PendingRequestsProbe:
    def __init__(self, stats):
        self.stats = stats
        self.most = 0  # the most written to the stats so far

    @classmethod
    def from_crawler(cls, crawler):
        probe = cls(crawler.stats)
        crawler.signals.connect(probe.request_scheduled, signal=signals.request_scheduled)
        return probe

    def request_scheduled(self, request, spider=None):
        counts = self.stats.get_stats()
        pending = counts.get("scheduler/enqueued", 0) - counts.get("scheduler/dequeued", 0) + 1  # this one too
        if pending > self.most:
            self.most = pending
            self.stats.max_value(stat.SCHEDULER_PENDING_MAX, pending)
