"""What has been written: a small SQLite store (standard library) in STATE_DIR.

One row per article that reached an output file: its canonical URL, the hash of its content, when it
was first and last seen. Scheduled runs skip known articles before requesting them; refresh runs
write an article again only when its content hash changed. The store is only told about an item once
the item is in an output file, so it never names an article that no file holds.

Overlapping runs (same STATE_DIR) never write one article twice: a run writes an article only while
it holds the article's claim, a unique row per article taken atomically by one INSERT (SQLite's own
locking decides), and it records the article before the claim ends; a run that finds the claim held
by a live run leaves the article to it. A claim's owner ("<run id>-pid<pid>") is alive while its
lock file `owners/<owner>.lock` beside the database exists: the run holds an fcntl lock on it, and
when the run dies the next run to start finalizes what the dead run left (its `.part` files, see
newscrawl.extensions.recovery) and only then removes the lock file, which voids the dead run's
claims. So an article a dead run wrote but had not recorded yet is never taken over and written
again, and an article it claimed but never wrote is written by a later run. The same contract in
Redis (the scale-out state, newscrawl.distributed.state): an atomic claim in a Lua script, void once
its owner (a worker) stops beating; see `StateBackend` for the contract both stores keep.
"""

from __future__ import annotations

import fcntl
import functools
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from newscrawl.exceptions import StateError
from newscrawl.items import content_hash, utc_stamp
from newscrawl.state.base import run_owner

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.settings import BaseSettings

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
-- Who may write an article now: one row per article being written; see the module's docstring.
CREATE TABLE IF NOT EXISTS claims (
    site TEXT NOT NULL,
    news_id INTEGER NOT NULL,
    owner TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (site, news_id)
);
CREATE INDEX IF NOT EXISTS claims_by_owner ON claims (owner);
-- The latest crawled_at recorded (name latest_crawled_at): the floor of the next run's clock.
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Archive walks that broke (a later listing page failed after its retries): the next run of the same
-- walk resumes at `page` (its `url`); cleared when a run reaches the walk's last page.
CREATE TABLE IF NOT EXISTS walks (
    site TEXT NOT NULL,
    walk TEXT NOT NULL,
    page INTEGER NOT NULL,
    url TEXT NOT NULL,
    failed_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    run TEXT NOT NULL,
    PRIMARY KEY (site, walk)
);
"""
OWNERS_DIR = "owners"
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _state_errors(method: Callable[Concatenate[StateStore, _P], _R]) -> Callable[Concatenate[StateStore, _P], _R]:
    """sqlite3 and OS errors leave the store as one StateError that names the database. After one,
    the store refuses all further work at once (the run stops; a locked database would otherwise
    make every item in flight wait the whole lock timeout)."""
    @functools.wraps(method)
    def wrapper(self: StateStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if self.failure is not None:
            raise StateError(self.failure)
        try:
            if self._identity is not None:
                self._check_identity()
            return method(self, *args, **kwargs)
        except (sqlite3.Error, OSError) as exc:
            self.failure = f"state store {self.path}: {exc}"
            raise StateError(self.failure) from exc
    return wrapper


class StateStore:
    failure: str | None = None  # why the store failed, once it has
    _identity: tuple[int, int] | None = None  # (st_dev, st_ino) of the database file opened

    @_state_errors
    def __init__(self, path: str | Path, bad_page_retry_hours: float = 24.0, lock_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.bad_page_retry = timedelta(hours=bad_page_retry_hours)
        self.owners_dir = self.path.parent / OWNERS_DIR
        self._held: dict[str, int] = {}  # owner -> fd of its locked lock file
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # WAL: readers (other runs) never block the writer; each write is its own short transaction.
        # A writer waits up to lock_timeout seconds for another run's transaction, then fails.
        self.db = sqlite3.connect(self.path, timeout=lock_timeout, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self._identity = self._file_identity()

    def _file_identity(self) -> tuple[int, int]:
        stat = os.stat(self.path)
        return stat.st_dev, stat.st_ino

    def _check_identity(self) -> None:
        """SQLite goes on writing into a database file that was deleted (its descriptor keeps the
        inode): every write would be lost without an error. So each use checks that the file at the
        path is still the one opened; a deleted or replaced one fails the store (the run stops, exit
        code 7, and the next run rebuilds the store from the run files, newscrawl.run.recovery)."""
        try:
            same = self._file_identity() == self._identity
        except FileNotFoundError:
            same = False
        if not same:
            raise sqlite3.OperationalError("the database file was deleted or replaced while this run used it")

    @classmethod
    def for_settings(cls, settings: BaseSettings) -> StateStore:
        """The store of STATE_DIR (the STATE_BACKEND newscrawl.settings names by default)."""
        return cls(Path(settings.get("STATE_DIR")) / "state.sqlite3",
                   settings.getfloat("BAD_PAGE_RETRY_HOURS", 24.0),
                   settings.getfloat("STATE_LOCK_TIMEOUT", 30.0))

    def owner_for(self, spider: Spider) -> str:
        """This run's claim owner: `<run id>-pid<pid>`, alive while this process holds its lock file."""
        return run_owner(getattr(spider, "run_id", None) or spider.name)

    @_state_errors
    def check_writable(self) -> None:
        """Raise StateError unless a write transaction can be started now (not locked, not corrupt)."""
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("SELECT COUNT(*) FROM claims").fetchone()
        self.db.execute("ROLLBACK")

    # -- claims ---------------------------------------------------------------------------------

    def _lock_file(self, owner: str) -> Path:
        return self.owners_dir / f"{owner}.lock"

    def _hold(self, owner: str) -> None:
        """This process owns `owner`: its lock file exists and is locked while the process lives."""
        if owner in self._held:
            return
        self.owners_dir.mkdir(parents=True, exist_ok=True)
        # Locked before it appears under its name: no other run can ever see it unlocked and take
        # this live owner for a dead one.
        lock = self._lock_file(owner)
        pending = lock.with_name(f".{lock.name}.{os.getpid()}")
        fd = os.open(pending, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.replace(pending, lock)
        self._held[owner] = fd

    def _alive(self, owner: str) -> bool:
        # A dead owner's lock file stays until a later run has finalized its output: until then its
        # claims hold (an article it wrote but had not recorded must not be written again).
        return owner in self._held or self._lock_file(owner).exists()

    @_state_errors
    def claim(self, site: str, news_id: int, owner: str) -> bool:
        """Atomically: True when `owner` may write the article now (no claim, its own, or a claim
        whose owner is gone); False when another live run holds it. Whether the article is still new
        or changed is for the caller to check once it holds the claim (record ends it)."""
        self._hold(owner)
        key = (site, news_id)
        if self.db.execute("INSERT INTO claims (site, news_id, owner, claimed_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (site, news_id) DO NOTHING", (*key, owner, utc_stamp())).rowcount:
            return True
        row = self.db.execute("SELECT owner FROM claims WHERE site=? AND news_id=?", key).fetchone()
        if row is None:  # released meanwhile: try once more
            return self.claim(site, news_id, owner)
        holder = row[0]
        if holder == owner:
            return True
        if self._alive(holder):
            return False
        # The holder is gone: take the claim over, unless a third run just did (compare and set).
        return bool(self.db.execute("UPDATE claims SET owner=?, claimed_at=? WHERE site=? AND news_id=? "
                                    "AND owner=?", (owner, utc_stamp(), *key, holder)).rowcount)

    @_state_errors
    def claim_holder(self, site: str, news_id: int) -> str | None:
        row = self.db.execute("SELECT owner FROM claims WHERE site=? AND news_id=?", (site, news_id)).fetchone()
        return row[0] if row else None

    @_state_errors
    def release(self, site: str, news_id: int, owner: str) -> None:
        """End `owner`'s claim on one article it decided not to write."""
        self.db.execute("DELETE FROM claims WHERE site=? AND news_id=? AND owner=?", (site, news_id, owner))

    @_state_errors
    def release_claims(self, owner: str) -> int:
        """End every claim of `owner` (a run that finished, or a dead run whose output has been
        finalized) and remove its lock file. Returns how many claims ended."""
        count = self.db.execute("DELETE FROM claims WHERE owner=?", (owner,)).rowcount
        fd = self._held.pop(owner, None)
        self._lock_file(owner).unlink(missing_ok=True)
        if fd is not None:
            os.close(fd)
        return count

    @_state_errors
    def dead_owners(self) -> list[str]:
        """Owners whose process is gone (their lock file is not locked) but whose claims still hold."""
        dead = []
        for lock in sorted(self.owners_dir.glob("*.lock")) if self.owners_dir.is_dir() else ():
            owner = lock.name[:-len(".lock")]
            if owner in self._held:
                continue
            try:
                fd = os.open(lock, os.O_RDWR)
            except FileNotFoundError:
                continue  # released meanwhile
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # alive
            finally:
                os.close(fd)
            dead.append(owner)
        return dead

    @_state_errors
    def claims_of(self, owner: str) -> list[tuple[str, int]]:
        return [tuple(r) for r in self.db.execute("SELECT site, news_id FROM claims WHERE owner=? "
                                                  "ORDER BY site, news_id", (owner,))]

    # -- articles and bad pages -----------------------------------------------------------------

    @_state_errors
    def known(self, site: str, news_id: int) -> bool:
        """Written already, or tried lately without giving an article: not worth a request now."""
        key = (site, news_id)
        if self.db.execute("SELECT 1 FROM articles WHERE site=? AND news_id=?", key).fetchone():
            return True
        row = self.db.execute("SELECT 1 FROM bad_pages WHERE site=? AND news_id=? AND last_tried > ?",
                              (*key, utc_stamp(delta=-self.bad_page_retry))).fetchone()
        return row is not None

    @_state_errors
    def known_many(self, site: str, news_ids: Iterable[int]) -> set[int]:
        """Which of these `known` would say yes to, in two queries over the ids' span (a run asks
        for ids in runs: an ids range, an archive page's hundred); ids spread wider than that are
        looked up a chunk at a time."""
        wanted = set(news_ids)
        if not wanted:
            return set()
        low, high = min(wanted), max(wanted)
        recent = utc_stamp(delta=-self.bad_page_retry)
        if high - low < 4 * len(wanted):
            found = self.db.execute(
                "SELECT news_id FROM articles WHERE site=?1 AND news_id BETWEEN ?2 AND ?3 UNION "
                "SELECT news_id FROM bad_pages WHERE site=?1 AND news_id BETWEEN ?2 AND ?3 AND last_tried > ?4",
                (site, low, high, recent)).fetchall()
            return wanted.intersection(row[0] for row in found)
        ids = sorted(wanted)
        known: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            known.update(row[0] for row in self.db.execute(
                f"SELECT news_id FROM articles WHERE site=? AND news_id IN ({marks}) UNION "
                f"SELECT news_id FROM bad_pages WHERE site=? AND news_id IN ({marks}) AND last_tried > ?",
                (site, *chunk, site, *chunk, recent)))
        return known

    @_state_errors
    def record_bad(self, site: str, news_id: int, outcome: str, reason: str) -> None:
        """A page that gave no article (outcome: quarantined or missing), tried now."""
        self.db.execute(
            "INSERT INTO bad_pages (site, news_id, outcome, reason, last_tried) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (site, news_id) DO UPDATE SET outcome=excluded.outcome, reason=excluded.reason, "
            "last_tried=excluded.last_tried", (site, news_id, outcome, reason[:500], utc_stamp()))

    @_state_errors
    def record_bad_many(self, rows: Iterable[tuple[str, int, str, str]]) -> None:
        """record_bad for each (site, news_id, outcome, reason), in one transaction."""
        now = utc_stamp()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "INSERT INTO bad_pages (site, news_id, outcome, reason, last_tried) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (site, news_id) DO UPDATE SET outcome=excluded.outcome, reason=excluded.reason, "
                "last_tried=excluded.last_tried",
                [(site, news_id, outcome, reason[:500], now) for site, news_id, outcome, reason in rows])

    @_state_errors
    def content_hash(self, site: str, news_id: int) -> str | None:
        row = self.db.execute("SELECT content_hash FROM articles WHERE site=? AND news_id=?",
                              (site, news_id)).fetchone()
        return row[0] if row else None

    @_state_errors
    def record(self, items: Iterable[Mapping[str, Any]], owner: str | None = None) -> int:
        """Mark exported items as written (their content hash, seen now), and end `owner`'s claims on
        them, in one transaction."""
        now, count, latest = utc_stamp(), 0, ""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for item in items:
                latest = max(latest, item.get("crawled_at") or "")
                self.db.execute(
                    "INSERT INTO articles (site, news_id, url, content_hash, first_seen, last_seen) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, news_id) DO UPDATE SET "
                    "url=excluded.url, content_hash=excluded.content_hash, last_seen=excluded.last_seen",
                    (item["site"], item["news_id"], item["url"], content_hash(item), now, now))
                self.db.execute("DELETE FROM bad_pages WHERE site=? AND news_id=?", (item["site"], item["news_id"]))
                if owner is not None:
                    self.db.execute("DELETE FROM claims WHERE site=? AND news_id=? AND owner=?",
                                    (item["site"], item["news_id"], owner))
                count += 1
            if latest:
                self.db.execute("INSERT INTO meta (name, value) VALUES ('latest_crawled_at', ?) ON CONFLICT (name) "
                                "DO UPDATE SET value=max(value, excluded.value)", (latest,))
        return count

    @_state_errors
    def latest_crawled_at(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name='latest_crawled_at'").fetchone()
        if row is None:  # a store recorded into before it kept the mark: its last sighting is the best bound
            row = self.db.execute("SELECT MAX(last_seen) FROM articles").fetchone()
        return row[0] if row else None

    @_state_errors
    def articles_per_hour(self, since: str) -> dict[str, dict[str, int]]:
        hours: dict[str, dict[str, int]] = {}
        for site, hour, n in self.db.execute("SELECT site, substr(first_seen, 1, 13), COUNT(*) FROM articles "
                                             "WHERE first_seen >= ? GROUP BY 1, 2", (since,)):
            hours.setdefault(site, {})[hour] = n
        return hours

    @_state_errors
    def bad_pages(self, since: str) -> list[tuple[str, int, str, str, str]]:
        return [tuple(r) for r in self.db.execute("SELECT site, news_id, outcome, reason, last_tried FROM bad_pages "
                                                  "WHERE last_tried >= ? ORDER BY last_tried DESC, news_id DESC",
                                                  (since,))]

    @_state_errors
    def touch(self, site: str, news_id: int) -> None:
        """The article was fetched again and had not changed."""
        self.db.execute("UPDATE articles SET last_seen=? WHERE site=? AND news_id=?", (utc_stamp(), site, news_id))

    # -- archive walks that broke -----------------------------------------------------------------

    @_state_errors
    def walk_broken(self, site: str, walk: str, page: int, url: str, reason: str, run: str) -> None:
        self.db.execute(
            "INSERT INTO walks (site, walk, page, url, failed_at, reason, run) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (site, walk) DO UPDATE SET page=excluded.page, url=excluded.url, "
            "failed_at=excluded.failed_at, reason=excluded.reason, run=excluded.run",
            (site, walk, page, url, utc_stamp(), reason[:500], run))

    @_state_errors
    def broken_walks(self, site: str) -> dict[str, dict[str, Any]]:
        rows = self.db.execute("SELECT walk, page, url, failed_at, reason, run FROM walks WHERE site=? "
                               "ORDER BY failed_at", (site,))
        return {walk: {"page": page, "url": url, "failed_at": failed_at, "reason": reason, "run": run}
                for walk, page, url, failed_at, reason, run in rows}

    @_state_errors
    def walk_done(self, site: str, walk: str) -> None:
        self.db.execute("DELETE FROM walks WHERE site=? AND walk=?", (site, walk))

    @_state_errors
    def count(self) -> int:
        count: int = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return count

    def close(self) -> None:
        """Close the database; an owner still held keeps its lock file (its claims hold until a
        later run finds it dead), so call release_claims first at the end of a run."""
        for fd in self._held.values():
            os.close(fd)
        self._held.clear()
        self.db.close()  # a store used after this fails with StateError (sqlite3: closed database)
