"""`python -m newscrawl seed NAME -a mode=... [-a ...]`: put a crawl's start requests into Redis.

The spider's own start() makes them, from the same -a arguments as `scrapy crawl` (ids ranges,
archive date ranges, a URL list, the feeds), so a distributed crawl starts exactly where a
single-process one would. Seeding twice adds only requests not seen before; articles the crawl's
state already holds are left out (unless -a refresh=1). Then start workers: `python -m newscrawl
worker NAME` (any number, on any machine that reaches Redis and the site).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

from newscrawl import exit_codes
from newscrawl.distributed import DEFAULT_REDIS_URL, CrawlKeys, connect, serializer
from newscrawl.sites.profiles import DEFAULT_SITE

BATCH = 1000
SEED_ONLY = ("mode", "ids", "urls", "urls_file", "from_date", "to_date", "days", "feeds", "path",
             "service_id", "cat_id")


def redis_url_argument(parser) -> None:
    parser.add_argument("--redis-url", default=os.environ.get("NEWSCRAWL_REDIS_URL", DEFAULT_REDIS_URL),
                        help="Redis of the crawl (default: $NEWSCRAWL_REDIS_URL or %(default)s)")


def spider_arguments(pairs: list[str]) -> dict[str, str]:
    spargs = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"-a takes NAME=VALUE, not {pair!r}")
        spargs[name] = value
    return spargs


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("seed", help="seed a distributed crawl into Redis")
    parser.add_argument("name", help="the crawl's name (its Redis keys)")
    parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                        help="spider argument, as for scrapy crawl")
    parser.add_argument("--spider", default=DEFAULT_SITE, help="the site's spider (default: %(default)s)")
    parser.add_argument("--fresh", action="store_true",
                        help="drop the crawl's queue, leases, dead letters and seen-set first (not its state)")
    redis_url_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings
    from scrapy_redis.dupefilter import RFPDupeFilter

    from newscrawl.distributed.queue import LeaseQueue
    from newscrawl.distributed.state import RedisStateStore
    from newscrawl.spiders.site import SiteSpider

    started = time.perf_counter()
    settings = get_project_settings()
    try:
        spargs = spider_arguments(args.spargs)
        spider = SpiderLoader.from_settings(settings).load(args.spider)(**spargs)
    except (KeyError, ValueError, TypeError, OSError) as exc:
        print(f"newscrawl seed: {exc}", file=sys.stderr)
        return 2
    assert isinstance(spider, SiteSpider)  # SPIDER_MODULES holds the site spiders only
    server = connect(args.redis_url)
    keys = CrawlKeys(args.name)
    try:
        server.ping()
    except Exception as exc:  # noqa: BLE001 - any failure to reach Redis is the same answer
        print(f"newscrawl seed: cannot reach Redis at {args.redis_url}: {exc}", file=sys.stderr)
        return exit_codes.COULD_NOT_START
    meta = server.hgetall(keys.meta)
    if meta and meta.get("spider") != spider.name:
        print(f"newscrawl seed: crawl {args.name!r} is a crawl of {meta['spider']!r}", file=sys.stderr)
        return 2
    if args.fresh:
        server.delete(*keys.queue_keys())
    merged = {**json.loads(meta.get("args", "{}")), **spargs}
    for name in SEED_ONLY:  # what to seed, not how a worker behaves
        merged.pop(name, None)
    server.hset(keys.meta, mapping={"spider": spider.name, "args": json.dumps(merged), "seeded_at": time.time()})

    queue = LeaseQueue(server, spider, args.name, serializer, keys=keys)
    fingerprints = RFPDupeFilter(server, keys.dupefilter)
    store = RedisStateStore(server, keys, settings.get("STATE_NAME") or args.name)
    counts = {"requests": 0, "seeded": 0, "skipped_known": 0}

    def push(batch: list) -> None:
        counts["requests"] += len(batch)
        if not getattr(spider, "refresh", False):
            ids = [r.meta["news_id"] for r in batch if r.meta.get("news_id") is not None]
            known = store.known_many(spider.site, ids)
            counts["skipped_known"] += sum(1 for r in batch if r.meta.get("news_id") in known)
            batch = [r for r in batch if r.meta.get("news_id") not in known]
        pipe = server.pipeline(transaction=False)
        for request in batch:
            fingerprint = "" if request.dont_filter else fingerprints.request_fingerprint(request)
            queue._push(keys=[keys.dupefilter, keys.pending, keys.data, keys.score, keys.seq],
                        args=[fingerprint, -request.priority, queue.encode(request)], client=pipe)
        counts["seeded"] += sum(pipe.execute()) if batch else 0

    async def seed_all() -> None:  # in batches: a million ids never sit in memory as requests at once
        batch = []
        async for request in spider.start():
            batch.append(request)
            if len(batch) == BATCH:
                push(batch)
                batch = []
        if batch:
            push(batch)

    asyncio.run(seed_all())
    requests, added, skipped = counts["requests"], counts["seeded"], counts["skipped_known"]
    print(json.dumps({"crawl": args.name, "requests": requests, "seeded": added,
                      "already_seen": requests - added - skipped, "skipped_known": skipped,
                      "pending": server.zcard(keys.pending), "seconds": round(time.perf_counter() - started, 1)}))
    return 0
