"""Skip articles the state store already holds, before they are requested: a scheduled run fetches
only the listings and the new articles. With -a refresh=1 known articles are fetched again (the
refresh pipeline then writes only those whose content changed); a run whose `skip_known` is false
(ids/urls with -o/-O, or -a skip_known=0) fetches and writes them all: then this middleware is not
configured at all. The site, `refresh` and `skip_known` are the run's configuration, taken when the
middleware is built (newscrawl.run.config).

The store is asked a window of ids at a time (KNOWN_WINDOW ids next to the one asked, the way the run
walks: up an ids range, down an archive's pages), not once a request: a backfill of mostly missing
ids asked it twice for every id. A window is a snapshot at most KNOWN_WINDOW_SECONDS old; an article
another run writes meanwhile may be fetched once more, and is then dropped before it is written
(pipelines/written.py asks the store again, holding the article's claim)."""

from __future__ import annotations

import time

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newscrawl import stats as stat
from newscrawl.exceptions import StateError
from newscrawl.run.config import run_config
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import store_for

KNOWN_WINDOW = 256  # ids a look-up in the store answers for
KNOWN_WINDOW_SECONDS = 5.0  # and for this long at most


class SkipKnownArticlesMiddleware(BaseSpiderMiddleware):
    """Scrapy's base class gives the three forms (start requests, sync and async spider output);
    this middleware decides one request at a time."""

    def __init__(self, crawler, site: str):
        super().__init__(crawler)
        self.site = site
        self.store = store_for(crawler)  # the run's shared connection, closed when the run ends
        self.low, self.high = 1, 0  # the ids the window answers for (none yet)
        self.window: set[int] = set()  # the known ones among them
        self.window_until = 0.0
        self.last_id = 0

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
            if not self.known(news_id):
                return request
        except StateError as exc:  # the run stops; a page it cannot check is not asked for
            stop_run(self.crawler, "state_failed", str(exc))
            return None
        self.crawler.stats.inc_value(stat.SKIPPED_KNOWN)
        return None

    def known(self, news_id: int) -> bool:
        now = time.monotonic()
        if not self.low <= news_id <= self.high or now > self.window_until:
            if news_id < self.last_id:  # walking down (an archive lists newest first)
                self.low, self.high = max(1, news_id - KNOWN_WINDOW + 1), news_id
            else:
                self.low, self.high = news_id, news_id + KNOWN_WINDOW - 1
            self.window = self.store.known_many(self.site, list(range(self.low, self.high + 1)))
            self.window_until = now + KNOWN_WINDOW_SECONDS
        self.last_id = news_id
        return news_id in self.window
