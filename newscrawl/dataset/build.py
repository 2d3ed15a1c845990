"""`dataset build`: every run file -> one dataset of Parquet partitions.

    DIR/latest/<site>/<YYYY-MM>.parquet    the latest version of each (site, news_id), by crawled_at
    DIR/versions/<site>/<YYYY-MM>.parquet  every earlier distinct version of those articles
    DIR/manifest.json                      files, row counts, checksums, per-partition statistics
    DIR/README.md, DIR/articles_per_month.png   the dataset card

Published whole or not at all: each of those names leads, through `DIR/.current`, to one generation
of the dataset; a build writes a new generation beside it and switches `.current` in one rename
(newscrawl.dataset.generations). A build that is killed, or fails (a full disk: exit code 6), leaves
the previous dataset as it was, and nothing unfinished where loaders look.

A partition is a site and the month of the latest version's publication date; rows are ordered by
news_id (versions: then by crawled_at), so the same runs always give the same bytes.

Incremental and streaming: an index on disk (DIR/.build/index.sqlite3) remembers, for every line of
every run file read so far, where it is and what it is (key, crawled_at, month, content hash). A build
reads only the run files it has not seen (or that changed), works out which articles they touch and
so which partitions, and rewrites only those (the others are hard links to the published
generation's files), pulling the lines it needs from the run files by offset, a batch at a time.
Memory holds one batch, never the corpus.

Ties in crawled_at (a reparse of a page keeps the time it was fetched) go to the later run file: run
ids start with the time the run started, so the reparse's wins.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from newscrawl.dataset import stories
from newscrawl.dataset.arrow import from_numpy
from newscrawl.dataset.card import CHART, chart_data, write_card
from newscrawl.dataset.generations import Generations
from newscrawl.dataset.partition import LineReader, PartitionWriter
from newscrawl.dataset.runs import key_fields_and_bodies, publication_month, run_files, version_hash
from newscrawl.dataset.schema import dataset_schema
from newscrawl.exceptions import BuildError, DatasetWriteError
from newscrawl.output.lines import line_chunks
from newscrawl.sites import profile_named
from newscrawl.sites.topics import SiteTopics, resolve, unmapped

logger = logging.getLogger(__name__)
FORMAT = "newscrawl-dataset/1"
TABLES = ("latest", "versions")
INDEX_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, run TEXT NOT NULL, lines INTEGER NOT NULL, invalid INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lines (file_id INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL,
    site TEXT NOT NULL, news_id INTEGER NOT NULL, crawled_at TEXT NOT NULL, run TEXT NOT NULL,
    hash BLOB NOT NULL, month TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS lines_by_key ON lines (site, news_id, crawled_at, run, offset);
CREATE INDEX IF NOT EXISTS lines_by_file ON lines (file_id);
CREATE TABLE IF NOT EXISTS keys (site TEXT NOT NULL, news_id INTEGER NOT NULL, month TEXT NOT NULL,
    PRIMARY KEY (site, news_id));
CREATE INDEX IF NOT EXISTS keys_by_partition ON keys (site, month, news_id);
-- Partitions to write: recorded with the lines that make them stale, cleared once the manifest names
-- the files written, so a build that dies half-way is finished by the next one.
CREATE TABLE IF NOT EXISTS pending (site TEXT NOT NULL, month TEXT NOT NULL, PRIMARY KEY (site, month));
"""



@dataclass
class BuildResult:
    files_read: int = 0
    lines_read: int = 0
    invalid_lines: int = 0
    partitions_written: list[str] = field(default_factory=list)
    partitions_removed: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    full: bool = False
    topics: dict = field(default_factory=dict)  # topic_report() of the latest table
    stories: dict | None = None  # the story grouping's parameters and counts (None: grouping off)


