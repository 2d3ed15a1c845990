"""The log a person reads: a quiet run fits a screen, each problem is one line.

- LOG_FORMATTER: a dropped item is logged as its one-line reason only (a quarantined item's fields
  are in the quarantine file, not in the log; Scrapy's own formatter appends the whole item).
- Scrapy's start-up listings (enabled components, overridden settings) and Spidermon's per-step
  report of a suite where nothing failed are demoted to DEBUG: `-s LOG_LEVEL=DEBUG` shows them.
  A failed monitor or action is one ERROR line (newscrawl.monitoring.runner).
- An expected network failure (connection refused, DNS, timeout, connection lost) is one line naming
  the host and the cause, never a traceback: robots.txt that cannot be fetched (Scrapy's
  RobotsTxtMiddleware logs it with its traceback at ERROR, and then crawls as if it allowed
  everything) is one WARNING; a request without an errback that fails is one ERROR; Scrapy's
  "Gave up retrying" is at DEBUG (RETRY_GIVE_UP_LOG_LEVEL): the spider's errback logs the failure.
The run report (RUN_REPORT_PATH) keeps the full stats (STATS_DUMP is off).
"""

from __future__ import annotations

import logging
import re
import warnings
from urllib.parse import urlsplit

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.logformatter import LogFormatter

from newscrawl.run.answers import network_cause

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


class _OneLineNetworkFailure(logging.Filter):
    """A record with the traceback of an expected network failure becomes one line naming the host
    and the cause; any other traceback (a bug) is left whole."""

    ROBOTS = "scrapy.downloadermiddlewares.robotstxt"

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        cause = network_cause(error)
        if cause is None:
            return True
        request = record.args.get("request") if isinstance(record.args, dict) else None
        url = str(getattr(request, "url", ""))
        host = urlsplit(url).netloc or "the site"
        if record.name == self.ROBOTS:
            record.msg = "robots.txt of %(host)s could not be fetched (%(cause)s): crawling as if it allowed everything"
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        else:
            record.msg = "Failed %(url)s: %(cause)s (%(host)s)"
        record.args = {"host": host, "cause": f"{cause}: {type(error).__name__}", "url": url}
        record.exc_info, record.exc_text = None, None
        return True


_NETWORK_FAILURE_LOGGERS = (_OneLineNetworkFailure.ROBOTS, "scrapy.core.scraper")


def _spidermon_routine(message: str) -> bool:
    return message.startswith("[Spidermon] ") and not _SPIDERMON_PROBLEM.search(message)


def quiet_routine_logs(spider_name: str) -> None:
    for name, prefixes in _STARTUP_LISTINGS.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, _Demote) for f in logger.filters):
            logger.addFilter(_Demote(lambda message, prefixes=prefixes: message.startswith(prefixes)))
    for name in _NETWORK_FAILURE_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _OneLineNetworkFailure) for f in logger.filters):
            logger.addFilter(_OneLineNetworkFailure())
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


def logs_at_debug(settings) -> bool:
    """Whether the run's log shows DEBUG lines (LOG_ENABLED, LOG_LEVEL): a debug call the log drops
    still builds its record and runs the filters (~0.1 ms), once per missing id in a backfill."""
    level = settings.get("LOG_LEVEL", "DEBUG")
    number = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
    return settings.getbool("LOG_ENABLED", True) and (not isinstance(number, int) or number <= logging.DEBUG)


class IdRanges:
    """A set of ids kept as ranges: a run of consecutive ids costs one entry whatever its length, and
    ids may come in any order (responses do). `add` is O(1); `ranges()` sorts (and merges) them."""

    def __init__(self) -> None:
        self._last_of: dict[int, int] = {}   # first id of a range -> its last
        self._first_of: dict[int, int] = {}  # last id of a range -> its first

    def __bool__(self) -> bool:
        return bool(self._last_of)

    def add(self, news_id: int) -> None:
        if news_id in self._last_of or news_id in self._first_of:
            return  # an end of a range already (an id inside one, added again, is merged by ranges())
        first = self._first_of.pop(news_id - 1, news_id)  # a range ending just before: extend it
        last = self._last_of.pop(news_id + 1, news_id)    # a range starting just after: join it
        if last != news_id:
            del self._first_of[last]
        if first != news_id:
            del self._last_of[first]
        self._last_of[first], self._first_of[last] = last, first

    def ranges(self) -> list[tuple[int, int]]:
        merged: list[list[int]] = []
        for first, last in sorted(self._last_of.items()):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return [(a, b) for a, b in merged]


def ranges_of(ids) -> list[tuple[int, int]]:
    """`[1, 2, 3, 7]` -> `[(1, 3), (7, 7)]`."""
    ranges: list[list[int]] = []
    for news_id in sorted(set(ids)):
        if ranges and news_id == ranges[-1][1] + 1:
            ranges[-1][1] = news_id
        else:
            ranges.append([news_id, news_id])
    return [(a, b) for a, b in ranges]


def ranges_text(ranges: list[tuple[int, int]], limit: int) -> str:
    """`[(1, 3), (7, 7)]` -> `1-3, 7`; past `limit` ranges, how many more."""
    text = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges[:limit])
    return text + (f" and {len(ranges) - limit} more ranges" if len(ranges) > limit else "")


def id_ranges(ids, limit: int) -> str:
    """`[1, 2, 3, 7]` -> `1-3, 7`; past `limit` ranges, how many more."""
    return ranges_text(ranges_of(ids), limit)
