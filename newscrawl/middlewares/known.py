"""Skip articles the state store already holds, before they are requested: a scheduled run fetches
only the listings and the new articles. With -a refresh=1 known articles are fetched again (the
refresh pipeline then writes only those whose content changed); a spider whose `skip_known` is false
(ids/urls with -o/-O, or -a skip_known=0) fetches and writes them all."""

from __future__ import annotations

from scrapy import Request

from newscrawl import stats as stat
from newscrawl.exceptions import StateError
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import store_for


class SkipKnownArticlesMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = store_for(crawler)  # the run's shared connection, closed when the run ends

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _keep(self, entry) -> bool:
        if not isinstance(entry, Request) or entry.meta.get("news_id") is None:
            return True
        spider = self.crawler.spider
        if getattr(spider, "refresh", False) or not getattr(spider, "skip_known", True):
            return True
        try:
            if not self.store.known(spider.site, entry.meta["news_id"]):
                return True
        except StateError as exc:  # the run stops; a page it cannot check is not asked for
            stop_run(self.crawler, "state_failed", str(exc))
            return False
        self.crawler.stats.inc_value(stat.SKIPPED_KNOWN)
        return False

    async def process_start(self, start):
        async for entry in start:
            if self._keep(entry):
                yield entry

    # Both forms ("universal" middleware): a sync callback's output stays sync, which is cheaper.
    def process_spider_output(self, response, result):
        for entry in result:
            if self._keep(entry):
                yield entry

    async def process_spider_output_async(self, response, result):
        async for entry in result:
            if self._keep(entry):
                yield entry
