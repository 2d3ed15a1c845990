"""`scrapy crawl`, with an exit code that says how the run went, for cron, systemd and Scrapyd
(newscrawl.exit_codes has the table).

Bad arguments never reach the crawl: an unknown spider, a malformed `-a`/`-o` option, or a spider
argument its `parse_args` refuses is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from newscrawl import exit_codes
from newscrawl.extensions.run_report import run_exit_code
from newscrawl.spider_args import BadArgument


def refuse(message: str) -> None:
    print(f"scrapy crawl: {message}", file=sys.stderr, flush=True)
    raise SystemExit(exit_codes.USAGE)


def check_arguments(settings, args: list[str], spargs: dict[str, str]) -> None:
    """Before Scrapy starts (and logs anything): one known spider, and arguments it accepts."""
    if len(args) != 1:
        refuse("give one spider name, e.g. scrapy crawl asriran")
    loader = get_spider_loader(settings)
    try:
        spidercls = loader.load(args[0])
    except KeyError:
        refuse(f"unknown spider {args[0]!r}: known spiders: {', '.join(sorted(loader.list()))}")
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

    def run(self, args, opts) -> None:
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exit_codes.COULD_NOT_START
        else:
            self.exitcode = run_exit_code(crawler.stats.get_stats())
