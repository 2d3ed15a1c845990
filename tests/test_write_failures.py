"""A write that fails loses nothing: an article is recorded only once its line is in the file; a
failed write stops the run with exit code 6 and says why; a rerun with the problem fixed writes
every article. A state store that is locked or corrupt stops the run with exit code 7."""

import errno
import json
import re
import sqlite3
import subprocess

import pytest

from newscrawl import exit_codes
from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.output.jsonl import _LineFlushingFile
from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from newscrawl.state import StateStore
from tests.conftest import ROOT, article_pages, run, scheduled_command
from tests.edge_helpers import mounted_small_disk

GOOD = sorted(load_expected(p)["news_id"] for p in article_pages("asriran"))
N = 120


def scheduled_run(output, state, base_url, *args, settings=(), warc=False):
    # The run's WARC archive is off unless asked for: these tests are about the articles file (a full
    # disk fills with the archive first); tests/test_warc.py covers the archive's own failures.
    settings = (*settings, f"WARC_ENABLED={warc}")
    return run(*scheduled_command(output.parent, f"base_url={base_url}", *args,
                                  settings=(f"OUTPUT_DIR={output}", f"STATE_DIR={state}", *settings)),
               cwd=state.parent)


def lines_in(folder):
    """news_ids of every line of every articles file (final or part) under folder; each line whole."""
    return [json.loads(line)["news_id"] for path in sorted(folder.rglob("*.jsonl*"))
            if ".quarantine." not in path.name and not path.name.endswith(".report.json")
            for line in path.read_text(encoding="utf-8").splitlines()]


def recorded(state):
    if not (state / "state.sqlite3").exists():
        return []
    db = sqlite3.connect(state / "state.sqlite3")
    try:
        return sorted(r[0] for r in db.execute("SELECT news_id FROM articles"))
    except sqlite3.OperationalError:  # being created
        return []
    finally:
        db.close()


def test_a_line_the_os_refuses_half_of_is_cut_off_the_file(tmp_path, monkeypatch):
    import os

    path = tmp_path / "items.jsonl.part"
    target = _LineFlushingFile(path.open("wb", buffering=0))
    target.write(b'{"news_id": 1}\n')
    real_write, calls = os.write, []

    def half_then_eio(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "write", half_then_eio)
    with pytest.raises(OSError, match="Input/output error"):
        target.write(b'{"news_id": 2, "body": "' + b"x" * 1000 + b'"}\n')
    monkeypatch.setattr(os, "write", real_write)
    target.write(b'{"news_id": 3}\n')
    target.raw.close()
    assert path.read_bytes() == b'{"news_id": 1}\n{"news_id": 3}\n'