def topic_report(manifest: dict) -> dict:
    """The latest table's topics: articles with one and without, the service and category words of
    those without that the topic mapping does not know ({site: {kind: {word: articles}}}: complete the
    mapping with them), and the articles without one whose words map now (written before the mapping
    knew them, or before `topic` existed: `reparse` their archive)."""
    report: dict = {"with_topic": 0, "no_topic": 0, "unmapped": {}, "mapped_since": 0}
    for entry in manifest["files"].values():
        if entry["table"] != "latest":
            continue
        stats = entry["stats"]
        topics = stats.get("topics", {})
        report["no_topic"] += topics.get("none", 0)
        report["with_topic"] += sum(n for name, n in topics.items() if name != "none")
        profile = profile_named(entry["site"])
        site = profile.topics if profile is not None else SiteTopics()
        for pair, count in stats.get("no_topic_words", {}).items():
            service, category = json.loads(pair)
            if resolve(site, service, category) is not None:
                report["mapped_since"] += count
            for kind, word in unmapped(site, service, category):
                words = report["unmapped"].setdefault(entry["site"], {}).setdefault(kind, {})
                words[word] = words.get(word, 0) + count
    report["unmapped"] = {site: {kind: dict(sorted(words.items(), key=lambda w: (-w[1], w[0])))
                                 for kind, words in sorted(kinds.items())}
                          for site, kinds in sorted(report["unmapped"].items())}
    return report


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def partition_path(table: str, site: str, month: str) -> str:
    return f"{table}/{site}/{month}.parquet"


def _schema_fingerprint() -> str:
    return dataset_schema().to_string(show_schema_metadata=False)


class Index:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(INDEX_SCHEMA)
        self.db.executescript(stories.INDEX_SCHEMA)

    def meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def close(self) -> None:
        self.db.close()


