"""`dataset verify DIR`: is the built dataset what its manifest says, in the schema it should have, one
row per article, and does it agree with the run files and the state store?

The state store is read only, and only its `articles` table (what every run wrote). Keys are held as
one set of ints per site, the least that can be compared.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from newscrawl.dataset.build import FORMAT, TABLES, sha256
from newscrawl.dataset.runs import key_fields, publication_month, run_files
from newscrawl.dataset.schema import dataset_schema
from newscrawl.output.lines import line_chunks

SHOWN_IDS = 5


def _some(ids) -> str:
    ids = sorted(ids)
    return ", ".join(map(str, ids[:SHOWN_IDS])) + (" ..." if len(ids) > SHOWN_IDS else "")


def _schema_difference(actual, expected) -> str:
    for name in dict.fromkeys([*expected.names, *actual.names]):
        if name not in actual.names:
            return f"no column {name}"
        if name not in expected.names:
            return f"column {name} is not in the JSON Schema"
        if not actual.field(name).type.equals(expected.field(name).type):
            return f"{name} is {actual.field(name).type}, expected {expected.field(name).type}"
    return "columns in another order"


def _entries(root: Path, manifest: dict, problems: list[str]) -> dict[str, dict]:
    """The manifest's files, and the partition files it does not list: those are read too (whoever
    loads the folder gets their rows)."""
    entries = dict(manifest["files"])
    for table in TABLES:
        for path in sorted((root / table).rglob("*.parquet")):
            relative = path.relative_to(root).as_posix()
            if relative not in entries:
                problems.append(f"{relative}: not in the manifest")
                entries[relative] = {"table": table, "site": path.parent.name, "month": path.stem, "unlisted": True}
    return entries


def _read_partition(root: Path, relative: str, entry: dict, schema, problems: list[str]):
    """The file as the manifest lists it (present, its checksum and row count) and in the schema:
    its site, news_id and published_at columns; None when it cannot be read in the schema."""
    path = root / relative
    if not path.exists():
        problems.append(f"{relative}: listed in the manifest but missing")
        return None
    listed = not entry.get("unlisted")
    if listed and sha256(path) != entry["sha256"]:
        problems.append(f"{relative}: checksum differs from the manifest")
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        problems.append(f"{relative}: not a readable Parquet file ({exc})")
        return None
    if listed and parquet.metadata.num_rows != entry["rows"]:
        problems.append(f"{relative}: {parquet.metadata.num_rows} rows, the manifest says {entry['rows']}")
    if not parquet.schema_arrow.equals(schema):
        problems.append(
            f"{relative}: schema differs from the JSON Schema's: {_schema_difference(parquet.schema_arrow, schema)}"
        )
        return None
    return parquet.read(columns=["site", "news_id", "published_at", "story_id", "story_first"])


def _check_partition_rows(relative: str, entry: dict, data, problems: list[str]) -> None:
    """Every row of the partition is of its site and, in the latest table, published in its month."""
    sites = set(data.column("site").unique().to_pylist())
    if sites != {entry["site"]}:
        problems.append(f"{relative}: rows of sites {sorted(map(str, sites))} in the partition of {entry['site']}")
    local = pc.strftime(data.column("published_at"), format="%Y-%m").to_pylist()
    strays = sum(publication_month(m) != entry["month"] for m in local)
    if strays and entry["table"] == "latest":
        problems.append(f"{relative}: {strays} rows published outside {entry['month']}")


def _check_latest_unique(relative: str, news_ids: list[int], earlier: set[int], problems: list[str]) -> None:
    """One row per article in the latest table: within the file and across the site's files."""
    repeated = {i for i, n in Counter(news_ids).items() if n > 1} | (earlier & set(news_ids))
    if repeated:
        problems.append(f"{relative}: news_id twice in the latest table: {_some(repeated)}")


def _orphan_versions(keys: dict[str, dict[str, set[int]]], problems: list[str]) -> None:
    """Every earlier version is of an article the latest table holds."""
    for site, ids in keys["versions"].items():
        orphans = ids - keys["latest"].get(site, set())
        if orphans:
            problems.append(
                f"versions of {site}: earlier versions of articles not in the latest table: {_some(orphans)}"
            )


def _check_stories(firsts: Counter, problems: list[str]) -> None:
    """With the grouping on, every story of the latest table has exactly one `story_first` row."""
    wrong = {story: n for story, n in firsts.items() if n != 1}
    if wrong:
        shown = ", ".join(f"{story} ({n})" for story, n in sorted(wrong.items(), key=str)[:SHOWN_IDS])
        problems.append(f"latest: {len(wrong)} stories without exactly one story_first row: {shown}")


def _check_files(root: Path, manifest: dict, problems: list[str]) -> dict[str, dict[str, set[int]]]:
    """Checksums, row counts, schema, partition contents; returns table -> site -> ids."""
    schema = dataset_schema()
    keys: dict[str, dict[str, set[int]]] = {table: {} for table in TABLES}
    firsts: Counter = Counter()  # story_id -> rows with story_first, in the latest table
    for relative, entry in _entries(root, manifest, problems).items():
        data = _read_partition(root, relative, entry, schema, problems)
        if data is None:
            continue
        if entry["table"] == "latest" and manifest.get("stories"):
            for story, first in zip(data.column("story_id").to_pylist(), data.column("story_first").to_pylist(),
                                    strict=True):
                firsts[story] += bool(first)
        _check_partition_rows(relative, entry, data, problems)
        ids = keys[entry["table"]].setdefault(entry["site"], set())
        news_ids = [i for i in data.column("news_id").to_pylist() if i is not None]
        if len(news_ids) < data.num_rows:
            problems.append(f"{relative}: {data.num_rows - len(news_ids)} rows without a news_id")
        if entry["table"] == "latest":
            _check_latest_unique(relative, news_ids, ids, problems)
        ids.update(news_ids)
    _orphan_versions(keys, problems)
    _check_stories(firsts, problems)
    return keys


