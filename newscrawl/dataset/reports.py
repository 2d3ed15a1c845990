"""The run reports under OUTPUT_DIR (newscrawl.extensions.run_report writes one per run beside its
files, `<OUTPUT_DIR>/<site>/<UTC day of its start>/<run id>.report.json` by default). Found by name,
newest first, and parsed only when wanted: with a hundred sites crawled every ten minutes there are
14,400 a day, and the board and the `runs` listing read only the ones they show. A day folder older
than the time asked for is not even listed."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPORT_SUFFIX = ".report.json"
_RUN_ID_START = re.compile(r"(\d{8}T\d{6}Z)-")  # newscrawl.output.paths.run_name
_DAY_FOLDER = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ReportFile:
    path: Path
    started: datetime  # the start in the run id of its name (a report named otherwise: the file's time)
    folder: str        # its first folder under OUTPUT_DIR: the site's, in the default layout


def _started(path: Path) -> datetime:
    found = _RUN_ID_START.match(path.name)
    if found:  # sliced, not strptime: a week of a hundred sites is 100,000 names
        t = found.group(1)
        return datetime(int(t[:4]), int(t[4:6]), int(t[6:8]), int(t[9:11]), int(t[11:13]), int(t[13:15]), tzinfo=UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def report_files(output_dir: str | Path, since: datetime | None = None,
                 folders: list[str] | None = None) -> list[ReportFile]:
    """Every run report under `output_dir` (not in hidden folders), newest first; with `since`, only
    the runs that started at or after it; with `folders`, only those under these first folders."""
    root = Path(output_dir)
    oldest_day = f"{since:%Y-%m-%d}" if since else ""
    found = []
    for top in [root / name for name in folders] if folders is not None else [root]:
        for folder, subfolders, names in os.walk(top):
            subfolders[:] = [d for d in subfolders if not d.startswith(".")
                             and not (_DAY_FOLDER.fullmatch(d) and d < oldest_day)]
            reports = [name for name in names if name.endswith(REPORT_SUFFIX)]
            if not reports:
                continue
            first = Path(folder).relative_to(root).parts
            for name in reports:
                path = Path(folder, name)
                try:
                    started = _started(path)
                except OSError:
                    continue  # gone meanwhile
                if since is None or started >= since:
                    found.append(ReportFile(path, started, first[0] if first else ""))
    return sorted(found, key=lambda r: (r.started, r.path.name), reverse=True)


def read_report(path: Path) -> dict | None:
    """A run report, or None when the file is not one (unreadable, torn, another JSON)."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(report, dict) or not isinstance(report.get("spider"), str) or "exit_code" not in report:
        return None
    return report
