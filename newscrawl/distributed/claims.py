"""Pipeline: the last word before an article is written, in a distributed crawl. The worker claims
the article in Redis (atomically); an article claimed by another live worker is not written here
(its request goes back to the queue for later); a claim left by a dead worker is taken over, unless
that worker's output file already holds the article (it died between writing the line and recording
it), in which case the article is recorded and not written again."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.distributed import is_distributed
from newscrawl.feeds import PART
from newscrawl.items import Article


class ClaimHeld(DropItem):
    """Another live worker holds the claim."""


def written_in(paths: list[str], news_id: int) -> dict | None:
    """The line for `news_id` in these output files (final or .part), if any."""
    needle = f'"news_id": {news_id},'.encode()
    compact = f'"news_id":{news_id},'.encode()
    for path in paths:
        for candidate in (Path(path), Path(path + PART)):
            if not candidate.is_file():
                continue
            for line in candidate.read_bytes().splitlines():
                if needle in line or compact in line:
                    try:
                        item = json.loads(line)
                    except ValueError:
                        continue  # a torn last line: not written
                    if item.get("news_id") == news_id:
                        return item
    return None


class ClaimPipeline:
    crawl_only = True

    def __init__(self, crawler):
        from newscrawl.distributed.state import RedisStateStore
        self.crawler = crawler
        self.store = RedisStateStore.for_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        if not is_distributed(crawler.settings):
            raise NotConfigured
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        owner = self.crawler.spider.worker_id
        allowed, previous = self.store.claim_with_previous(item.site, item.news_id, owner)
        stats = self.crawler.stats
        if not allowed:
            stats.inc_value("newscrawl/claim_held")
            raise ClaimHeld(f"{item.site} news_id {item.news_id} is being written by worker {previous}",
                            log_level="INFO")
        if previous:
            stats.inc_value("newscrawl/claims_taken_over")
            found = written_in(self.store.worker_outputs(previous), item.news_id)
            if found is not None:
                self.store.record([found])
                stats.inc_value("newscrawl/already_written")
                raise DropItem(f"{item.site} news_id {item.news_id} was written by worker {previous} "
                               "before it died", log_level="INFO")
        return item

    def close_spider(self) -> None:
        self.store.release_claims(self.crawler.spider.worker_id)
        self.store.close()
