"""Kill a crawl, run the same command again: every article exactly once, no broken line."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.output.jsonl import recover_orphans
from newscrawl.state import StateStore
from tests.conftest import ROOT, last_report, run_files, scheduled_command

N = 2000


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    synthesize(root, N, seed=3)
    return root


def command(base_url, workdir):
    return [sys.executable, *scheduled_command(workdir, "mode=archive", f"base_url={base_url}",
                                               settings=("LOG_LEVEL=INFO", f"JOBDIR={workdir / 'job'}"))]


ENV = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="newscrawl.settings")


def start(base_url, workdir):
    return subprocess.Popen(command(base_url, workdir), cwd=workdir, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for_lines(workdir, count, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parts = list((workdir / "output").rglob("*.jsonl.part"))
        if parts and parts[0].read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.05)
    raise AssertionError("the crawl did not get far enough in time")


def outputs(workdir):
    files = run_files(workdir)
    ids = [json.loads(line)["news_id"]  # every line whole and valid
           for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    return files, ids


def test_sigkill_midway_then_the_same_command_completes_the_crawl(synthetic_site, tmp_path):
    with running_mirror(synthetic_site) as mirror:
        crawl = start(mirror.base_url, tmp_path)
        wait_for_lines(tmp_path, 400)
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
        crawl.stderr.close()
        assert list((tmp_path / "output").rglob("*.jsonl.part"))  # a killed run leaves its part
        rerun = subprocess.run(command(mirror.base_url, tmp_path), cwd=tmp_path, env=ENV,
                               capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    files, ids = outputs(tmp_path)
    assert len(files) == 2
    assert sorted(ids) == list(range(FIRST_ID, FIRST_ID + N))  # all, each once
    assert not list((tmp_path / "output").rglob("*.part"))
    stats = last_report(tmp_path)["stats"]
    assert stats["newscrawl/recovered_files"] == 1
    assert stats["newscrawl/unclean_jobdir_recovered"] == 1
    assert StateStore(tmp_path / "state" / "state.sqlite3").count() == N
    assert list(tmp_path.glob("job.unclean-*"))  # kept aside for a post-mortem


def test_graceful_stop_then_resume_with_jobdir(synthetic_site, tmp_path):
    with running_mirror(synthetic_site) as mirror:
        crawl = start(mirror.base_url, tmp_path)
        wait_for_lines(tmp_path, 400)
        crawl.send_signal(signal.SIGINT)
        _, log = crawl.communicate(timeout=120)
        assert "shutting down gracefully" in log
        assert not list((tmp_path / "output").rglob("*.part"))  # the stopped run's file is final
        resumed = subprocess.run(command(mirror.base_url, tmp_path), cwd=tmp_path, env=ENV,
                                 capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    _, ids = outputs(tmp_path)
    assert sorted(ids) == list(range(FIRST_ID, FIRST_ID + N))
    stats = last_report(tmp_path)["stats"]
    assert stats["newscrawl/unclean_jobdir_recovered"] == 0
    assert "Resuming crawl" in resumed.stderr  # Scrapy's own JOBDIR resume, not a fresh start


def test_orphan_recovery_keeps_whole_lines_and_drops_a_torn_one(tmp_path):
    day = tmp_path / "asriran" / "2026-11-26"
    day.mkdir(parents=True)
    good = [{"site": "asriran", "news_id": i, "url": f"https://www.asriran.com/fa/news/{i}", "title": "ت"}
            for i in (1, 2)]
    part = day / "run-a.jsonl.part"
    part.write_bytes(b"".join(json.dumps(g, ensure_ascii=False).encode() + b"\n" for g in good)
                     + b'{"site": "asriran", "news_id": 3, "ti')
    recorded = []
    [final] = recover_orphans(tmp_path, recorded.extend)
    assert final == day / "run-a.jsonl"
    assert [json.loads(line) for line in final.read_text(encoding="utf-8").splitlines()] == good
    assert [r["news_id"] for r in recorded] == [1, 2]
    assert not part.exists()


def test_orphan_recovery_leaves_a_live_runs_part_alone(tmp_path):
    import fcntl

    part = tmp_path / "asriran" / "2026-11-26" / "run-b.jsonl.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b'{"news_id": 1}\n')
    with part.open("rb") as live:
        fcntl.flock(live.fileno(), fcntl.LOCK_EX)
        assert recover_orphans(tmp_path, lambda items: None) == []
    assert part.exists()


def test_a_jobdir_claimed_before_a_crawl_that_keeps_no_run_files_is_let_go(tmp_path):
    """`scrapy crawl` claims the JOBDIR before the crawl (a busy one is refused there); when no
    CrashRecovery takes the claim over (no OUTPUT_DIR), the lock goes at the end, so the next run
    does not take the job for a killed run's and move it aside."""
    jobdir = tmp_path / "job"
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "scrapy", "crawl", "asriran", "-a", "base_url=http://127.0.0.1:9",
                        "-s", f"JOBDIR={jobdir}", "-s", "OUTPUT_DIR=", "-s", f"STATE_DIR={tmp_path / 'state'}",
                        "-s", "RETRY_ENABLED=False"], cwd=tmp_path, env=ENV, capture_output=True, timeout=120)
        assert not (jobdir / "newscrawl.lock").exists()
    assert not list(tmp_path.glob("job.unclean-*"))
