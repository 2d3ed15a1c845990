"""Pipeline 5, for refresh runs (-a refresh=1): an article the state store already holds is written
again only when its content changed (its content hash differs); then it gets a new line with the same
news_id and a later crawled_at. An unchanged one is dropped and counted."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from newscrawl.items import Article, exported
from newscrawl.state import StateStore, content_hash


class RefreshPipeline:
    crawl_only = True  # needs a crawl's stats or state; saved-page extraction skips it

    def __init__(self, crawler):
        self.crawler = crawler
        self.store = StateStore.for_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        previous = self.store.content_hash(item.site, item.news_id)
        if previous is None:
            return item
        if previous == content_hash(exported(item)):
            self.store.touch(item.site, item.news_id)
            self.crawler.stats.inc_value("newscrawl/unchanged")
            raise DropItem(f"unchanged: {item.site} news_id {item.news_id} is already written as it is",
                           log_level="DEBUG")
        self.crawler.stats.inc_value("newscrawl/changed")
        return item

    def close_spider(self) -> None:
        self.store.close()
