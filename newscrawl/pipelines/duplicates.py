"""Pipeline 4: one item per news_id per run (listings and slugs can lead to one article twice).
The ids written are kept as a compressed bitmap per site (newscrawl.run.idbits): a run of a million
articles holds at most ~130 KB here, not a set of a million keys, and a feed's few recent ids a few
dozen bytes whatever their size."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from newscrawl import stats as stat
from newscrawl.items import Article
from newscrawl.run.idbits import IdBits


class DuplicatesPipeline:
    def __init__(self, stats=None):
        self.stats = stats
        self.seen: dict[str, IdBits] = {}
        self.other: set[tuple[str, object]] = set()  # an id that is no positive integer (validation drops those)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def _seen_before(self, site: str, news_id) -> bool:
        if type(news_id) is int and news_id > 0:
            return self.seen.setdefault(site, IdBits()).add(news_id)
        key = (site, news_id)
        if key in self.other:
            return True
        self.other.add(key)
        return False

    def process_item(self, item: Article) -> Article:
        if self._seen_before(item.site, item.news_id):
            if self.stats is not None:
                self.stats.inc_value(stat.DUPLICATES)
            raise DropItem(f"duplicate: {item.site} news_id {item.news_id} already written in this run",
                           log_level="INFO")
        return item
