"""Scrapy's LogCount (the `log_count/<LEVEL>` stats) for a process that runs many crawlers (`python -m
newscrawl crawl --sites`): Scrapy's adds one root handler per crawler, each counting every line of the
process, so with a hundred sites each line went through a hundred handlers and every site's counts were
the whole process's. Here one root handler serves every crawler and counts a line for the site it names:
a line of the site's spider logger, or one that carries the spider (Scrapy's crawl and item lines do);
lines that name no site (a component's own logger) are counted for none."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals


class _SiteCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.crawlers: dict[str, Any] = {}  # spider name -> its crawler

    def emit(self, record: logging.LogRecord) -> None:
        spider = getattr(record, "spider", None)
        crawler = self.crawlers.get(getattr(spider, "name", None) or record.name)
        if crawler is not None:
            crawler.stats.inc_value(f"log_count/{record.levelname}")


class SiteLogCount:
    _handler: _SiteCounter | None = None

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        if SiteLogCount._handler is None:
            SiteLogCount._handler = _SiteCounter()
            SiteLogCount._handler.setLevel(self.crawler.settings.get("LOG_LEVEL"))
            logging.root.addHandler(SiteLogCount._handler)
        SiteLogCount._handler.crawlers[spider.name] = self.crawler

    def spider_closed(self, spider, reason) -> None:
        handler = SiteLogCount._handler
        if handler is not None:
            handler.crawlers.pop(spider.name, None)
            if not handler.crawlers:
                logging.root.removeHandler(handler)
                SiteLogCount._handler = None
