"""What recent runs saw, for the drift monitor: per run, how many articles it saw and how many of
them had each watched field empty. Kept in a table of its own (`drift_runs`) in the state store's
SQLite file (STATE_DIR/state.sqlite3), so that an RSS run every ten minutes that sees three new
articles is judged together with the runs before it.

The window is the newest runs of the site, back to DRIFT_WINDOW_HOURS, until they hold
DRIFT_MIN_ARTICLES articles: the least evidence that is enough, and the freshest.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

from newscrawl.items import utc_stamp

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drift_runs (
    site TEXT NOT NULL,
    run_id TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    seen INTEGER NOT NULL,
    empty TEXT NOT NULL,   -- JSON {field: articles with it empty}
    PRIMARY KEY (site, run_id)
);
CREATE INDEX IF NOT EXISTS drift_runs_recent ON drift_runs (site, finished_at);
"""
STATE_FILE = "state.sqlite3"


@dataclass(frozen=True)
class RunCounts:
    run_id: str
    seen: int
    empty: dict[str, int]


@dataclass(frozen=True)
class Window:
    runs: list[RunCounts]  # newest first

    @property
    def seen(self) -> int:
        return sum(r.seen for r in self.runs)

    def empty_shares(self, fields: Iterable[str]) -> dict[str, float]:
        seen = self.seen
        return {f: sum(r.empty.get(f, 0) for r in self.runs) / seen for f in fields} if seen else {}


class DriftHistory:
    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)

    @classmethod
    def for_settings(cls, settings: BaseSettings) -> DriftHistory:
        return cls(Path(settings.get("STATE_DIR")) / STATE_FILE)

    def add(self, site: str, counts: RunCounts, when: datetime | None = None) -> None:
        when = when or datetime.now(UTC)
        self.db.execute("INSERT OR REPLACE INTO drift_runs (site, run_id, finished_at, seen, empty) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (site, counts.run_id, utc_stamp(when), counts.seen, json.dumps(counts.empty, sort_keys=True)))

    def window(self, site: str, min_articles: int, max_age_hours: float,
               now: datetime | None = None) -> Window:
        """The newest runs that saw articles, within max_age_hours, until min_articles are held."""
        since = utc_stamp((now or datetime.now(UTC)) - timedelta(hours=max_age_hours))
        runs, seen = [], 0
        rows = self.db.execute("SELECT run_id, seen, empty FROM drift_runs WHERE site=? AND seen > 0 AND "
                               "finished_at >= ? ORDER BY finished_at DESC, rowid DESC", (site, since))
        for run_id, run_seen, empty in rows:
            runs.append(RunCounts(run_id, run_seen, json.loads(empty)))
            seen += run_seen
            if seen >= min_articles:
                break
        return Window(runs)

    def forget_before(self, site: str, when: datetime) -> None:
        self.db.execute("DELETE FROM drift_runs WHERE site=? AND finished_at < ?", (site, utc_stamp(when)))

    def close(self) -> None:
        self.db.close()
