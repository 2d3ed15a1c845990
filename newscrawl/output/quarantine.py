"""The quarantine: a JSON-lines file of the items that failed validation, each with its reasons, so
that nothing is ever silently lost. Each record reaches the OS as it is written, whole or not at all
(as the articles file's lines, newscrawl.output.jsonl.write_whole): a crash or a full disk keeps only
whole records, and nothing is left in a buffer for closing the file to fail on."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from newscrawl.items import Article, exported, utc_stamp
from newscrawl.output.jsonl import write_whole

logger = logging.getLogger(__name__)


def quarantine_record(item: Article, reasons: list[str], data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The quarantine line of `item`; `data` is exported(item), when the caller has it already."""
    return {
        "reasons": reasons,
        "url": item.url or item.source_url,
        "source_url": item.source_url,
        "news_id": item.news_id,
        "quarantined_at": utc_stamp(),
        "item": exported(item) if data is None else data,
    }


class QuarantineFile:
    """Appends records to `path` (or to the path a callable gives when the first record comes),
    created with its folder on the first record only."""

    def __init__(self, path: str | Path | Callable[[], str | Path]) -> None:
        self._path = path
        self.path: Path | None = None if callable(path) else Path(path)
        self.count = 0
        self._file: IO[bytes] | None = None

    def write(self, record: dict[str, Any]) -> None:
        """Append one record (OSError when the disk refuses it: the file then holds the records
        before it, whole)."""
        if self._file is None:
            if self.path is None:
                self.path = Path(self._path() if callable(self._path) else self._path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("ab", buffering=0)
        write_whole(self._file.fileno(), (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"), self.path)
        self.count += 1

    def close(self) -> None:
        """Close the file; never raises (nothing is buffered, so nothing is lost when closing fails)."""
        if self._file is not None:
            try:
                self._file.close()
            except OSError as exc:
                logger.warning("Closing the quarantine file %s failed: %s", self.path, exc)
            self._file = None


class QuarantineList:
    """In-memory quarantine, for callers that report problems themselves (the extract command)."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    def close(self) -> None:
        pass
