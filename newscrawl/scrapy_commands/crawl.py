"""`scrapy crawl`, with an exit code that says how the run went, for cron, systemd and Scrapyd
(newscrawl.exit_codes has the table)."""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from newscrawl import exit_codes
from newscrawl.monitors import DRIFT_STAT
from newscrawl.state import StateError, StateStore


def state_problem(settings) -> str | None:
    """Why the state store cannot be used (locked, corrupt, unwritable), or None."""
    try:
        store = StateStore.for_settings(settings)
        try:
            store.check_writable()
        finally:
            store.close()
    except StateError as exc:
        return str(exc)
    return None


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name")
        crawler = self._create_crawler(args[0])
        if crawler.settings.get("STATE_DIR") and (problem := state_problem(crawler.settings)):
            print(f"newscrawl: state_failed: {problem}; nothing was crawled (exit "
                  f"{exit_codes.STATE_FAILED})", file=sys.stderr)
            self.exitcode = exit_codes.STATE_FAILED
            return
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
