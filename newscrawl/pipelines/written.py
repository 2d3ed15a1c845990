"""Pipeline 5: never write an article twice across runs.

A run skips known articles before requesting them, but runs overlap (the feed every few minutes, the
archive nightly): an article another run wrote after this run listed it must not be written again.
So, right before writing, the state store is asked once more: in a normal run a known article is
dropped; in a refresh run (-a refresh=1) it is dropped only when its content hash is unchanged, and a
changed one is written as a new line with the same news_id and a later crawled_at. A spider whose
`skip_known` is false (ids/urls with -o/-O, or -a skip_known=0) writes every article it gets.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from newscrawl.items import Article, exported
from newscrawl.state import StateStore, content_hash


class WrittenArticlesPipeline:
    crawl_only = True  # needs a crawl's state; saved-page extraction skips it

    def __init__(self, store: StateStore, stats, refresh: bool):
        self.store = store
        self.stats = stats
        self.refresh = refresh
        self.skip_known = True

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(StateStore.for_settings(crawler.settings), crawler.stats, refresh=False)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        self.refresh = bool(getattr(self.crawler.spider, "refresh", False))
        self.skip_known = bool(getattr(self.crawler.spider, "skip_known", True))

    def process_item(self, item: Article) -> Article:
        if not self.skip_known:
            return item
        previous = self.store.content_hash(item.site, item.news_id)
        if previous is None:
            return item
        if not self.refresh:
            self.stats.inc_value("newscrawl/already_written")
            raise DropItem(f"already written: {item.site} news_id {item.news_id} (by another run since "
                           "this one listed it)", log_level="INFO")
        if previous == content_hash(exported(item)):
            self.store.touch(item.site, item.news_id)
            self.stats.inc_value("newscrawl/unchanged")
            raise DropItem(f"unchanged: {item.site} news_id {item.news_id}", log_level="DEBUG")
        self.stats.inc_value("newscrawl/changed")
        return item

    def close_spider(self) -> None:
        self.store.close()
