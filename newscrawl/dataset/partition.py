"""Writing one partition: its rows a batch at a time from the run files' lines (Arrow's JSON reader,
typed by the dataset schema) into Parquet (zstd), and the statistics the card reports of it."""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from newscrawl.dataset.arrow import booleans, buffer, strings, valid
from newscrawl.dataset.schema import arrow_schema, dataset_schema
from newscrawl.text.jalali import TEHRAN

BATCH_ROWS = 2000
_PARSE = pa_json.ParseOptions(explicit_schema=arrow_schema(), unexpected_field_behavior="ignore")


def _non_empty(chunk: pa.Array) -> int:
    """Values that are neither null nor empty (a string or list of length 0), read from the offsets
    buffer. Not pyarrow.compute: its first call imports pandas when installed (a quarter second)."""
    offsets = np.frombuffer(buffer(chunk, 1), dtype=np.int32, count=chunk.offset + len(chunk) + 1)
    lengths = np.diff(offsets[chunk.offset:])
    return int(((lengths > 0) & valid(chunk)).sum())


def _instants(table: pa.Table, name: str) -> tuple[np.ndarray, int]:
    """A timestamp column's valid values (its unit since the epoch, UTC) and how many make a second."""
    chunks = [np.frombuffer(buffer(c, 1), dtype=np.int64, count=c.offset + len(c))[c.offset:][valid(c)]
              for c in table.column(name).chunks]
    unit = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[table.schema.field(name).type.unit]
    return (np.concatenate(chunks) if chunks else np.array([], dtype=np.int64)), unit


def tehran_days(instants: np.ndarray, unit: int) -> dict[str, int]:
    """Articles per Tehran calendar day. Tehran's offset (+03:30, +04:30 until 2022) changes at local
    midnight, on a half hour of UTC: every instant of one UTC half hour has the same local day."""
    if not len(instants):
        return {}
    half_hours, counts = np.unique(instants // (1800 * unit), return_counts=True)
    days: Counter = Counter()
    for half_hour, count in zip(half_hours.tolist(), counts.tolist(), strict=True):
        days[datetime.fromtimestamp(half_hour * 1800, TEHRAN).date().isoformat()] += count
    return dict(sorted(days.items()))


def _no_topic_words(table: pa.Table) -> dict[str, int]:
    """The (service, category) of the rows with no topic, as JSON pairs: `dataset build` lists the
    words the mapping does not know, the card counts the rows."""
    if "topic" not in table.column_names or not table.column("topic").null_count:
        return {}
    pairs = zip(table.column("topic").to_pylist(), table.column("service").to_pylist(),
                table.column("category").to_pylist(), strict=True)
    return dict(Counter(json.dumps([service, category], ensure_ascii=False)
                        for topic, service, category in pairs if topic is None))


def partition_stats(table: pa.Table) -> dict:
    """What the card reports of a partition: rows, date range (and articles per Tehran day), crawl
    period, non-empty count of every field, the parser releases that read its rows, the topics and
    the words of the rows with none."""
    filled = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_list(column.type) or pa.types.is_string(column.type):
            filled[name] = sum(_non_empty(chunk) for chunk in column.chunks)
        else:
            filled[name] = len(column) - column.null_count
    instants, unit = _instants(table, "published_at")
    crawled, crawled_unit = _instants(table, "crawled_at")

    def iso(value, unit: int = unit) -> str:
        return datetime.fromtimestamp(int(value) / unit, UTC).isoformat()

    releases = Counter("unknown" if v is None else v for v in table.column("parser_version").to_pylist())
    topics = Counter("none" if v is None else v for v in table.column("topic").to_pylist()) \
        if "topic" in table.column_names else Counter()
    return {
        "rows": table.num_rows,
        "first_published": iso(instants.min()) if len(instants) else None,
        "last_published": iso(instants.max()) if len(instants) else None,
        "first_crawled": iso(crawled.min(), crawled_unit) if len(crawled) else None,
        "last_crawled": iso(crawled.max(), crawled_unit) if len(crawled) else None,
        "filled": filled,
        "parser_versions": dict(sorted(releases.items())),
        "days": tehran_days(instants, unit),
        "topics": dict(sorted(topics.items())),
        "no_topic_words": _no_topic_words(table),
    }


def _merge_stats(total: dict | None, part: dict) -> dict:
    if total is None:
        return json.loads(json.dumps(part))
    total["rows"] += part["rows"]
    for bound, pick in (("first_published", min), ("last_published", max), ("first_crawled", min),
                        ("last_crawled", max)):
        values = [v for v in (total[bound], part[bound]) if v]
        total[bound] = pick(values) if values else None
    for group in ("filled", "parser_versions", "days", "topics", "no_topic_words"):
        for name, count in part[group].items():
            total[group][name] = total[group].get(name, 0) + count
        total[group] = dict(sorted(total[group].items()))
    return total


class PartitionWriter:
    """One Parquet file written a batch at a time to `<path>.tmp`, renamed when complete."""

    def __init__(self, path: Path):
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[bytes] = []
        self.stories: list[tuple[str | None, bool | None]] = []  # story_id, story_first of each pending line
        self.stats: dict | None = None

    def add(self, line: bytes, story: tuple[str | None, bool | None] = (None, None)) -> None:
        self.pending.append(line)
        self.stories.append(story)
        if len(self.pending) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        schema = arrow_schema()
        table = pa_json.read_json(BytesIO(b"\n".join(self.pending)), parse_options=_PARSE)
        table = table.select(schema.names).cast(schema)
        story_ids, firsts = zip(*self.stories, strict=True)
        # not pa.array: it imports pandas (newscrawl.dataset.arrow)
        table = table.append_column(dataset_schema().field("story_id"), strings(story_ids))
        table = table.append_column(dataset_schema().field("story_first"), booleans(firsts))
        schema = dataset_schema()
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.tmp, schema, compression="zstd", compression_level=3)
        self.writer.write_table(table)
        self.stats = _merge_stats(self.stats, partition_stats(table))
        self.pending = []
        self.stories = []

    def close(self) -> dict | None:
        """The statistics of the file written, or None when it has no row (and no file)."""
        self.flush()
        if self.writer is None:
            self.path.unlink(missing_ok=True)
            return None
        self.writer.close()
        os.replace(self.tmp, self.path)
        return self.stats


class LineReader:
    """Lines of run files by (file id, offset, length); a few files open at a time."""

    def __init__(self, paths: dict[int, str], keep_open: int = 16):
        self.paths = paths
        self.keep_open = keep_open
        self.open: dict[int, IO[bytes]] = {}

    def read(self, file_id: int, offset: int, length: int) -> bytes:
        handle = self.open.pop(file_id, None) or Path(self.paths[file_id]).open("rb")
        self.open[file_id] = handle  # most recently used last
        if len(self.open) > self.keep_open:
            oldest = next(iter(self.open))
            self.open.pop(oldest).close()
        handle.seek(offset)
        return handle.read(length)

    def close(self) -> None:
        for handle in self.open.values():
            handle.close()
        self.open.clear()