class DatasetBuilder:
    def __init__(self, out: Path, runs_dir: Path, sites: list[str] | None = None, group_stories: bool = True):
        self.out = Path(out)
        self.group_stories = group_stories  # off: story_id and story_first are null, nothing signed
        self.runs_dir = Path(runs_dir)
        self.sites = sorted(set(sites)) if sites else None
        self.index_path = self.out / ".build" / "index.sqlite3"

    # -- reading run files into the index ------------------------------------------------------

    def _reset_if_incompatible(self) -> bool:
        """A build with another schema or site selection than the last one starts from scratch."""
        wanted = {"format": FORMAT, "schema": _schema_fingerprint(), "sites": json.dumps(self.sites),
                  "stories": stories.PARAMETERS if self.group_stories else "off"}
        index = Index(self.index_path)
        try:
            stale = any(index.meta(k) not in (None, v) for k, v in wanted.items())
            fresh = index.meta("format") is None
        finally:
            index.close()
        if stale:  # a generation built from scratch; the published one stays until it is complete
            logger.warning("The schema, site selection or story parameters changed since the last build: "
                           "rebuilding everything")
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.index_path) + suffix).unlink(missing_ok=True)
        index = Index(self.index_path)
        for name, value in wanted.items():
            index.set_meta(name, value)
        index.close()
        return stale or fresh

    def _ingest(self, db: sqlite3.Connection, result: BuildResult) -> None:
        db.execute(
            "CREATE TEMP TABLE dirty (site TEXT NOT NULL, news_id INTEGER NOT NULL, PRIMARY KEY (site, news_id))"
        )
        known = {path: (file_id, size, mtime) for file_id, path, size, mtime
                 in db.execute("SELECT id, path, size, mtime_ns FROM files")}
        present = {}
        for path in run_files(self.runs_dir, exclude=self.out):
            stat = path.stat()
            present[str(path.resolve())] = (path, stat)
        for name, (file_id, size, mtime) in known.items():
            current = present.get(name)
            if current is not None and (current[1].st_size, current[1].st_mtime_ns) == (size, mtime):
                present.pop(name)
                continue
            # Gone or changed: its lines go; what they held is worked out again.
            db.execute("INSERT OR IGNORE INTO dirty SELECT site, news_id FROM lines WHERE file_id=?", (file_id,))
            db.execute("DELETE FROM lines WHERE file_id=?", (file_id,))
            if self.group_stories:
                stories.forget_file(db, file_id)
            db.execute("DELETE FROM files WHERE id=?", (file_id,))
        for name, (path, stat) in sorted(present.items()):
            self._ingest_file(db, name, path, stat, result)

    def _ingest_file(self, db, name: str, path: Path, stat, result: BuildResult) -> None:
        run = path.stem
        cursor = db.execute("INSERT INTO files (path, size, mtime_ns, run, lines, invalid) VALUES (?, ?, ?, ?, 0, 0)",
                            (name, stat.st_size, stat.st_mtime_ns, run))
        file_id = cursor.lastrowid
        lines = invalid = 0
        for chunk in line_chunks(path):
            rows = []
            kept: list[int] = []  # the lines of `rows` (their index in the chunk) and dates, for the stories
            published_ats: list[str | None] = []
            found, bodies = key_fields_and_bodies([line for _, line in chunk], bodies=self.group_stories)
            for index, ((offset, line), keys) in enumerate(zip(chunk, found, strict=True)):
                if keys is None:
                    invalid += 1
                    continue
                site, news_id, crawled_at, published_at = keys
                if self.sites and site not in self.sites:
                    continue
                rows.append((file_id, offset, len(line), site, news_id, crawled_at, run, version_hash(line),
                             publication_month(published_at)))
                kept.append(index)
                published_ats.append(published_at)
            db.executemany("INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.executemany("INSERT OR IGNORE INTO dirty VALUES (?, ?)", [(r[3], r[4]) for r in rows])
            if self.group_stories:
                kept_bodies = (bodies.take(from_numpy(np.array(kept, dtype=np.int64), pa.int64()))
                               if bodies is not None else stories.bodies_of([chunk[index][1] for index in kept]))
                stories.add_lines(db, [(r[0], r[1], published) for r, published in zip(rows, published_ats,
                                                                                        strict=True)], kept_bodies)
            lines += len(chunk)
        if invalid:
            logger.warning("%s: %d lines are no article and were left out", path, invalid)
        db.execute("UPDATE files SET lines=?, invalid=? WHERE id=?", (lines, invalid, file_id))
        result.files_read += 1
        result.lines_read += lines
        result.invalid_lines += invalid

    def _dirty_partitions(self, db: sqlite3.Connection) -> set[tuple[str, str]]:
        """Move every touched article to the partition of its latest version; the partitions it
        left and joined must be written again."""
        partitions = set(db.execute("SELECT DISTINCT k.site, k.month FROM keys k JOIN dirty d "
                                    "ON d.site=k.site AND d.news_id=k.news_id"))
        db.execute("""CREATE TEMP TABLE moved AS SELECT d.site, d.news_id,
            (SELECT month FROM lines l WHERE l.site=d.site AND l.news_id=d.news_id
             ORDER BY l.crawled_at DESC, l.run DESC, l.offset DESC LIMIT 1) AS month FROM dirty d""")
        db.execute("DELETE FROM keys WHERE (site, news_id) IN (SELECT site, news_id FROM dirty)")
        db.execute("INSERT INTO keys SELECT site, news_id, month FROM moved WHERE month IS NOT NULL")
        partitions |= set(db.execute("SELECT DISTINCT site, month FROM moved WHERE month IS NOT NULL"))
        return partitions

    # -- writing partitions ----------------------------------------------------------------------

    def _write_partition(self, db, reader: LineReader, folder: Path, site: str, month: str) -> dict[str, dict | None]:
        writers = {table: PartitionWriter(folder / partition_path(table, site, month)) for table in TABLES}
        rows = db.execute(
            "SELECT k.news_id, l.file_id, l.offset, l.length, l.hash, s.story, s.first FROM keys k JOIN lines l "
            "ON l.site=k.site AND l.news_id=k.news_id LEFT JOIN story_articles s ON s.site=k.site "
            "AND s.news_id=k.news_id WHERE k.site=? AND k.month=? "
            "ORDER BY k.news_id, l.crawled_at, l.run, l.offset", (site, month))
        current: int | None = None
        group: list[tuple] = []  # the rows of one article
        for row in rows:
            if row[0] != current and group:
                self._emit(reader, writers, group)
                group = []
            current = row[0]
            group.append(row)
        if group:
            self._emit(reader, writers, group)
        return {table: writer.close() for table, writer in writers.items()}

    @staticmethod
    def _emit(reader: LineReader, writers: dict[str, PartitionWriter], group: list[tuple]) -> None:
        """One article: its latest line, and each earlier content once (oldest first). Every row has
        the article's story_id; story_first is true only on the latest row of the story's earliest article."""
        *earlier, latest = group
        story = latest[5]
        seen = {latest[4]}
        for row in earlier:
            if row[4] not in seen:
                seen.add(row[4])
                writers["versions"].add(reader.read(*row[1:4]), (story, False if story is not None else None))
        writers["latest"].add(reader.read(*latest[1:4]), (story, bool(latest[6]) if story is not None else None))

    # -- the whole build -------------------------------------------------------------------------

    def build(self) -> BuildResult:
        if not self.runs_dir.is_dir():
            raise BuildError(f"no run folder {self.runs_dir}")
        generations = Generations(self.out)
        self.stage: Path | None = None
        try:
            generations.prepare()
            result = BuildResult(full=self._reset_if_incompatible())
            index = Index(self.index_path)
            try:
                self._build(index.db, generations, result)
            finally:
                index.close()
        except (OSError, sqlite3.Error, pa.ArrowException) as exc:  # a full disk, in the index or a partition
            generations.abandon(self.stage)
            detail = " ".join(str(exc).splitlines())  # one line, whatever the library's message
            raise DatasetWriteError(f"the dataset in {self.out} could not be built: {detail}; the previous "
                                    "dataset is unchanged") from exc
        return result

    def _build(self, db: sqlite3.Connection, generations: Generations, result: BuildResult) -> None:
        db.execute("BEGIN")
        self._ingest(db, result)
        db.executemany("INSERT OR IGNORE INTO pending VALUES (?, ?)", self._dirty_partitions(db))
        # Stories after the articles: an article whose story changed (a new earlier article joined it,
        # or its story split or merged) rewrites its partition too.
        if self.group_stories:
            db.executemany("INSERT OR IGNORE INTO pending VALUES (?, ?)", stories.update(db))
        db.execute("COMMIT")
        partitions = set(db.execute("SELECT site, month FROM pending"))
        current = generations.current()
        previous = {"files": {}} if result.full else self._load_manifest(current)
        manifest = json.loads(json.dumps(previous))
        rewritten = {partition_path(table, site, month) for site, month in partitions for table in TABLES}
        self.stage = stage = generations.stage(keep=[r for r in manifest["files"] if r not in rewritten])
        written: list[Path] = []
        paths = dict(db.execute("SELECT id, path FROM files"))
        reader = LineReader(paths)
        try:
            for site, month in sorted(partitions):
                for table, stats in self._write_partition(db, reader, stage, site, month).items():
                    relative = partition_path(table, site, month)
                    if stats is None:
                        if manifest["files"].pop(relative, None) is not None:
                            result.partitions_removed.append(relative)
                        continue
                    path = stage / relative
                    manifest["files"][relative] = {"table": table, "site": site, "month": month,
                                                   "rows": stats["rows"], "bytes": path.stat().st_size,
                                                   "sha256": sha256(path), "stats": stats}
                    written.append(path)
                    result.partitions_written.append(relative)
        finally:
            reader.close()
        runs_dir = self.runs_dir.resolve()  # once, not twice per file
        manifest["runs"] = {Path(p).relative_to(runs_dir).as_posix() if Path(p).is_relative_to(runs_dir) else p: n
                            for p, n in db.execute("SELECT path, lines FROM files ORDER BY path")}
        manifest["invalid_lines"] = db.execute("SELECT COALESCE(SUM(invalid), 0) FROM files").fetchone()[0]
        manifest["format"] = FORMAT
        manifest["sites"] = self.sites
        manifest["schema"] = _schema_fingerprint()
        manifest["files"] = dict(sorted(manifest["files"].items()))
        for table in TABLES:
            result.rows[table] = sum(f["rows"] for f in manifest["files"].values() if f["table"] == table)
        manifest["rows"] = result.rows
        result.topics = topic_report(manifest)
        manifest["stories"] = result.stories = stories.summary(db) if self.group_stories else None
        manifest["chart"] = chart_data(manifest)
        if current is not None and manifest == previous:  # nothing changed: nothing to publish
            generations.abandon(stage)
        else:
            redraw = manifest["chart"] != previous.get("chart") or current is None or not (current / CHART).exists()
            if not redraw:  # the same chart: linked, never drawn over (the old generation shares it)
                assert current is not None
                os.link(current / CHART, stage / CHART)
            self._write_manifest(stage, manifest)
            write_card(stage, manifest, chart=redraw)
            written += [stage / "manifest.json", stage / "README.md"] + ([stage / CHART] if redraw else [])
            generations.publish(stage, written)
        self.stage = None
        db.execute("DELETE FROM pending")

    @staticmethod
    def _load_manifest(generation: Path | None) -> dict:
        path = generation / "manifest.json" if generation is not None else None
        if path is not None and path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        return {"files": {}}

    @staticmethod
    def _write_manifest(folder: Path, manifest: dict) -> None:
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")


def build(out: Path, runs_dir: Path, sites: list[str] | None = None, group_stories: bool = True) -> BuildResult:
    return DatasetBuilder(out, runs_dir, sites, group_stories).build()

