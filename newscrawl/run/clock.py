"""The run's clock: when a page was fetched, as `crawled_at`, the run id and the WARC-Date say it.

It is the wall clock (UTC), but never earlier than a second after the latest `crawled_at` the state
store has recorded (StateBackend.latest_crawled_at), and it runs on from there with the monotonic
clock. So when the machine's clock goes back (NTP corrects a clock that ran ahead, a VM restored
from a snapshot), a later fetch still has a later `crawled_at` than every version written before,
and the dataset's `latest` (by crawled_at) is the version written last. When the floor is ahead of
the wall clock by more than a minute the run says so (a WARNING; the spider puts
`newscrawl/clock_behind_seconds` in the stats).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from newscrawl.items import UTC_STAMP

logger = logging.getLogger(__name__)
_ATTRIBUTE = "_newscrawl_clock"
LATEST_CRAWLED_AT_SETTING = "NEWSCRAWL_LATEST_CRAWLED_AT"
BEHIND_WARNING_SECONDS = 60


class RunClock:
    def __init__(self, floor: datetime | None = None):
        self.floor = floor
        self._started = time.monotonic()
        # how far the wall clock was behind the floor when the run started (0: not behind)
        self.behind_seconds = max(0, round((floor - datetime.now(UTC)).total_seconds())) if floor else 0

    def now(self) -> datetime:
        wall = datetime.now(UTC)
        if self.floor is None:
            return wall
        return max(wall, self.floor + timedelta(seconds=time.monotonic() - self._started))


def _floor(crawler) -> datetime | None:
    latest = crawler.settings.get(LATEST_CRAWLED_AT_SETTING)
    if not latest:
        return None
    try:
        floor = datetime.strptime(latest, UTC_STAMP).replace(tzinfo=UTC) + timedelta(seconds=1)
    except ValueError:
        return None
    behind = (floor - datetime.now(UTC)).total_seconds()
    if behind > BEHIND_WARNING_SECONDS:
        logger.warning("The clock is %.0f s behind the latest crawled_at the state store recorded (%s): this "
                       "run's crawled_at, run id and WARC dates follow the state's, so that its versions stay "
                       "the latest", behind, latest)
    return floor


def clock_for(crawler) -> RunClock:
    """The run's clock (one per crawler). Its floor is what `scrapy crawl` read from the state store
    before Scrapy started (LATEST_CRAWLED_AT_SETTING: the spider names the run before the add-ons
    have chosen the store, so it cannot ask the store itself); without it, the wall clock."""
    clock = getattr(crawler, _ATTRIBUTE, None)
    if clock is None:
        clock = RunClock(_floor(crawler))
        setattr(crawler, _ATTRIBUTE, clock)
    return clock
