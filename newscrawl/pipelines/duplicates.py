"""Pipeline 4: one item per news_id per run (listings and slugs can lead to one article twice)."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from newscrawl import stats as stat
from newscrawl.items import Article


class DuplicatesPipeline:
    def __init__(self, stats=None):
        self.stats = stats
        self.seen: set[tuple[str, int | None]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: Article) -> Article:
        key = (item.site, item.news_id)
        if key in self.seen:
            if self.stats is not None:
                self.stats.inc_value(stat.DUPLICATES)
            raise DropItem(f"duplicate: {item.site} news_id {item.news_id} already written in this run",
                           log_level="INFO")
        self.seen.add(key)
        return item
