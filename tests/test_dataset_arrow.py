"""Arrow arrays made and read by their buffers (newscrawl.dataset.arrow), and what that buys: a
`dataset build` imports neither pandas nor Scrapy, fixed costs (0.2-0.3 s of CPU each) that a small
incremental rebuild would otherwise pay whatever its size (issue 22)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pytest

from newscrawl.dataset import arrow
from tests.test_stories import as_line, labelled, write_runs


def test_strings_and_booleans_are_the_arrays_pa_array_makes():
    values = ["asriran/1", None, "", "تابناک/۲", None]
    made = arrow.strings(values)
    assert made.equals(pa.array(values, pa.string())) and made.to_pylist() == values and made.null_count == 2
    assert arrow.strings(["a", "b"]).buffers()[0] is None  # no null: no validity bitmap
    flags = [True, None, False, True, None, False, False, True, True]
    assert arrow.booleans(flags).equals(pa.array(flags, pa.bool_()))
    assert arrow.booleans(flags).to_pylist() == flags
    assert arrow.strings([]).to_pylist() == [] and arrow.booleans([]).to_pylist() == []


def test_numbers_to_and_from_numpy_with_slices_and_nulls():
    made = arrow.from_numpy(np.array([5, 7, 9, 11], dtype=np.int64), pa.int64())
    assert made.to_pylist() == [5, 7, 9, 11] and made.null_count == 0
    assert arrow.to_numpy(made.slice(1, 2), np.int64).tolist() == [7, 9]
    with_nulls = pa.array([1, None, 3, None, 5], pa.int32()).slice(1)
    assert arrow.valid(with_nulls).tolist() == [False, True, False, True]
    assert arrow.to_numpy(with_nulls, np.int32)[arrow.valid(with_nulls)].tolist() == [3, 5]
    with pytest.raises(TypeError):
        arrow.to_numpy(made, np.int32)
    with pytest.raises(TypeError):
        arrow.from_numpy(np.array([1], dtype=np.int32), pa.int64())


@pytest.mark.parametrize("grouping", [[], ["--no-stories"]])
def test_a_build_imports_neither_pandas_nor_scrapy(tmp_path, grouping):
    """A full build, then an incremental one after one more run, each in a process of its own."""
    runs, out = tmp_path / "output", tmp_path / "ds"
    articles = [as_line(a) for a in labelled()]
    write_runs(runs, "20260101T000000Z-archive-aaaaaa", articles[:-3])
    code = ("import sys, runpy; sys.argv = ['newscrawl', 'dataset', 'build', '--out', sys.argv[1], '--runs', "
            "sys.argv[2], *sys.argv[3:]]\ntry:\n    runpy.run_module('newscrawl', run_name='__main__')\n"
            "finally:\n    print(sorted(m for m in ('pandas', 'scrapy', 'twisted') if m in sys.modules))")
    for step in ("full", "incremental"):
        if step == "incremental":
            write_runs(runs, "20260102T000000Z-archive-bbbbbb", articles[-3:], day="2026-01-02")
        done = subprocess.run([sys.executable, "-c", code, str(out), str(runs), *grouping], capture_output=True,
                              text=True)
        summary, imported = done.stdout.strip().rsplit("\n", 1)
        assert done.returncode == 0, done.stderr
        assert json.loads(summary)["full"] is (step == "full")
        assert json.loads(summary)["lines_read"] == (len(articles) - 3 if step == "full" else 3)
        assert imported == "[]", step
