"""Per-run output files that appear under their final name only when complete, and the state store
told about an article only once its line is in the file.

Scrapy's feed exports write the JSON lines; this storage writes them to `<name>.part`, hands each
line to the OS as it is written, whole or not at all (so a killed run or a full disk leaves only
whole lines, but perhaps a torn last one after a power loss), holds an exclusive lock on the part
while the run lives, and renames it to `<name>` when the feed is closed. `recover_orphans` turns the
parts of dead runs into final files. `RecordingFeedExporter` records each article once written.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from scrapy.extensions.feedexport import FeedExporter, FileFeedStorage

from newscrawl import exit_codes
from newscrawl.items import Article, exported
from newscrawl.run_state import owner_for, store_for
from newscrawl.state import StateError
from newscrawl.stopping import stop_run

logger = logging.getLogger(__name__)
PART = ".part"


class _LineFlushingFile:
    """The exporter writes one JSON line per write(); each reaches the OS at once (an unbuffered
    file), whole or not at all: when the OS refuses part of it (ENOSPC, EIO, ...) the file is cut
    back to where the line began and the error goes on up, so the file holds only whole lines."""

    def __init__(self, raw: IO[bytes], lock: bool = True):
        self.raw = raw
        if lock:
            fcntl.flock(raw.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def write(self, data: bytes) -> int:
        fd = self.raw.fileno()
        start = os.fstat(fd).st_size  # the end of the file: also right for a file opened to append
        view, done = memoryview(data), 0
        try:
            while done < len(view):
                written = os.write(fd, view[done:])
                if not written:
                    raise OSError(errno.EIO, "the OS accepted no byte of the line")
                done += written
        except OSError:
            try:
                os.ftruncate(fd, start)
                os.lseek(fd, start, os.SEEK_SET)
            except OSError:
                logger.exception("Could not cut a partly written line off %s", self.raw.name)
            raise
        return done

    def __getattr__(self, name):
        return getattr(self.raw, name)


class AtomicFileFeedStorage(FileFeedStorage):
    """A new or overwritten file is written as `<path>.part` and renamed on close; appending to an
    existing file (`-o` on a file that exists) appends in place, as Scrapy does."""

    # Set when the state store failed during the run: the part stays a part, so that the next run's
    # recovery records its lines (the state may not know them all) instead of writing them again.
    keep_part = False

    def open(self, spider) -> IO[bytes]:
        final = Path(self.path)
        self.atomic = self.write_mode == "wb" or not final.exists()
        final.parent.mkdir(parents=True, exist_ok=True)
        if not self.atomic:
            return _LineFlushingFile(final.open(self.write_mode, buffering=0), lock=False)
        return _LineFlushingFile(Path(str(final) + PART).open("wb", buffering=0))

    def store(self, file) -> None:
        os.fsync(file.fileno())
        file.close()
        if not self.atomic:
            return
        if self.keep_part:
            logger.error("%s%s kept as it is: the state store failed during the run; the next run "
                         "finalizes it and records its articles", self.path, PART)
            return
        os.replace(str(self.path) + PART, self.path)


class RecordingFeedExporter(FeedExporter):
    """Scrapy's FeedExporter (settings.EXTENSIONS puts it in its place), which tells the state store
    about an article once its line is in the file (written and handed to the OS, as above), and stops
    the run when writing fails.

    Why the recording is here and not in an `item_scraped` handler of its own: Scrapy calls every
    `item_scraped` handler through send_catch_log, so when the FeedExporter's write raised (disk
    full, unwritable path) the error was logged and the next handler recorded the article anyway: no
    file held it and every later run skipped it. Wrapping the exporter's own `item_scraped` keeps
    Scrapy's feed machinery whole (FEEDS, formats, storages, batches, -o/-O) and knows the write's
    outcome before anything is recorded. After a failed write the run writes nothing more: each
    later item counts as not written (its claim is released at the end, so a rerun writes it)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.stopped_by: str | None = None

    def item_scraped(self, item, spider) -> None:
        stats = self.crawler.stats
        if self.stopped_by is not None:
            stats.inc_value("newscrawl/not_written")
            return
        try:
            super().item_scraped(item, spider)
        except OSError as exc:
            self.stopped_by = "write_failed"
            stats.inc_value("newscrawl/not_written")
            stop_run(self.crawler, "write_failed", f"the output could not be written: {exc}")
            return
        stats.inc_value("newscrawl/written")
        if not isinstance(item, Article):
            return
        try:
            store_for(self.crawler).record([exported(item)], owner=owner_for(self.crawler))
        except StateError as exc:
            self.stopped_by = "state_failed"
            stop_run(self.crawler, "state_failed", str(exc))
            return
        stats.inc_value("newscrawl/state_recorded")

    async def close_spider(self, spider) -> None:
        if self.crawler.stats.get_value(exit_codes.OUTCOME_STAT + "state_failed"):
            for slot in self.slots:  # the state failed somewhere during the run: let recovery record
                if isinstance(slot.storage, AtomicFileFeedStorage):
                    slot.storage.keep_part = True
        await super().close_spider(spider)
        stats = self.crawler.stats.get_stats()
        failed = sum(v for k, v in stats.items() if k.startswith("feedexport/failed_count/"))
        if failed and not stats.get(exit_codes.OUTCOME_STAT + "write_failed"):
            exit_codes.set_outcome(self.crawler.stats, "write_failed",
                                   "the output file could not be completed at the end of the run (see "
                                   "'Error storing' in the log); the next run finalizes its .part file")


def _whole_lines(data: bytes) -> tuple[list[tuple[dict, bytes]], int]:
    """The complete lines as (JSON object, the line's bytes), and how many lines were dropped (a torn
    last line, anything that is not an item)."""
    items, dropped = [], 0
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        lines.pop()  # no newline after it: torn by the crash
        dropped += 1
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            dropped += 1
            continue
        if isinstance(item, dict) and "news_id" in item:
            items.append((item, line))
        else:
            dropped += 1
    return items, dropped


def recover_orphans(output_dir: str | Path, record: Callable[[list[dict]], object]) -> list[Path]:
    """Finalize the `.part` files that no live run holds: keep their whole lines, rename them to
    their final name, and `record` the items they hold (the state store). Returns the final files."""
    finalized = []
    for part in sorted(Path(output_dir).rglob(f"*.jsonl{PART}")):
        try:
            handle = part.open("rb+")
        except FileNotFoundError:
            continue  # finalized meanwhile by another run's recovery
        with handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live run is writing it
            items, dropped = _whole_lines(handle.read())
            final = part.with_suffix("")  # drop ".part"
            if items:
                # Each step can be interrupted and redone: the final file first, then the state,
                # then the part goes. The state never names an article no final file holds.
                tmp = part.with_name(part.name + ".recovering")
                with tmp.open("wb") as out:
                    out.writelines(line + b"\n" for _, line in items)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, final)
                record([item for item, _ in items])
                finalized.append(final)
            part.unlink()
        logger.warning("Recovered %s from a run that did not finish: %d items kept, %d torn or invalid "
                       "lines dropped (their articles will be fetched again)", final, len(items), dropped)
    return finalized
