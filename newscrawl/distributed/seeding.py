"""Seeding a distributed crawl: a spider's start requests into the crawl's Redis queue.

The spider's own start() makes them, from the same -a arguments as `scrapy crawl` (ids ranges,
archive date ranges, a URL list, the feeds), so a distributed crawl starts exactly where a
single-process one would. They go in batches (a million ids never sit in memory as requests at
once), each batch in one round trip, through the crawl's seen-set (scrapy-redis's dupefilter):
seeding twice adds only requests not seen before. Articles the crawl's state already holds are left
out (unless the spider refreshes), one state look-up a batch. The crawl's record (`meta`) names its
spider and the arguments its workers run with (`python -m newscrawl worker` reads them).

An ids crawl is seeded as its id ranges and the spider's article request with a placeholder id
(LeaseQueue.seed_spans): O(ranges) in Redis and in time, whatever the number of ids. The workers'
pop makes each id's request from them (exactly what article_request() gives: checked here on the
first and last id) and skips the ids the crawl's state knows then, instead of the seeding. An ids
range seeded again is seen (only ids no seeding named are added).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import dataclass

from scrapy.utils.python import to_unicode
from scrapy_redis.dupefilter import RFPDupeFilter
from w3lib.url import canonicalize_url

from newscrawl.distributed import CrawlKeys, scripts, serializer
from newscrawl.distributed.queue import LeaseQueue
from newscrawl.distributed.state import RedisStateStore
from newscrawl.spiders.site import SiteSpider

BATCH = 1000
# What to seed, not how a worker behaves: left out of the arguments the workers run with.
SEED_ONLY = ("mode", "ids", "urls", "urls_file", "from_date", "to_date", "days", "feeds", "path",
             "service_id", "cat_id")


@dataclass
class SeedCounts:
    requests: int = 0       # the spider's start requests
    seeded: int = 0         # queued by this seeding
    skipped_known: int = 0  # articles the crawl's state holds

    @property
    def already_seen(self) -> int:
        """Requests an earlier seeding (or this one) had queued already."""
        return self.requests - self.seeded - self.skipped_known


def record_crawl(server, keys: CrawlKeys, spider_name: str, spargs: dict[str, str], *, fresh: bool = False) -> None:
    """Name the crawl's spider and the worker arguments, merged over an earlier seeding's. `fresh`:
    drop the crawl's queue, leases, dead letters and seen-set first (not its state). ValueError
    when the crawl is another spider's."""
    meta = server.hgetall(keys.meta)
    if meta and meta.get("spider") != spider_name:
        raise ValueError(f"crawl {keys.name!r} is a crawl of {meta['spider']!r}")
    if fresh:
        server.delete(*keys.queue_keys())
    merged = {**json.loads(meta.get("args", "{}")), **spargs}
    worker_args = {name: value for name, value in merged.items() if name not in SEED_ONLY}
    # the mode: whether the seeds are the whole crawl (ids, urls) or its listings (crawl-status's ETA)
    server.hset(keys.meta, mapping={"spider": spider_name, "args": json.dumps(worker_args), "seeded_at": time.time(),
                                    "mode": merged.get("mode", "rss")})


class _Seeder:
    def __init__(self, spider: SiteSpider, server, keys: CrawlKeys, store: RedisStateStore):
        self.spider = spider
        self.store = store
        self.queue = LeaseQueue(server, spider, keys.name, serializer, keys=keys)
        self.fingerprints = RFPDupeFilter(server, keys.dupefilter)
        self.counts = SeedCounts()

    def unknown(self, batch: list) -> list:
        """The batch without the articles the state holds (all of it when the spider refreshes)."""
        if self.spider.refresh:
            return batch
        known = self.store.known_many(self.spider.site, [r.meta["news_id"] for r in batch
                                                         if r.meta.get("news_id") is not None])
        self.counts.skipped_known += sum(1 for r in batch if r.meta.get("news_id") in known)
        return [r for r in batch if r.meta.get("news_id") not in known]

    def push(self, batch: list) -> None:
        self.counts.requests += len(batch)
        self.counts.seeded += self.queue.push_many(
            [(r, "" if r.dont_filter else self.fingerprints.request_fingerprint(r)) for r in self.unknown(batch)])

    def fingerprint_text(self, request) -> str:
        """What the seen-set's fingerprint is the SHA-1 of (scrapy-redis's RFPDupeFilter)."""
        return json.dumps({"method": to_unicode(request.method), "url": canonicalize_url(request.url),
                           "body": (request.body or b"").hex()}, sort_keys=True)

    def template(self) -> tuple[str, str, int] | None:
        """The article request with the placeholder for its id, the fingerprint text alike ('' when
        the seen-set's fingerprint is not made that way) and its score; None when the template
        does not give exactly the spider's request for the ids of this seeding (then: one by one)."""
        placeholder = scripts.PLACEHOLDER
        probe = self.spider.article_request(int(placeholder))
        template, fingerprint = self.queue.encode(probe), self.fingerprint_text(probe)
        ids = self.spider.ids
        for news_id in {ids.spans[0][0], ids.spans[-1][1]}:
            request = self.spider.article_request(news_id)
            if template.replace(placeholder, str(news_id)) != self.queue.encode(request):
                return None
            made = hashlib.sha1(fingerprint.replace(placeholder, str(news_id)).encode()).hexdigest()
            if made != self.fingerprints.request_fingerprint(request):
                fingerprint = ""
        return template, fingerprint, -probe.priority

    def ids_template(self) -> tuple[str, str, int] | None:
        """The template of this seeding's ids, if it is an ids crawl seeded as ranges."""
        return self.template() if self.spider.mode == "ids" and self.spider.ids.spans else None

    def seed_spans(self) -> bool:
        """An ids crawl as its ranges (see the module); False when it cannot be (then one by one)."""
        template = self.ids_template()
        if template is None:
            return False
        self.counts.requests = len(self.spider.ids)
        self.counts.seeded = self.queue.seed_spans(*template, self.spider.ids.spans)
        return True

    async def seed_all(self, batch_size: int) -> None:
        if self.seed_spans():
            return
        batch = []
        async for request in self.spider.start():
            batch.append(request)
            if len(batch) == batch_size:
                self.push(batch)
                batch = []
        if batch:
            self.push(batch)


def ids_conflict(spider: SiteSpider, server, keys: CrawlKeys, store: RedisStateStore) -> str | None:
    """Why this seeding's ids cannot join the crawl's (seeded for another article request, such as
    another base_url: seed it with --fresh), before anything of it is recorded; None if they can."""
    template = _Seeder(spider, server, keys, store).ids_template()
    seeded = server.hget(keys.frontier, "template")
    if template is None or seeded is None or seeded == template[0]:
        return None
    return (f"crawl {keys.name!r} has ids seeded for another article request (another base_url?): seed it "
            "with --fresh")


def seed(spider: SiteSpider, server, keys: CrawlKeys, store: RedisStateStore, *, batch_size: int = BATCH) -> SeedCounts:
    """Queue the spider's start requests in the crawl `keys`; what became of them."""
    seeder = _Seeder(spider, server, keys, store)
    asyncio.run(seeder.seed_all(batch_size))
    return seeder.counts
