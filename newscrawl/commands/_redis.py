"""What the scale-out commands (seed, worker, crawl-status) share: the Redis of the crawl."""

from __future__ import annotations

import os

from newscrawl.distributed import DEFAULT_REDIS_URL


def redis_url_argument(parser) -> None:
    parser.add_argument("--redis-url", default=os.environ.get("NEWSCRAWL_REDIS_URL", DEFAULT_REDIS_URL),
                        help="Redis of the crawl (default: $NEWSCRAWL_REDIS_URL or %(default)s)")
