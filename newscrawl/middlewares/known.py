"""Skip articles the state store already holds, before they are requested: a scheduled run fetches
only the listings and the new articles. With -a refresh=1 known articles are fetched again (the
refresh pipeline then writes only those whose content changed); a run whose `skip_known` is false
(ids/urls with -o/-O, or -a skip_known=0) fetches and writes them all: then this middleware is not
configured at all. The site, `refresh` and `skip_known` are the run's configuration, taken when the
middleware is built (newscrawl.run.config)."""

from __future__ import annotations

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newscrawl import stats as stat
from newscrawl.exceptions import StateError
from newscrawl.run.config import run_config
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import store_for


class SkipKnownArticlesMiddleware(BaseSpiderMiddleware):
    """Scrapy's base class gives the three forms (start requests, sync and async spider output);
    this middleware decides one request at a time."""

    def __init__(self, crawler, site: str):
        super().__init__(crawler)
        self.site = site
        self.store = store_for(crawler)  # the run's shared connection, closed when the run ends

    @classmethod
    def from_crawler(cls, crawler):
        config = run_config(crawler)
        if config is None or config.refresh or not config.skip_known:
            raise NotConfigured  # every article is requested (no message: Scrapy would log it as a warning)
        return cls(crawler, config.site)

    def get_processed_request(self, request: Request, response) -> Request | None:
        news_id = request.meta.get("news_id")
        if news_id is None:
            return request
        try:
            if not self.store.known(self.site, news_id):
                return request
        except StateError as exc:  # the run stops; a page it cannot check is not asked for
            stop_run(self.crawler, "state_failed", str(exc))
            return None
        self.crawler.stats.inc_value(stat.SKIPPED_KNOWN)
        return None
