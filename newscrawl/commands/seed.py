"""`python -m newscrawl seed NAME -a mode=... [-a ...]`: put a crawl's start requests into Redis.

The spider's own start() makes them, from the same -a arguments as `scrapy crawl` (ids ranges,
archive date ranges, a URL list, the feeds), so a distributed crawl starts exactly where a
single-process one would. Seeding twice adds only requests not seen before; articles the crawl's
state already holds are left out (unless -a refresh=1): an ids crawl is seeded as its ranges, at
once, and its workers skip the known ids as they take them. Then start workers: `python -m newscrawl
worker NAME` (any number, on any machine that reaches Redis and the site). The seeding itself is
newscrawl.distributed.seeding; this command reads the arguments and says what it did.

`--sites all|A,B,...|GROUP` seeds a set of sites in one command: one crawl per site, named
`NAME-<site>` (its own queue, state and politeness budget, as a crawl of that site alone), one JSON
line each; the arguments are checked for every site before anything is seeded. Then
`python -m newscrawl worker NAME-<site>` for each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from newscrawl import exit_codes
from newscrawl.commands._redis import redis_url_argument
from newscrawl.distributed import CrawlKeys, connect, serializer
from newscrawl.distributed.queue import LeaseQueue
from newscrawl.distributed.seeding import ids_conflict, record_crawl, seed
from newscrawl.distributed.state import RedisStateStore
from newscrawl.sites.groups import resolve_sites
from newscrawl.sites.profiles import DEFAULT_SITE
from newscrawl.spiders.site import SiteSpider


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
    parser.add_argument("--sites", help="seed each of these sites (all, a group, A,B,...) as its own crawl NAME-<site>")
    parser.add_argument("--fresh", action="store_true",
                        help="drop the crawl's queue, leases, dead letters and seen-set first (not its state)")
    redis_url_argument(parser)
    parser.set_defaults(run=run)


def _reachable(server, url: str) -> bool:
    try:
        server.ping()
    except Exception as exc:  # noqa: BLE001 - any failure to reach Redis is the same answer
        print(f"newscrawl seed: cannot reach Redis at {url}: {exc}", file=sys.stderr)
        return False
    return True


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    settings = get_project_settings()
    try:
        spargs = spider_arguments(args.spargs)
        sites = resolve_sites(args.sites) if args.sites else [args.spider]
        loader = SpiderLoader.from_settings(settings)
        spiders = {}
        for site in sites:  # every site's arguments, before anything is seeded
            spider = loader.load(site)(**spargs)
            assert isinstance(spider, SiteSpider)  # SPIDER_MODULES holds the site spiders only
            spiders[f"{args.name}-{site}" if args.sites else args.name] = spider
    except (KeyError, ValueError, TypeError, OSError) as exc:
        print(f"newscrawl seed: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    server = connect(args.redis_url)
    if not _reachable(server, args.redis_url):
        return exit_codes.COULD_NOT_START
    stores = {name: RedisStateStore(server, CrawlKeys(name), settings.get("STATE_NAME") or name) for name in spiders}
    for name, spider in spiders.items():  # every site's ids fit its crawl's, before anything is seeded
        if not args.fresh and (conflict := ids_conflict(spider, server, CrawlKeys(name), stores[name])):
            print(f"newscrawl seed: {conflict}", file=sys.stderr)
            return exit_codes.USAGE
    for name, spider in spiders.items():
        keys = CrawlKeys(name)
        try:
            record_crawl(server, keys, spider.name, spargs, fresh=args.fresh)
        except ValueError as exc:  # the crawl is another spider's
            print(f"newscrawl seed: {exc}", file=sys.stderr)
            return exit_codes.USAGE
        counts = seed(spider, server, keys, stores[name])
        print(json.dumps({"crawl": name, **({"site": spider.name} if args.sites else {}),
                          "requests": counts.requests, "seeded": counts.seeded,
                          "already_seen": counts.already_seen, "skipped_known": counts.skipped_known,
                          "pending": len(LeaseQueue(server, spider, name, serializer, keys=keys)),
                          "seconds": round(time.perf_counter() - started, 1)}), flush=True)
    return 0
