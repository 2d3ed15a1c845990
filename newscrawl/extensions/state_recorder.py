"""Tell the state store about each item once it is in the output file, and about pages that gave
no article (missing, quarantined).

Scrapy's FeedExporter writes an item in its own `item_scraped` handler; this extension is connected
after it (a higher EXTENSIONS order), and the feed storage flushes each line as written, so an item is
recorded only when its line is already in the file. A crash between the two leaves an article in a
file but not in the store; the next run's orphan recovery records it from the file.
"""

from __future__ import annotations

from scrapy import signals

from newscrawl import signals as newscrawl_signals
from newscrawl.items import exported
from newscrawl.state import StateStore


class StateRecorder:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = StateStore.for_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.article_missing, signal=newscrawl_signals.article_missing)
        crawler.signals.connect(extension.article_quarantined, signal=newscrawl_signals.article_quarantined)
        return extension

    def item_scraped(self, item, response, spider):
        self.store.record([exported(item)])
        self.crawler.stats.inc_value("newscrawl/state_recorded")

    def article_missing(self, site, news_id, reason):
        self.store.record_bad(site, news_id, "missing", reason)

    def article_quarantined(self, site, news_id, reason):
        if news_id:
            self.store.record_bad(site, news_id, "quarantined", reason)

    def spider_closed(self, spider, reason):
        self.store.close()
