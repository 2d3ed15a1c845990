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
