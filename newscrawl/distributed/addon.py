"""The switch (a Scrapy add-on, in ADDONS): with REDIS_URL and CRAWL_NAME set, this process is one
worker of a distributed crawl; without them nothing changes (embedded, single process)."""

from __future__ import annotations

from newscrawl.distributed import is_distributed

# Above -s on the command line (40): in distributed mode per-process politeness gives way to the
# shared budget, whatever the command line or a cron recipe says.
OVER_CMDLINE = 45


class ScaleOut:
    def update_settings(self, settings) -> None:
        if not is_distributed(settings):
            return
        settings.set("SCHEDULER", "newscrawl.distributed.scheduler.LeaseScheduler", priority=OVER_CMDLINE)
        settings.set("STATE_BACKEND", "newscrawl.distributed.state.RedisStateStore", priority=OVER_CMDLINE)
        for name, value in (("DOWNLOAD_DELAY", 0),
                            ("AUTOTHROTTLE_ENABLED", False), ("JOBDIR", None)):
            settings.set(name, value, priority=OVER_CMDLINE)
        settings["SPIDER_MIDDLEWARES"]["newscrawl.distributed.middlewares.SeededStart"] = 10
        settings["DOWNLOADER_MIDDLEWARES"]["newscrawl.distributed.middlewares.LeaseOutcome"] = 50
        # after the retry middleware (550) in process_request, before it in process_response
        settings["DOWNLOADER_MIDDLEWARES"]["newscrawl.distributed.politeness.SharedRateLimit"] = 580
