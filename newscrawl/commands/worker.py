"""`python -m newscrawl worker NAME [-s NAME=VALUE ...]`: one worker of a seeded crawl.

Runs `scrapy crawl SPIDER -a <the crawl's arguments> -s REDIS_URL=... -s CRAWL_NAME=NAME` in this
process (exec: its exit code is the worker's, newscrawl.exit_codes). The same command by hand works
too. A worker leaves by itself once nothing is pending or leased in the crawl.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from newscrawl import exit_codes
from newscrawl.commands._redis import redis_url_argument
from newscrawl.distributed import CrawlKeys, connect


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("worker", help="run one worker of a distributed crawl")
    parser.add_argument("name", help="the crawl's name")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="Scrapy setting, as for scrapy crawl")
    parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                        help="spider argument added to the crawl's own")
    redis_url_argument(parser)
    parser.set_defaults(run=run)


def command(args: argparse.Namespace, meta: dict) -> list[str]:
    argv = [sys.executable, "-m", "scrapy", "crawl", meta["spider"]]
    for name, value in json.loads(meta.get("args", "{}")).items():
        argv += ["-a", f"{name}={value}"]
    for pair in args.spargs:
        argv += ["-a", pair]
    argv += ["-s", f"REDIS_URL={args.redis_url}", "-s", f"CRAWL_NAME={args.name}"]
    for pair in args.settings:
        argv += ["-s", pair]
    return argv


def run(args: argparse.Namespace) -> int:
    try:
        meta = connect(args.redis_url).hgetall(CrawlKeys(args.name).meta)
    except Exception as exc:  # noqa: BLE001
        print(f"newscrawl worker: cannot reach Redis at {args.redis_url}: {exc}", file=sys.stderr)
        return exit_codes.COULD_NOT_START
    if not meta:
        print(f"newscrawl worker: no crawl {args.name!r} (seed it: python -m newscrawl seed {args.name} ...)",
              file=sys.stderr)
        return 2
    argv = command(args, meta)
    sys.stdout.flush()
    os.execv(argv[0], argv)
    return 1  # not reached
