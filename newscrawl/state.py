"""What has been written: a small SQLite store (standard library) in STATE_DIR.

One row per article that reached an output file: its canonical URL, the hash of its content, when it
was first and last seen. Scheduled runs skip known articles before requesting them; refresh runs
write an article again only when its content hash changed. The store is only told about an item once
the item is in an output file, so it never claims an article that no file holds.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

# What makes an article "changed": its content, not when or how it was crawled, nor its comments
# (which grow for days and would make every refresh rewrite the article).
CONTENT_FIELDS = ("url", "title", "supertitle", "lead", "body", "published_at", "service", "category",
                  "tags", "lead_image", "images", "related", "videos")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    site TEXT NOT NULL,
    news_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (site, news_id)
);
-- Pages that gave no article: quarantined or missing. Skipped until BAD_PAGE_RETRY_HOURS have passed,
-- so a scheduled run does not fetch a known-bad page every few minutes; refresh runs fetch them too.
CREATE TABLE IF NOT EXISTS bad_pages (
    site TEXT NOT NULL,
    news_id INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    last_tried TEXT NOT NULL,
    PRIMARY KEY (site, news_id)
);
"""


def content_hash(item: dict) -> str:
    content = {name: item.get(name) for name in CONTENT_FIELDS}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _now(delta: timedelta = timedelta()) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


class StateStore:
    def __init__(self, path: str | Path, bad_page_retry_hours: float = 24.0):
        self.path = Path(path)
        self.bad_page_retry = timedelta(hours=bad_page_retry_hours)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # WAL: readers (other runs) never block the writer; each record is its own transaction.
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    @classmethod
    def for_settings(cls, settings) -> StateStore:
        from newscrawl.distributed import is_distributed
        if is_distributed(settings):  # a worker of a distributed crawl: the shared store in Redis
            from newscrawl.distributed.state import RedisStateStore
            return RedisStateStore.for_settings(settings)
        return cls(Path(settings.get("STATE_DIR")) / "state.sqlite3",
                   settings.getfloat("BAD_PAGE_RETRY_HOURS", 24.0))

    def known(self, site: str, news_id: int) -> bool:
        """Written already, or tried lately without giving an article: not worth a request now."""
        key = (site, news_id)
        if self.db.execute("SELECT 1 FROM articles WHERE site=? AND news_id=?", key).fetchone():
            return True
        row = self.db.execute("SELECT 1 FROM bad_pages WHERE site=? AND news_id=? AND last_tried > ?",
                              (*key, _now(-self.bad_page_retry))).fetchone()
        return row is not None

    def record_bad(self, site: str, news_id: int, outcome: str, reason: str) -> None:
        """A page that gave no article (outcome: quarantined or missing), tried now."""
        self.db.execute(
            "INSERT INTO bad_pages (site, news_id, outcome, reason, last_tried) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (site, news_id) DO UPDATE SET outcome=excluded.outcome, reason=excluded.reason, "
            "last_tried=excluded.last_tried", (site, news_id, outcome, reason[:500], _now()))

    def content_hash(self, site: str, news_id: int) -> str | None:
        row = self.db.execute("SELECT content_hash FROM articles WHERE site=? AND news_id=?",
                              (site, news_id)).fetchone()
        return row[0] if row else None

    def record(self, items: Iterable[dict]) -> int:
        """Mark exported items as written (their content hash, seen now)."""
        now, count = _now(), 0
        with self.db:
            self.db.execute("BEGIN")
            for item in items:
                self.db.execute(
                    "INSERT INTO articles (site, news_id, url, content_hash, first_seen, last_seen) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, news_id) DO UPDATE SET "
                    "url=excluded.url, content_hash=excluded.content_hash, last_seen=excluded.last_seen",
                    (item["site"], item["news_id"], item["url"], content_hash(item), now, now))
                self.db.execute("DELETE FROM bad_pages WHERE site=? AND news_id=?", (item["site"], item["news_id"]))
                count += 1
        return count

    def touch(self, site: str, news_id: int) -> None:
        """The article was fetched again and had not changed."""
        self.db.execute("UPDATE articles SET last_seen=? WHERE site=? AND news_id=?", (_now(), site, news_id))

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def close(self) -> None:
        self.db.close()
