"""The log a person reads: a quiet run fits a screen, each problem is one line.

- LOG_FORMATTER: a dropped item is logged as its one-line reason only (a quarantined item's fields
  are in the quarantine file, not in the log; Scrapy's own formatter appends the whole item).
- Scrapy's start-up listings (enabled components, overridden settings) and Spidermon's per-step
  report of a suite where nothing failed are demoted to DEBUG: `-s LOG_LEVEL=DEBUG` shows them.
  A failed monitor or action is one ERROR line (newscrawl.monitoring.runner).
The run report (RUN_REPORT_PATH) keeps the full stats (STATS_DUMP is off).
"""

from __future__ import annotations

import logging
import re
import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.logformatter import LogFormatter

_STARTUP_LISTINGS = {
    "scrapy.middleware": ("Enabled ",),
    "scrapy.crawler": ("Overridden settings",),
    "scrapy.addons": ("Enabled addons",),
}
_SPIDERMON_PROBLEM = re.compile(r"\.\.\. (FAIL|ERROR)|^\[Spidermon\] FAILED")


class _Demote(logging.Filter):
    """Turns matching INFO records into DEBUG ones (the handler's level then decides)."""

    def __init__(self, matches):
        super().__init__()
        self.matches = matches

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and self.matches(str(record.msg)):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def _spidermon_routine(message: str) -> bool:
    return message.startswith("[Spidermon] ") and not _SPIDERMON_PROBLEM.search(message)


def quiet_routine_logs(spider_name: str) -> None:
    for name, prefixes in _STARTUP_LISTINGS.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, _Demote) for f in logger.filters):
            logger.addFilter(_Demote(lambda message, prefixes=prefixes: message.startswith(prefixes)))
    spider_logger = logging.getLogger(spider_name)
    if not any(isinstance(f, _Demote) for f in spider_logger.filters):
        spider_logger.addFilter(_Demote(_spidermon_routine))
    # Spidermon's runner still logs through Spider.log(); the warning says nothing to an operator.
    warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", category=ScrapyDeprecationWarning)


class OperatorLogFormatter(LogFormatter):
    @classmethod
    def from_crawler(cls, crawler):
        # Built before the extensions and middlewares log their listings.
        quiet_routine_logs(crawler.spidercls.name)
        return super().from_crawler(crawler)

    def dropped(self, item, exception, response, spider=None):
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry


def id_ranges(ids, limit: int) -> str:
    """`[1, 2, 3, 7]` -> `1-3, 7`; past `limit` ranges, how many more."""
    ranges: list[list[int]] = []
    for news_id in sorted(set(ids)):
        if ranges and news_id == ranges[-1][1] + 1:
            ranges[-1][1] = news_id
        else:
            ranges.append([news_id, news_id])
    text = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges[:limit])
    return text + (f" and {len(ranges) - limit} more ranges" if len(ranges) > limit else "")
