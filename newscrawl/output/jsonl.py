"""JSON-lines output files that appear under their final name only when complete.

Scrapy's feed exports write the JSON lines; this storage writes them to `<name>.part`
(newscrawl.output.parts), hands each line to the OS as it is written, whole or not at all (so a killed
run or a full disk leaves only whole lines, but perhaps a torn last one after a power loss), holds an
exclusive lock on the part while the run lives, and renames it to `<name>` when the feed is closed.
The lock is taken before anything in the file is touched (`hold_output`): a second run on the same
file is told it is busy and changes nothing. A file the user names (-o/-O) is held by `scrapy crawl`
before the crawl starts; a part left there by a killed run of the same command is adopted (its whole
lines kept, `NotAdopted` keeps them from being written twice), one left by another command is set
aside as `<name>.orphan-<time>.jsonl`. `recover_orphans` turns the parts of dead runs under
OUTPUT_DIR into final files. The one reader of JSON-lines files lives here too: `whole_lines` (a
file's bytes as whole items); `line_chunks` (a large file in chunks) is newscrawl.output.lines'.
Who records the articles in the state store once written: newscrawl.extensions.recording_exporter.
"""

from __future__ import annotations

import errno
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from scrapy import Spider

from itemadapter import ItemAdapter
from scrapy.extensions.feedexport import FileFeedStorage, ItemFilter

from newscrawl.exceptions import Busy
from newscrawl.output.lines import CHUNK_BYTES
from newscrawl.output.parts import PART, final_path, lock_part, part_path, try_lock

