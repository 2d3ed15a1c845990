"""The quarantine: a JSON-lines file of the items that failed validation, each with its reasons, so
that nothing is ever silently lost. Lines are flushed as written: a crash keeps what was written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from newscrawl.items import Article, exported, utc_stamp


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
        self._file: IO[str] | None = None

    def write(self, record: dict[str, Any]) -> None:
        if self._file is None:
            if self.path is None:
                self.path = Path(self._path() if callable(self._path) else self._path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class QuarantineList:
    """In-memory quarantine, for callers that report problems themselves (the extract command)."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    def close(self) -> None:
        pass
