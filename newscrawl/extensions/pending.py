"""The most requests the scheduler held at once (`newscrawl/scheduler_pending_max`): what the lazy
start requests and the archive walk's page order keep bounded (issue 22). Read from Scrapy's own
scheduler counters (enqueued - dequeued) each time a request is scheduled: no call into the
scheduler, which in a scale-out worker would be a Redis round trip."""

from __future__ import annotations

from scrapy import signals

from newscrawl import stats as stat


class PendingRequestsProbe:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        probe = cls(crawler.stats)
        crawler.signals.connect(probe.request_scheduled, signal=signals.request_scheduled)
        return probe

    def request_scheduled(self, request, spider=None):
        get = self.stats.get_value
        pending = get("scheduler/enqueued", 0) - get("scheduler/dequeued", 0) + 1  # this one too
        self.stats.max_value(stat.SCHEDULER_PENDING_MAX, pending)
