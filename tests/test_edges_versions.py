"""Issue 21, case 8 (a clock that goes back): the dataset's `latest` is the version written last,
whatever the wall clock said.

A machine whose clock ran six hours ahead crawls an article; NTP sets the clock back; the site edits
the article; a refresh run writes the new version, with a `crawled_at` (and a run id) earlier than
the first. `dataset build` must still keep the new version in `latest` (and the first in
`versions`): versions are ordered by something that does not go backwards with the wall clock.

The clock is moved for one `scrapy crawl` process only, by a `sitecustomize` on its PYTHONPATH that
shifts `datetime.now()` and `time.time()` (what crawled_at, run ids and the state store's stamps
read).
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import time
from datetime import UTC, datetime

import pyarrow.parquet as pq

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import ROOT, run, scheduled_command
from tests.run_edge_helpers import reports

AHEAD_SECONDS = 6 * 3600
EDITED, BEFORE, AFTER = 917512, "هوای تهران امروز یکشنبه", "هوای تهران امروز، یکشنبه"

SITECUSTOMIZE = textwrap.dedent('''
    """A clock off by NEWSCRAWL_TEST_CLOCK_SHIFT seconds, for this process: datetime.now() and
    time.time() are shifted (time.monotonic() is not: timers still run as they should)."""
    import datetime as _datetime
    import os as _os
    import time as _time

    _SECONDS = float(_os.environ.get("NEWSCRAWL_TEST_CLOCK_SHIFT", "0"))
    _SHIFT = _datetime.timedelta(seconds=_SECONDS)
    _wall, _wall_ns = _time.time, _time.time_ns
    _time.time = lambda: _wall() + _SECONDS
    _time.time_ns = lambda: _wall_ns() + int(_SECONDS * 1e9)


    class _ShiftedDatetime(_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return super().now(tz) + _SHIFT

        @classmethod
        def utcnow(cls):
            return super().utcnow() + _SHIFT


    _datetime.datetime = _ShiftedDatetime
''')


def run_with_clock(shift_dir, shift_seconds: float, *args: str, cwd):
    """conftest.run with the process's clock shifted."""
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=f"{shift_dir}{os.pathsep}{ROOT}", SCRAPY_SETTINGS_MODULE="newscrawl.settings",
               NEWSCRAWL_TEST_CLOCK_SHIFT=str(shift_seconds))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_a_refresh_written_after_the_clock_went_back_is_the_latest_version(tmp_path):
    shift_dir = tmp_path / "clock"
    shift_dir.mkdir()
    (shift_dir / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    site = tmp_path / "site"
    shutil.copytree(FIXTURES_DIR / "asriran", site, symlinks=True)
    page = site / "news" / f"{EDITED}.html"
    started = time.time()
    with running_mirror(site) as mirror:
        ahead = run_with_clock(shift_dir, AHEAD_SECONDS, *scheduled_command(tmp_path, f"base_url={mirror.base_url}"),
                               cwd=tmp_path)
        assert ahead.returncode == 0, ahead.stderr[-3000:]
        page.write_text(page.read_text(encoding="utf-8").replace(BEFORE, AFTER), encoding="utf-8")
        refreshed = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}", "refresh=1"), cwd=tmp_path)
        assert refreshed.returncode == 0, refreshed.stderr[-3000:]
    # the setting: the first run's clock was ahead (its files sort after the refresh's), the refresh
    # wrote the edited article once
    runs = reports(tmp_path / "output")
    [second] = [r for r in runs if r["mode"] == "rss" and r["items_written"] == 1]
    [first] = [r for r in runs if r is not second]
    first_started = datetime.strptime(first["run_id"][:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
    assert first_started > started + AHEAD_SECONDS - 600, first["run_id"]

    built = run("-m", "newscrawl", "dataset", "build", "--out", str(tmp_path / "ds"), "--runs",
                str(tmp_path / "output"))
    assert built.returncode == 0, built.stderr
    latest = pq.read_table(tmp_path / "ds" / "latest").to_pylist()
    [article] = [row for row in latest if row["news_id"] == EDITED]
    versions = [row for row in pq.read_table(tmp_path / "ds" / "versions").to_pylist() if row["news_id"] == EDITED]
    assert AFTER in article["body"] and [BEFORE in row["body"] for row in versions] == [True], (
        "dataset latest keeps the version written before the clock went back: "
        + json.dumps({"latest crawled_at": str(article["crawled_at"]),
                      "versions crawled_at": [str(row["crawled_at"]) for row in versions]}))
