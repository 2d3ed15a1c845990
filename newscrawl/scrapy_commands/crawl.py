"""`scrapy crawl`, with an exit code that says how the run went, for cron, systemd and Scrapyd
(newscrawl.exit_codes has the table)."""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from newscrawl import exit_codes
from newscrawl.monitors import DRIFT_STAT


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exit_codes.COULD_NOT_START
        else:
            stats = crawler.stats.get_stats()
            code = exit_codes.exit_code(stats)
            if code == exit_codes.OK and stats.get(DRIFT_STAT):
                code = exit_codes.DRIFT
            self.exitcode = code