def _compare_keys(latest: dict[str, set[int]], other: dict[str, set[int]], where: str, problems: list[str]) -> None:
    for site in sorted(set(other) | set(latest)):
        have, want = latest.get(site, set()), other.get(site, set())
        if have != want:
            problems.append(f"{site}: {len(have)} articles in the dataset, {len(want)} in {where} "
                            f"(not in the dataset: {_some(want - have) or 'none'}; not in {where}: "
                            f"{_some(have - want) or 'none'})")


def _check_runs(runs_dir: Path, root: Path, manifest: dict, latest: dict[str, set[int]], problems: list[str]) -> None:
    sites = manifest.get("sites")
    recorded = manifest.get("runs", {})
    written: dict[str, set[int]] = {}
    seen = set()
    for path in run_files(runs_dir, exclude=root):
        name = path.resolve().relative_to(runs_dir.resolve()).as_posix() if path.resolve().is_relative_to(
            runs_dir.resolve()) else str(path.resolve())
        seen.add(name)
        lines = 0
        for chunk in line_chunks(path):
            lines += len(chunk)
            for keys in key_fields([line for _, line in chunk]):
                if keys and (not sites or keys[0] in sites):
                    written.setdefault(keys[0], set()).add(keys[1])
        if name not in recorded:
            problems.append(f"run file {name} is not in the dataset (build again)")
        elif recorded[name] != lines:
            problems.append(f"run file {name} has {lines} lines, the build read {recorded[name]} (build again)")
    for name in sorted(set(recorded) - seen):
        problems.append(f"run file {name} was built from but is gone")
    _compare_keys(latest, written, "the run files", problems)


def _check_state(
    state: Path, manifest: dict, latest: dict[str, set[int]], problems: list[str], notes: list[str]
) -> None:
    if not state.exists():
        notes.append(f"no state store at {state}: not compared")
        return
    try:
        db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT site, news_id FROM articles").fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        if "no such table: articles" in str(exc):  # only the drift history: a distributed crawl's STATE_DIR
            notes.append(f"no article state in {state}: not compared")
            return
        problems.append(f"state store {state}: cannot read its articles table: {exc}")
        return
    recorded: dict[str, set[int]] = {}
    for site, news_id in rows:
        recorded.setdefault(site, set()).add(news_id)
    _check_state_keys(recorded, "the state store", manifest, latest, problems)


def _check_state_keys(recorded: dict[str, set[int]], where: str, manifest: dict, latest: dict[str, set[int]],
                      problems: list[str]) -> None:
    """Compare the latest table with a state store's articles (site -> ids), of the dataset's sites."""
    sites = manifest.get("sites")
    _compare_keys(latest, {site: ids for site, ids in recorded.items() if not sites or site in sites}, where, problems)


def distributed_crawls(runs_dir: Path) -> dict[str, str]:
    """The distributed crawls whose workers wrote run files under `runs_dir` (their run reports name
    them): crawl name -> the name of its state in Redis."""
    crawls = {}
    for report in sorted(Path(runs_dir).rglob("*.report.json")):
        try:
            crawl = json.loads(report.read_text(encoding="utf-8")).get("crawl")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(crawl, dict) and crawl.get("name"):
            crawls[crawl["name"]] = crawl.get("state_name") or crawl["name"]
    return crawls


def verify(root: Path, runs_dir: Path, state: Path, state_keys: dict[str, set[int]] | None = None,
           state_where: str = "the state store") -> tuple[list[str], list[str]]:
    """(problems, notes); no problem means the dataset checks out. `state_keys` (site -> ids): the
    articles of a state store read elsewhere (a distributed crawl's, in Redis), compared instead of
    the SQLite store at `state`."""
    problems: list[str] = []
    notes: list[str] = []
    path = Path(root) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path}: no readable manifest ({exc})"], notes
    if manifest.get("format") != FORMAT:
        return [f"{path}: format {manifest.get('format')!r}, expected {FORMAT!r}"], notes
    keys = _check_files(Path(root), manifest, problems)
    for table in TABLES:
        rows = sum(e["rows"] for e in manifest["files"].values() if e["table"] == table)
        if manifest.get("rows", {}).get(table) != rows:
            problems.append(
                f"manifest: {table} rows total {manifest.get('rows', {}).get(table)}, its files add up to {rows}"
            )
    if Path(runs_dir).is_dir():
        _check_runs(Path(runs_dir), Path(root), manifest, keys["latest"], problems)
    else:
        notes.append(f"no run folder {runs_dir}: not compared")
    if state_keys is not None:
        _check_state_keys(state_keys, state_where, manifest, keys["latest"], problems)
    else:
        _check_state(Path(state), manifest, keys["latest"], problems, notes)
    return problems, notes
