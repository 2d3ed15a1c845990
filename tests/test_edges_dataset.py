"""A dataset is published whole or not at all (issue 21, case 7): a `dataset build` that is killed,
or that fills the disk, leaves the previous dataset readable and complete where the README says to
load it (`dataset/latest`), with no temp file there, and a full disk is the write-failure exit code
with one line.

The runs are real crawls of the fixture mirror: the first writes the older half of the articles and
is built; a second run writes the newer half, and its build is the one that dies."""

import json
import os

import pyarrow.parquet as pq
import pytest

from newscrawl import exit_codes
from newscrawl.mirror.server import running_mirror
from tests.conftest import ROOT, article_pages, run, scheduled_command
from tests.edge_helpers import mounted_small_disk, resize

FIXTURE_SITE = ROOT / "fixtures" / "asriran"
GOOD = sorted(int(page.stem) for page in article_pages("asriran"))  # a fixture page is named by its id
OLDER, NEWER = GOOD[: len(GOOD) // 2], GOOD[len(GOOD) // 2:]  # different months: different partitions

# `python -m newscrawl ...` that SIGKILLs itself when the dataset build is about to close its Nth
# Parquet file: the build dies with that file half-written and the ones before it in place.
KILLED_AT_NTH_PARQUET = """
import os, signal, sys
import pyarrow.parquet as pq
from newscrawl.__main__ import main

closed, real_close = [], pq.ParquetWriter.close

def close(self):
    closed.append(self)
    if len(closed) == {n}:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_close(self)

pq.ParquetWriter.close = close
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def small_disk(tmp_path):
    yield from mounted_small_disk(tmp_path)


@pytest.fixture(scope="module")
def mirror():
    with running_mirror(FIXTURE_SITE) as server:
        yield server


def crawl(workdir, mirror, *args):
    done = run(*scheduled_command(workdir, *args, f"base_url={mirror.base_url}", settings=("WARC_ENABLED=False",)),
               cwd=workdir)
    assert done.returncode == exit_codes.OK, done.stderr[-3000:]


def crawl_older(workdir, mirror):
    crawl(workdir, mirror, "mode=ids", "ids=" + ",".join(map(str, OLDER)))


def crawl_newer(workdir, mirror):
    """The archive: every article listed, the older half known, so the newer half is written."""
    crawl(workdir, mirror, "mode=archive")


def build(workdir, out, *python):
    return run(*(python or ("-m", "newscrawl")), "dataset", "build", "--out", str(out),
               "--runs", str(workdir / "output"), cwd=workdir)


def latest_ids(out):
    """What a reader gets, as the README says to read it: `pandas.read_parquet("dataset/latest")`
    (pyarrow's reader of the folder)."""
    return sorted(pq.read_table(out / "latest").column("news_id").to_pylist())


def leftovers(out):
    """Files in the dataset's table folders that are not finished Parquet files: what a loader of the
    folder trips over (folders and files named with a leading `.` or `_` are skipped by loaders)."""
    return [p for p in out.rglob("*") if p.is_file() and p.parent != out and not p.name.endswith(".parquet")
            and not any(part.startswith((".", "_")) for part in p.relative_to(out).parts)]


def test_a_build_killed_half_way_leaves_the_previous_dataset_whole_and_readable(mirror, tmp_path):
    out = tmp_path / "dataset"
    crawl_older(tmp_path, mirror)
    first = build(tmp_path, out)
    assert first.returncode == exit_codes.OK, first.stderr
    assert latest_ids(out) == OLDER
    crawl_newer(tmp_path, mirror)  # the newer half, in partitions of their own
    killed = build(tmp_path, out, "-c", KILLED_AT_NTH_PARQUET.format(n=3))
    assert killed.returncode == -9, killed.stderr  # the kill landed in the middle of the build
    assert leftovers(out) == []  # no temp file where loaders look
    assert latest_ids(out) == OLDER  # the previous dataset, whole: not a mix of old and new
    finished = build(tmp_path, out)  # and the next build publishes the new one
    assert finished.returncode == exit_codes.OK, finished.stderr
    assert latest_ids(out) == GOOD


@pytest.mark.parametrize("room_kb", [0, 128], ids=["the-index-fails", "a-partition-fails"])
def test_a_build_on_a_full_disk_exits_6_in_one_line_and_leaves_the_previous_dataset(mirror, small_disk, tmp_path,
                                                                                    room_kb):
    """The disk fills up (other writers) before the second build: with no room at all the build's
    index fails first (today a sqlite3 traceback, exit 1); with 128 KB left a partition does (today
    exit 6 in one line, but a `.parquet.tmp` is left in `latest/`, where readers trip over it, beside
    the partitions already replaced)."""
    resize(small_disk, "8m")
    out = small_disk / "dataset"
    crawl_older(tmp_path, mirror)
    first = build(tmp_path, out)
    assert first.returncode == exit_codes.OK, first.stderr
    crawl_newer(tmp_path, mirror)
    filler = small_disk / "filler"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - room_kb * 1024))
    full = build(tmp_path, out)
    assert full.returncode == exit_codes.WRITE_FAILED, full.stderr[-3000:]
    assert "Traceback" not in full.stderr and len(full.stderr.strip().splitlines()) == 1, full.stderr[-3000:]
    assert leftovers(out) == []  # no temp file where loaders look
    assert latest_ids(out) == OLDER  # the previous dataset, whole
    assert str(out) in full.stderr  # the line says which dataset (so which disk) could not be written
    filler.unlink()
    again = build(tmp_path, out)  # with space again, the build completes
    assert again.returncode == exit_codes.OK, again.stderr
    assert latest_ids(out) == GOOD
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["rows"]["latest"] == len(GOOD)