def test_an_output_dir_under_a_regular_file_exits_6_records_nothing_and_a_fixed_rerun_writes_all(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file\n")
    state = tmp_path / "state"
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        failed = scheduled_run(blocker / "output", state, mirror.base_url)
        assert failed.returncode == exit_codes.WRITE_FAILED, failed.stderr[-3000:]
        # the first file written under OUTPUT_DIR fails: the articles file or the quarantine (both live
        # there), whichever page's item is processed first
        assert re.search(r"write_failed: the (output|quarantine) could not be written: \[Errno 20\] Not a "
                         r"directory", failed.stderr), failed.stderr[-3000:]
        # with the archive on, the archive's folder fails first: the same exit, nothing recorded
        with_warc = scheduled_run(blocker / "output", state, mirror.base_url, warc=True)
        assert with_warc.returncode == exit_codes.WRITE_FAILED, with_warc.stderr[-3000:]
        assert "RUN FAILED (exit 6): the output could not be written: WARC archive: [Errno 20] Not a directory" \
            in with_warc.stderr
        # the report's folder cannot be made either: the outcome is printed on stderr
        assert "the run report could not be written" in failed.stderr and "write_failed" in failed.stderr
        assert recorded(state) == []
        fixed = scheduled_run(tmp_path / "output", state, mirror.base_url)
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    assert sorted(lines_in(tmp_path / "output")) == GOOD


@pytest.fixture
def small_disk(tmp_path):
    """A real filesystem of 256 KB (tmpfs), mounted for the test; skipped where mounting is not allowed."""
    yield from mounted_small_disk(tmp_path)


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    synthesize(root, N, seed=14)
    return root


def test_a_full_disk_exits_6_records_only_whole_written_lines_and_a_rerun_with_space_writes_the_rest(
        small_disk, synthetic_site, tmp_path):
    output, state = small_disk / "output", tmp_path / "state"
    with running_mirror(synthetic_site) as mirror:
        full = scheduled_run(output, state, mirror.base_url, "mode=archive")
        assert full.returncode == exit_codes.WRITE_FAILED, full.stderr[-3000:]
        assert "No space left on device" in full.stderr
        first = lines_in(output)  # every line whole (json.loads would fail on a torn one)
        assert 0 < len(first) < N
        assert recorded(state) == sorted(first)  # recorded = written, nothing more
        assert not list(output.rglob("*.part"))  # the whole lines it wrote are a finished file
        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        rerun = scheduled_run(output, state, mirror.base_url, "mode=archive")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    ids = lines_in(output)
    assert sorted(ids) == list(range(FIRST_ID, FIRST_ID + N))  # every article, each once
    print(f"full disk: {len(first)} of {N} written and recorded before ENOSPC; rerun wrote {len(ids) - len(first)}")


def test_a_locked_state_store_exits_7(tmp_path):
    state = tmp_path / "state"
    StateStore(state / "state.sqlite3").close()
    holder = sqlite3.connect(state / "state.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # a person's sqlite3 shell in the middle of a write
    try:
        with running_mirror(FIXTURES_DIR / "asriran") as mirror:
            result = scheduled_run(tmp_path / "output", state, mirror.base_url, settings=("STATE_LOCK_TIMEOUT=0.5",))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == exit_codes.STATE_FAILED
    assert "state_failed" in result.stderr and "database is locked" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_read_only_disk_exits_6_records_nothing_and_a_rerun_once_writable_writes_all(small_disk, tmp_path):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    state = tmp_path / "state"
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        failed = scheduled_run(small_disk / "output", state, mirror.base_url)
        assert failed.returncode == exit_codes.WRITE_FAILED, failed.stderr[-3000:]
        assert "Read-only file system" in failed.stderr
        assert recorded(state) == []
        subprocess.run(["mount", "-o", "remount,rw,size=64m", str(small_disk)], check=True)
        fixed = scheduled_run(small_disk / "output", state, mirror.base_url)
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    assert sorted(lines_in(small_disk / "output")) == GOOD


def test_a_state_store_locked_during_a_run_exits_7_and_the_next_run_records_what_it_wrote(
        synthetic_site, tmp_path):
    import os
    import sys
    import time

    output, state = tmp_path / "output", tmp_path / "state"
    command = scheduled_command(tmp_path, "mode=archive", settings=(
        f"OUTPUT_DIR={output}", f"STATE_DIR={state}", "STATE_LOCK_TIMEOUT=0.5",
        "CONCURRENT_REQUESTS_PER_DOMAIN=1", "DOWNLOAD_DELAY=0.05"))  # slow enough to lock it midway
    env = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="newscrawl.settings")
    with running_mirror(synthetic_site) as mirror:
        crawl = subprocess.Popen([sys.executable, *command, "-a", f"base_url={mirror.base_url}"], cwd=tmp_path,
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(recorded(state)) < 20:
            time.sleep(0.1)
        holder = sqlite3.connect(state / "state.sqlite3", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another process keeps the store locked from now on
        try:
            _, log = crawl.communicate(timeout=120)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert crawl.returncode == exit_codes.STATE_FAILED, log[-3000:]
        assert "state_failed: state store" in log and "database is locked" in log
        [part] = output.rglob("*.jsonl.part")  # kept: the state may not know all its lines
        first = [json.loads(line)["news_id"] for line in part.read_text(encoding="utf-8").splitlines()]
        assert 20 <= len(first) < N
        rerun = scheduled_run(output, state, mirror.base_url, "mode=archive")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert sorted(lines_in(output)) == list(range(FIRST_ID, FIRST_ID + N))  # all, each once
    assert recorded(state) == list(range(FIRST_ID, FIRST_ID + N))


def test_appending_to_an_existing_file_writes_in_place_and_cuts_a_refused_line_too(tmp_path, monkeypatch):
    import os

    from newscrawl.output.jsonl import AtomicFileFeedStorage

    path = tmp_path / "items.jsonl"
    path.write_bytes(b'{"news_id": 1}\n')
    storage = AtomicFileFeedStorage(str(path), feed_options={"overwrite": False})
    handle = storage.open(spider=None)
    handle.write(b'{"news_id": 2}\n')

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space left"):
        handle.write(b'{"news_id": 3}\n')
    monkeypatch.undo()
    storage.store(handle)
    assert path.read_bytes() == b'{"news_id": 1}\n{"news_id": 2}\n'
    assert not list(tmp_path.glob("*.part"))
