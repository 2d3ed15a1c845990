"""`dataset gaps --site S`: the "every article" promise, measured. The ids between a site's lowest
and highest written id that no run has written and no run found missing (a 404 or the CMS's
not-found page, from the run reports), as id ranges `scrapy crawl S -a mode=ids -a ids=` takes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from newscrawl import stats as stat
from newscrawl.dataset.runs import key_fields, run_files
from newscrawl.output.lines import line_chunks


@dataclass
class Gaps:
    lowest: int | None = None
    highest: int | None = None
    written: int = 0
    missing: int = 0
    ranges: list[tuple[int, int]] = field(default_factory=list)

    @property
    def gaps(self) -> list[int]:
        return [i for first, last in self.ranges for i in range(first, last + 1)]

    @property
    def count(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)


def written_ids(runs_dir: Path, site: str) -> set[int]:
    ids: set[int] = set()
    for path in run_files(runs_dir):
        for chunk in line_chunks(path):
            ids.update(keys[1] for keys in key_fields([line for _, line in chunk]) if keys and keys[0] == site)
    return ids


def missing_ids(runs_dir: Path, site: str) -> set[int]:
    ids: set[int] = set()
    for report in Path(runs_dir).rglob("*.report.json"):
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("spider") == site:
            ids.update(stat.ids_in(data.get("missing_ids")))  # ranges, or ids in reports before them
    return ids


def holes(known: list[int]) -> list[tuple[int, int]]:
    """The ranges between consecutive known ids (sorted, distinct)."""
    return [(a + 1, b - 1) for a, b in pairwise(known) if b - a > 1]


def gaps(runs_dir: Path, site: str) -> Gaps:
    written = written_ids(runs_dir, site)
    if not written:
        return Gaps()
    lowest, highest = min(written), max(written)
    missing = {i for i in missing_ids(runs_dir, site) if lowest <= i <= highest} - written
    return Gaps(lowest, highest, len(written), len(missing), holes(sorted(written | missing)))


def ids_argument(ranges: list[tuple[int, int]]) -> str:
    """The spider's `-a ids=` value for the ranges (newscrawl.run.args.parse_ids reads it back):
    [(5, 5), (7, 9)] -> "5,7-9"."""
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)
