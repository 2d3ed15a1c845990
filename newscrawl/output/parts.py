"""The one convention every file a run writes keeps: it is written as `<name>.part`, exclusively
locked (fcntl) by the process writing it, and renamed to `<name>` only when complete. A `.part` that
no process holds locked was left by a run that died; recovery finalizes it."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

PART = ".part"


def part_path(final: str | Path) -> Path:
    """Where `final` is written until it is complete."""
    return Path(str(final) + PART)


def final_path(part: str | Path) -> Path:
    """The name a part gets once complete."""
    return Path(str(part).removesuffix(PART))


def try_lock(fd: int) -> bool:
    """Take the exclusive lock of an open part: False when a live process holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def lock_part(part: str | Path) -> int:
    """Open `part` (created when missing, never truncated) and take its exclusive lock: the open
    descriptor, or BlockingIOError when a live process holds it. Nothing in the file is touched
    before the lock is held. A part renamed to its final name (or removed) between the open and the
    lock is not the part any more: the path is opened again."""
    while True:
        fd = os.open(part, os.O_RDWR | os.O_CREAT, 0o644)
        if not try_lock(fd):
            os.close(fd)
            raise BlockingIOError(f"{part} is locked by a live process")
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(part))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def finalize(part: str | Path) -> Path:
    """Rename a complete part to its final name (atomic on one filesystem); the final path."""
    final = final_path(part)
    os.replace(part, final)
    return final


def write_whole_file(path: Path, data: bytes) -> None:
    """`path` holding `data`, whole, or not there at all: written beside it as `<path>.tmp`, synced,
    then renamed; on a full disk the temp file goes and the error goes on up."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):  # not there, or its folder could not be made
            tmp.unlink()
        raise
