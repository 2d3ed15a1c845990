"""`scrapy crawl`, with an exit code that says how the run went, for cron, systemd and Scrapyd
(newscrawl.exit_codes has the table).

Bad arguments never reach the crawl: an unknown spider, a malformed `-a`/`-o` option, or a spider
argument its `parse_args` refuses is one line on stderr and exit code 2, never a traceback. A state
store that cannot be opened (corrupt, unreadable) is one line and exit code 7 before the crawl starts.
"""

from __future__ import annotations

import sys
from difflib import get_close_matches

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import load_object

from newscrawl import exit_codes
from newscrawl.distributed import is_distributed
from newscrawl.exceptions import BadArgument
from newscrawl.output.paths import resolve_run_dirs
from newscrawl.run.store import open_store
from newscrawl.sites import DEFAULT_SITE


def refuse(message: str, code: int = exit_codes.USAGE) -> None:
    print(f"scrapy crawl: {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def check_state_store(settings) -> None:
    """Open the state store once before the crawl: a corrupt or unreadable one would otherwise stop
    Scrapy's start with a traceback (exit 1)."""
    settings = settings.copy()
    resolve_run_dirs(settings)  # STATE_DIR follows OUTPUT_DIR unless set
    for addon in settings.getdict("ADDONS"):  # as the crawler will: the scale-out add-on picks Redis
        load_object(addon)().update_settings(settings)
    try:
        store = open_store(settings)
        try:
            store.check_writable()  # not locked, not corrupt
        finally:
            store.close()
    except Exception as exc:  # noqa: BLE001 - whatever the store's backend raises, the run cannot start
        if is_distributed(settings):  # Redis away past REDIS_WAIT_SECONDS, read-only, out of memory
            refuse(f"state_failed: the crawl's state in Redis ({settings.get('REDIS_URL')}) cannot be used: "
                   f"{exc}", exit_codes.STATE_FAILED)
        path = f"{settings.get('STATE_DIR')}/state.sqlite3"
        refuse(f"state_failed: the state store {path} cannot be used: {exc} (restore it, or move it aside "
               "to start afresh: articles written before are then written again)", exit_codes.STATE_FAILED)


def check_arguments(settings, args: list[str], spargs: dict[str, str]) -> None:
    """Before Scrapy starts (and logs anything): one known spider, and arguments it accepts."""
    if len(args) != 1:
        refuse(f"give one spider name, e.g. scrapy crawl {DEFAULT_SITE}")
    loader = get_spider_loader(settings)
    try:
        spidercls = loader.load(args[0])
    except KeyError:
        known = sorted(loader.list())
        near = get_close_matches(args[0], known, n=3, cutoff=0.8)
        refuse(f"unknown spider {args[0]!r}" + (f" (did you mean {' or '.join(near)}?)" if near else "")
               + f": `scrapy list` names the {len(known)} known spiders")
    parse_args = getattr(spidercls, "parse_args", None)
    if parse_args is not None:
        try:
            parse_args(spargs)
        except BadArgument as exc:
            refuse(str(exc))


class Command(ScrapyCrawl):
    def process_options(self, args, opts) -> None:
        try:
            super().process_options(args, opts)
        except UsageError as exc:
            refuse(str(exc))
        check_arguments(self.settings, args, opts.spargs)
        check_state_store(self.settings)

    def run(self, args, opts) -> None:
        assert self.crawler_process is not None  # set by scrapy.cmdline, as Scrapy's crawl asserts
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exit_codes.COULD_NOT_START
        else:
            self.exitcode = exit_codes.exit_code(crawler.stats.get_stats())
