"""Scrapy settings the project tunes for the cost of a request (issue 22), and what they rest on."""

import inspect

from scrapy.settings import Settings
from scrapy.utils.misc import load_object


def project_settings() -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    return settings


def test_one_item_at_a_time_is_all_a_synchronous_pipeline_can_use():
    # CONCURRENT_ITEMS: Scrapy starts that many tasks for every callback's output, even an empty one
    # (a 404); they only overlap while a pipeline awaits something, and none of ours does.
    settings = project_settings()
    assert settings.getint("CONCURRENT_ITEMS") == 1
    for path, order in settings.getwithbase("ITEM_PIPELINES").items():
        if order is not None:
            process_item = load_object(path).process_item
            assert not inspect.iscoroutinefunction(process_item), f"{path} awaits: raise CONCURRENT_ITEMS"


def test_the_pending_probe_keeps_the_most_requests_the_scheduler_held():
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from newscrawl import stats as stat
    from newscrawl.extensions.pending import PendingRequestsProbe

    stats = MemoryStatsCollector(get_crawler(settings_dict={}))
    probe = PendingRequestsProbe(stats)
    writes = []
    stats.max_value = lambda key, value, spider=None: writes.append(value) or MemoryStatsCollector.max_value(
        stats, key, value)
    # (enqueued, dequeued) as Scrapy's scheduler counts them when the next request is scheduled
    for enqueued, dequeued in [(0, 0), (1, 0), (2, 0), (3, 1), (3, 3), (4, 4), (5, 1), (5, 5)]:
        stats.set_value("scheduler/enqueued", enqueued)
        stats.set_value("scheduler/dequeued", dequeued)
        probe.request_scheduled(None)
    assert stats.get_value(stat.SCHEDULER_PENDING_MAX) == 5  # 5 enqueued, 1 dequeued, plus this one
    assert writes == [1, 2, 3, 5]  # written only when the most grew
