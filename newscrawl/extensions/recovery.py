"""Before a run starts: finish what a killed run left behind.

- Its output and its claims: `.part` files that no live run holds are finalized (their articles
  recorded), then the dead run's claims are released; an empty state store is rebuilt from the run
  files first. That is newscrawl.run.recovery, which `scrapy crawl` does before Scrapy starts (a store
  that fails there is one line and exit code 7); this extension does it only for a crawler started
  another way, and puts what was done in the run's stats either way.
- Its JOBDIR: Scrapy's job folder is consistent only after a graceful stop. A run holds a lock file
  in it; a lock file left behind that nobody holds means the last run was killed, and its request
  queue cannot be trusted (requests it had scheduled but never fetched are already in
  requests.seen, so they would never be fetched). The folder is moved aside and the job starts
  afresh; the state store makes sure nothing written is fetched or written again.
- A JOBDIR is for pausing and resuming one job: when a run stops gracefully with reason `shutdown`
  (Ctrl-C, SIGTERM, a Scrapyd cancel) it is kept and the next run with it resumes. When a run ends
  any other way (it finished, a CLOSESPIDER_* limit) the job is over: its request queue, dupefilter
  (requests.seen) and spider state are cleared, so that the same command tomorrow crawls afresh
  (its listings, new articles, pages that failed today) instead of filtering its own start requests.

The JOBDIR is claimed (locked, or moved aside) by `scrapy crawl` before the crawl starts
(`hold_jobdir`): a JOBDIR in use by a live run is one line and exit code 8 (busy), and nothing is
touched. The extension takes the claim over when it is built (or claims the JOBDIR itself when the
crawl was started another way), before the scheduler opens the JOBDIR; clearing runs once the
engine stopped, after the scheduler and the spider state were written.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl import stats as stat
from newscrawl.exceptions import Busy, StateError
from newscrawl.run.recovery import RECOVERED_SETTING, recover_before_run
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import store_for

logger = logging.getLogger(__name__)
LOCK_NAME = "newscrawl.lock"
RESUMABLE_REASONS = ("shutdown",)  # a paused job: keep its JOBDIR for the next run to resume



def _holder(fd: int) -> int | None:
    """The pid a live run wrote into the lock file it holds (None when not written yet)."""
    try:
        return int(os.pread(fd, 32, 0).decode().strip() or 0) or None
    except (OSError, ValueError):
        return None


def claim_jobdir(jobdir: Path) -> tuple[int, Path | None]:
    """Lock the job folder for this run; returns (lock fd, where an unclean job was moved aside, or
    None). Busy when a live run holds it (nothing is touched)."""
    aside = None
    lock = jobdir / LOCK_NAME
    if lock.exists():
        fd = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _holder(fd)
            os.close(fd)
            raise Busy(f"JOBDIR {jobdir}", pid) from None
        os.close(fd)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = jobdir.with_name(f"{jobdir.name}.unclean-{stamp}")
        jobdir.rename(aside)
    jobdir.mkdir(parents=True, exist_ok=True)
    fd = os.open(jobdir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # another run made it meanwhile
        pid = _holder(fd)
        os.close(fd)
        raise Busy(f"JOBDIR {jobdir}", pid) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd, aside


# JOBDIRs claimed by `scrapy crawl` before the crawl (hold_jobdir), by absolute path, until the
# extension takes the claim over.
_HELD_JOBDIRS: dict[str, tuple[int, Path | None]] = {}


def hold_jobdir(jobdir: str | Path) -> None:
    """Claim `jobdir` for this process before the crawl starts (Busy when a live run holds it), so
    that a second run refuses before doing anything, and no run starts between the check and the
    lock. CrashRecovery takes the claim over."""
    key = os.path.abspath(jobdir)
    if key not in _HELD_JOBDIRS:
        _HELD_JOBDIRS[key] = claim_jobdir(Path(key))


def _take_jobdir(jobdir: Path) -> tuple[int, Path | None]:
    """The claim hold_jobdir took for `jobdir`, or a new one."""
    held = _HELD_JOBDIRS.pop(os.path.abspath(jobdir), None)
    return held if held is not None else claim_jobdir(jobdir)


def release_unused_jobdirs() -> None:
    """After the crawl: a JOBDIR claimed for it that no CrashRecovery took over (the crawl did not
    start, or ran without OUTPUT_DIR) was not touched: its lock goes, so the next run does not take
    it for a killed run's."""
    for key, (fd, _) in list(_HELD_JOBDIRS.items()):
        (Path(key) / LOCK_NAME).unlink(missing_ok=True)
        os.close(fd)
        del _HELD_JOBDIRS[key]


def clear_jobdir(jobdir: Path) -> list[str]:
    """Empty a finished job's folder (the lock aside); returns the names removed."""
    removed = []
    for entry in sorted(jobdir.iterdir()):
        if entry.name == LOCK_NAME:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed.append(entry.name)
    return removed


class CrashRecovery:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        for name, value in self._recover(crawler).items():
            crawler.stats.set_value(name, value)
        self.jobdir = Path(settings["JOBDIR"]) if settings.get("JOBDIR") else None
        self.lock_fd = None
        self.finish_reason = None
        if self.jobdir is not None:
            self.lock_fd, aside = _take_jobdir(self.jobdir)
            if aside is not None:
                logger.warning("JOBDIR %s was left by a run that did not stop gracefully; moved to %s and the "
                               "job starts afresh (articles already written are skipped)", self.jobdir, aside)
            crawler.stats.set_value(stat.UNCLEAN_JOBDIR_RECOVERED, int(aside is not None))

    @staticmethod
    def _recover(crawler) -> dict[str, int]:
        """The start-of-run recovery (newscrawl.run.recovery): done by `scrapy crawl` before Scrapy
        started (its figures are in the settings), or here for a crawler started another way; a state
        store that fails here stops the run (exit code 7) before anything is written."""
        done = crawler.settings.getdict(RECOVERED_SETTING)
        if done:
            return done
        try:
            return recover_before_run(crawler.settings, store_for(crawler))
        except StateError as exc:
            stop_run(crawler, "state_failed", str(exc))
            return {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("OUTPUT_DIR"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_closed(self, spider, reason):
        self.finish_reason = reason

    def engine_stopped(self):
        """A run that gets here stopped gracefully (finished, or SIGINT/SIGTERM once): the job folder
        is consistent, so the lock goes; a job that is over is cleared first."""
        if self.lock_fd is not None and self.jobdir is not None:
            if self.finish_reason not in RESUMABLE_REASONS:
                removed = clear_jobdir(self.jobdir)
                self.crawler.stats.set_value(stat.JOBDIR_CLEARED, len(removed))
                logger.info("JOBDIR %s cleared: the job %s (a run stopped with Ctrl-C or SIGTERM keeps "
                            "it to resume)", self.jobdir, self.finish_reason)
            (self.jobdir / LOCK_NAME).unlink(missing_ok=True)
            os.close(self.lock_fd)
            self.lock_fd = None
