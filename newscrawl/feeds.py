"""Per-run output files that appear under their final name only when complete.

Scrapy's feed exports write the JSON lines; this storage writes them to `<name>.part`, flushes each
line as it is written (so a killed run leaves only whole lines, but perhaps a torn last one after a
power loss), holds an exclusive lock on the part while the run lives, and renames it to `<name>` when
the feed is closed. `recover_orphans` turns the parts of dead runs into final files.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from scrapy.extensions.feedexport import FileFeedStorage

logger = logging.getLogger(__name__)
PART = ".part"


class _LineFlushingFile:
    """The exporter writes one JSON line per write(); each reaches the OS at once."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        fcntl.flock(raw.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def write(self, data: bytes) -> int:
        written = self.raw.write(data)
        self.raw.flush()
        return written

    def __getattr__(self, name):
        return getattr(self.raw, name)


class AtomicFileFeedStorage(FileFeedStorage):
    """A new or overwritten file is written as `<path>.part` and renamed on close; appending to an
    existing file (`-o` on a file that exists) appends in place, as Scrapy does."""

    def open(self, spider) -> IO[bytes]:
        final = Path(self.path)
        self.atomic = self.write_mode == "wb" or not final.exists()
        if not self.atomic:
            return super().open(spider)
        final.parent.mkdir(parents=True, exist_ok=True)
        return _LineFlushingFile(Path(str(final) + PART).open("wb"))

    def store(self, file) -> None:
        if not self.atomic:
            return super().store(file)
        file.flush()
        os.fsync(file.fileno())
        file.close()
        os.replace(str(self.path) + PART, self.path)
        return None


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
        with part.open("rb+") as handle:
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
