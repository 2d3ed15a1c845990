"""JSON-lines output files that appear under their final name only when complete.

Scrapy's feed exports write the JSON lines; this storage writes them to `<name>.part`
(newscrawl.output.parts), hands each line to the OS as it is written, whole or not at all (so a killed
run or a full disk leaves only whole lines, but perhaps a torn last one after a power loss), holds an
exclusive lock on the part while the run lives, and renames it to `<name>` when the feed is closed.
`recover_orphans` turns the parts of dead runs into final files. The one reader of JSON-lines files
lives here too: `whole_lines` (a file's bytes as whole items) and `line_chunks` (a large file in chunks).
Who records the articles in the state store once written: newscrawl.extensions.recording_exporter.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from scrapy.extensions.feedexport import FileFeedStorage

from newscrawl.output.parts import PART, final_path, part_path, try_lock

logger = logging.getLogger(__name__)
CHUNK_BYTES = 8 << 20


def write_whole(fd: int, data: bytes, name: object = "") -> int:
    """Hand `data` (one line, or one record) to the OS at once, whole or not at all: when the OS
    refuses part of it (ENOSPC, EIO, ...) the file is cut back to where it began and the error goes
    on up, so the file holds only whole lines. `fd` is an unbuffered descriptor at the end of the
    file (opened to write or to append)."""
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
        except OSError as exc:
            logger.error("Could not cut a partly written line off %s: %s", name, exc)
        raise
    return done


class _LineFlushingFile:
    """The exporter writes one JSON line per write(); each reaches the OS at once (an unbuffered
    file), whole or not at all: when the OS refuses part of it (ENOSPC, EIO, ...) the file is cut
    back to where the line began and the error goes on up, so the file holds only whole lines."""

    def __init__(self, raw: IO[bytes], lock: bool = True):
        self.raw = raw
        if lock:
            fcntl.flock(raw.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def write(self, data: bytes) -> int:
        return write_whole(self.raw.fileno(), data, self.raw.name)

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
        return _LineFlushingFile(part_path(final).open("wb", buffering=0))

    def store(self, file) -> None:
        os.fsync(file.fileno())
        file.close()
        if not self.atomic:
            return
        if self.keep_part:
            logger.error("%s%s kept as it is: the state store failed during the run; the next run "
                         "finalizes it and records its articles", self.path, PART)
            return
        os.replace(part_path(self.path), self.path)


def whole_lines(data: bytes) -> tuple[list[tuple[dict, bytes]], int]:
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
            if not try_lock(handle.fileno()):
                continue  # a live run is writing it
            items, dropped = whole_lines(handle.read())
            final = final_path(part)
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


def line_chunks(path: Path, chunk_bytes: int = CHUNK_BYTES) -> Iterator[list[tuple[int, bytes]]]:
    """A JSON-lines file in chunks of (byte offset, line without its newline), blank lines skipped:
    memory bounded by the chunk, whatever the file's size."""
    with path.open("rb") as handle:
        position, rest = 0, b""
        while True:
            block = handle.read(chunk_bytes)
            data = rest + block
            cut = data.rfind(b"\n") + 1 if block else len(data)
            chunk, rest = data[:cut], data[cut:]
            out, offset = [], position
            for line in chunk.split(b"\n"):
                if line.strip():
                    out.append((offset, line))
                offset += len(line) + 1
            position += cut
            if out:
                yield out
            if not block:
                return