logger = logging.getLogger(__name__)
RUN_FILE = "newscrawl_run_file"  # the FEEDS option that marks a run's own file (under OUTPUT_DIR)


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
    file), whole or not at all (write_whole)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def write(self, data: bytes) -> int:
        return write_whole(self.raw.fileno(), data, self.raw.name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


@dataclass
class HeldOutput:
    """An output file this process holds: the exclusive lock of its part, taken before anything in
    the file was touched. `append`: lines go to the existing file itself (-o on a file that exists;
    the empty part is then only the lock); else to the part, renamed when complete. `adopted`: the
    (site, news_id) of the lines a killed run of the same command left in the part, kept."""

    final: Path
    lock_fd: int
    append: bool
    adopted: set[tuple[str, int]] = field(default_factory=set)

    @property
    def part(self) -> Path:
        return part_path(self.final)

    @property
    def owner_file(self) -> Path:
        """Beside the part while it is written: the pid and command of the run writing it."""
        return Path(f"{self.part}.run")


# The outputs this process holds, by absolute path: taken by `scrapy crawl` before the crawl,
# used by the storage, released when the feed is stored.
_HELD: dict[str, HeldOutput] = {}


def _read_owner(path: Path) -> dict[str, Any]:
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


def _whole_line_keys(fd: int) -> tuple[set[tuple[str, int]], int, int]:
    """The (site, news_id) of a part's whole lines, how many lines, and where the last whole line
    ends (what follows it is a torn line). Read in chunks: memory bounded whatever the file's size."""
    keys: set[tuple[str, int]] = set()
    lines = end = 0
    rest = b""
    os.lseek(fd, 0, os.SEEK_SET)
    while block := os.read(fd, CHUNK_BYTES):
        data = rest + block
        cut = data.rfind(b"\n") + 1
        for line in data[:cut].split(b"\n")[:-1]:
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and "news_id" in item:
                keys.add((str(item.get("site") or ""), item["news_id"]))
                lines += 1
        end += cut
        rest = data[cut:]
    return keys, lines, end


def _set_aside(held: HeldOutput, end: int, why: str) -> None:
    """Copy the whole lines of a part this run does not adopt beside the file, then empty the part:
    a part's lines are never silently dropped."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = held.final.with_name(f"{held.final.stem}.orphan-{stamp}{held.final.suffix}")
    with aside.open("wb") as out:
        for offset in range(0, end, CHUNK_BYTES):
            out.write(os.pread(held.lock_fd, min(CHUNK_BYTES, end - offset), offset))
        out.flush()
        os.fsync(out.fileno())
    os.ftruncate(held.lock_fd, 0)
    logger.warning("%s was left by %s that did not finish: its lines are kept in %s", held.part, why, aside)


def hold_output(final: str | Path, *, overwrite: bool, command: dict[str, Any] | None = None) -> HeldOutput:
    """Take an output file for this run: lock its part first (Busy, naming the holder's pid, when a
    live run holds it; nothing is touched then), and only then look at what is in it. A part a dead
    run left with lines in it is adopted when that run was the same `command` (spider and arguments),
    else set aside. Held until `release_output`."""
    key = os.path.abspath(final)
    if key in _HELD:
        return _HELD[key]
    final = Path(key)
    final.parent.mkdir(parents=True, exist_ok=True)
    held_part = part_path(final)
    try:
        fd = lock_part(held_part)
    except BlockingIOError:
        raise Busy(str(final), _read_owner(Path(f"{held_part}.run")).get("pid")) from None
    held = HeldOutput(final, fd, append=not overwrite and final.exists())
    previous = _read_owner(held.owner_file)
    if os.fstat(fd).st_size:
        keys, lines, end = _whole_line_keys(fd)
        if held.append:
            _set_aside(held, end, "a run (this one appends to the existing file)")
        elif command is None or previous.get("command") != command:
            _set_aside(held, end, "a run of another command")
        else:
            os.ftruncate(fd, end)  # a torn last line goes; its article is fetched again
            held.adopted = keys
            logger.warning("Adopted %d lines of %s left by a run of the same command that did not finish: "
                           "kept, and not written again", lines, held.part)
    if command is not None:  # a file the user named: who writes it, for a busy run and the next one
        held.owner_file.write_text(json.dumps({"pid": os.getpid(), "command": command}) + "\n", encoding="utf-8")
    _HELD[key] = held
    return held


def release_output(held: HeldOutput, *, complete: bool = True) -> None:
    """Let go of an output file: a complete part becomes the final file (an appending run's part,
    only a lock, goes); an incomplete one stays, with its owner file, for the next run."""
    if complete:
        if held.append:
            held.part.unlink(missing_ok=True)
        else:
            os.replace(held.part, held.final)
        held.owner_file.unlink(missing_ok=True)
    os.close(held.lock_fd)
    _HELD.pop(str(held.final), None)


def release_unused_outputs() -> None:
    """The outputs held for a crawl that never opened them (it did not start, or was refused
    first): an empty part goes, a part holding adopted lines stays for the next run."""
    for held in list(_HELD.values()):
        if os.fstat(held.lock_fd).st_size == 0:
            held.part.unlink(missing_ok=True)
            held.owner_file.unlink(missing_ok=True)
        os.close(held.lock_fd)
        _HELD.pop(str(held.final), None)


class NotAdopted(ItemFilter):
    """The item filter (FEEDS option `item_filter`) of a file that adopted a killed run's part:
    an article whose line the part already holds is not written to it again. The feed option
    `newscrawl_output` names the file."""

    def __init__(self, feed_options: dict[str, Any] | None) -> None:
        super().__init__(feed_options)
        held = _HELD.get(os.path.abspath((feed_options or {}).get("newscrawl_output", "")))
        self.adopted = held.adopted if held is not None else set()

    def accepts(self, item: Any) -> bool:
        if not super().accepts(item):
            return False
        adapter = ItemAdapter(item)
        return (adapter.get("site"), adapter.get("news_id")) not in self.adopted


class AtomicFileFeedStorage(FileFeedStorage):
    """A new or overwritten file is written as `<path>.part` and renamed on close; appending to an
    existing file (`-o` on a file that exists) appends in place, as Scrapy does. Either way the
    part's lock is held (hold_output) before the file is touched."""

    # Set when the state store failed during the run: the part stays a part, so that the next run's
    # recovery records its lines (the state may not know them all) instead of writing them again.
    keep_part = False

    def open(self, spider: Spider) -> IO[bytes]:
        try:
            self.held = hold_output(self.path, overwrite=self.write_mode == "wb")
        except Busy as exc:  # held by `scrapy crawl` before the crawl, this only happens to other callers
            raise OSError(errno.EBUSY, str(exc)) from None
        if self.held.append:
            wrapped = _LineFlushingFile(self.held.final.open("ab", buffering=0))
        else:
            raw = self.held.part.open("r+b", buffering=0)
            raw.seek(0, os.SEEK_END)  # after the lines adopted, if any
            wrapped = _LineFlushingFile(raw)
        # The wrapper is a file to the exporter: write() its own, the rest the raw file's (__getattr__).
        return cast(IO[bytes], wrapped)

    def store(self, file: IO[bytes]) -> None:
        os.fsync(file.fileno())
        file.close()
        if self.keep_part and not self.held.append:
            logger.error("%s%s kept as it is: the state store failed during the run; the next run "
                         "finalizes it and records its articles", self.path, PART)
            release_output(self.held, complete=False)
            return
        release_output(self.held)


def whole_lines(data: bytes) -> tuple[list[tuple[dict[str, Any], bytes]], int]:
    """The complete lines as (JSON object, the line's bytes), and how many lines were dropped (a torn
    last line, anything that is not an item)."""
    items: list[tuple[dict[str, Any], bytes]] = []
    dropped = 0
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


def recover_orphans(output_dir: str | Path, record: Callable[[list[dict[str, Any]]], object]) -> list[Path]:
    """Finalize the `.part` files that no live run holds: keep their whole lines, rename them to
    their final name, and `record` the items they hold (the state store). Returns the final files."""
    finalized = []
    for part in sorted(Path(output_dir).rglob(f"*.jsonl{PART}")):
        done = finalize_part(part, record)
        if done is not None and done[1]:
            finalized.append(done[0])
    return finalized


def finalize_part(part: Path, record: Callable[[list[dict[str, Any]]], object]) -> tuple[Path, int, int] | None:
    """Finalize one `.part` file that no live run holds (see recover_orphans): (its final path, the
    lines kept, the lines dropped), or None when it is gone or a live run holds it."""
    try:
        handle = part.open("rb+")
    except FileNotFoundError:
        return None  # finalized meanwhile by another run's recovery
    with handle:
        if not try_lock(handle.fileno()):
            return None  # a live run is writing it
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
        part.unlink()
    logger.warning("Recovered %s from a run that did not finish: %d items kept, %d torn or invalid "
                   "lines dropped (their articles will be fetched again)", final, len(items), dropped)
    return final, len(items), dropped
