"""Progress in the log, once every PROGRESS_INTERVAL seconds (60) at INFO, in place of Scrapy's
LogStats line: done/total, the rate, an ETA where the total is known, and the failures so far
(newscrawl.run.progress words it):

    progress <site>: 1,204/50,000 ids (2.4%), 310 articles/min, ETA 2h37m, 3 failed pages

A subclass of LogStats, so the run's stats still get Scrapy's `items_per_minute` and
`responses_per_minute` at the end. A crawl that is no site spider's (`scrapy bench`) gets LogStats'
own line. A worker of a distributed crawl knows its own share only: its line says so and names the
command that shows the whole crawl.
"""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.logstats import LogStats
from scrapy.utils.asyncio import create_looping_call

from newscrawl.run.config import run_config
from newscrawl.run.progress import Progress, Rate, articles_done, progress_line, run_failures, run_progress

logger = logging.getLogger(__name__)


class ProgressLog(LogStats):
    def __init__(self, stats, interval: float, config, crawl_name: str | None):
        super().__init__(stats, interval)
        self.config = config
        self.crawl_name = crawl_name
        self.rate = Rate()

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if not interval:
            raise NotConfigured
        crawl_name = crawler.settings.get("CRAWL_NAME") if crawler.settings.get("REDIS_URL") else None
        ext = cls(crawler.stats, interval, run_config(crawler), crawl_name)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.pagesprev = self.itemsprev = 0
        self.rate.add(time.monotonic(), 0)
        self.task = create_looping_call(self.log, spider)
        self.task.start(self.interval, now=False)  # a line at once would know nothing yet

    def log(self, spider) -> None:
        if self.config is None:
            super().log(spider)
            return
        stats = self.stats.get_stats()
        self.rate.add(time.monotonic(), articles_done(stats))
        if self.crawl_name:
            line = progress_line(Progress(done=articles_done(stats), total=None, final=False, unit="articles",
                                          per_minute=self.rate.per_minute(), failures=run_failures(stats)),
                                 f"{self.config.site} (this worker of crawl {self.crawl_name})")
            line += f"; the whole crawl: python -m newscrawl crawl-status {self.crawl_name}"
        else:
            line = progress_line(run_progress(stats, self.config.mode, self.rate.per_minute()), self.config.site)
        logger.info(line)
