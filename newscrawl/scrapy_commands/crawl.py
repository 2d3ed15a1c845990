"""`scrapy crawl`, with an exit code that says how the run went, for cron, systemd and Scrapyd:
0 fine, 1 Scrapy could not start, 3 the drift alarm went off (see the run report)."""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from newscrawl.monitors import DRIFT_STAT

EXIT_DRIFT = 3


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats.get_value(DRIFT_STAT):
            self.exitcode = EXIT_DRIFT
