"""Nothing lost at the edges of a run's output (issue 21): a second run on the same `-O` file, a
killed `-O` run rerun, a trial `-O` run before the scheduled ones, a JOBDIR in use, Ctrl-C twice.

Each test runs `scrapy crawl` as a user would (subprocesses, the local mirror on 127.0.0.1) and
asserts what must be true; the exit codes are newscrawl/exit_codes.py's and the README's table."""

import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from newscrawl import exit_codes
from newscrawl import settings as project_settings
from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import FIRST_ID, synthesize
from tests.conftest import ROOT, article_pages, read_jsonl, run, run_files, scheduled_command
from tests.edge_helpers import LogReader, wait_until

N = 120
ALL = list(range(FIRST_ID, FIRST_ID + N))
ENV = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="newscrawl.settings")
# A run that cannot start because another live run holds what it needs (the -O file, the JOBDIR):
# the exit code the fix adds to newscrawl/exit_codes.py and the README's table (issue 21).
BUSY = exit_codes.BUSY
# A run forced down by a second Ctrl-C (SIGINT) or SIGTERM: the shell's 128 + SIGINT, as any
# program interrupted by Ctrl-C (issue 21).
INTERRUPTED = 128 + signal.SIGINT


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    synthesize(root, N, seed=21)
    return root


def paused(gate, after=40):
    """Settings that hold a run once `after` items are written, while `gate` exists."""
    pipelines = {**project_settings.ITEM_PIPELINES, "tests.edge_helpers.PauseAtGate": 900}
    return (f"ITEM_PIPELINES={json.dumps(pipelines)}", f"PAUSE_GATE={gate}", f"PAUSE_AFTER_ITEMS={after}")


def command(workdir, base_url, *args, settings=()):
    """The cron line: `scrapy crawl asriran -a mode=archive ...`, its output and state in `workdir`,
    without the WARC archive (these tests are about the articles files)."""
    return scheduled_command(workdir, "mode=archive", f"base_url={base_url}",
                             settings=("WARC_ENABLED=False", *settings)) + list(args)


def popen(workdir, cmd):
    """A run in the background; its log (`.log`) is read as it comes, so a held run never blocks on
    a full pipe."""
    process = subprocess.Popen([sys.executable, *cmd], cwd=workdir, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    process.log = LogReader(process)
    return process


def finish(process, timeout=300):
    """Wait for a background run; its whole log."""
    process.wait(timeout=timeout)
    return process.log.rest()


def ids_in(path):
    """news_ids of every line of a file; each line must be a whole JSON object (a NUL, a torn line
    or a line of garbage fails here)."""
    return [json.loads(line)["news_id"] for line in path.read_text(encoding="utf-8").splitlines()]


def recorded(workdir):
    """news_ids the state store says are written."""
    db = sqlite3.connect(workdir / "state" / "state.sqlite3")
    try:
        return sorted(r[0] for r in db.execute("SELECT news_id FROM articles"))
    finally:
        db.close()


def in_run_files(workdir):
    return sorted({item["news_id"] for path in run_files(workdir) for item in read_jsonl(path)})


def kill(process):
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    finish(process)


# -- case 1: two runs writing -O to one file ----------------------------------------------------------

def test_a_second_run_on_the_same_O_file_refuses_and_leaves_the_first_runs_file_whole(synthetic_site, tmp_path):
    """A cron line with `-O latest.jsonl` whose previous run is still going: the second run must not
    touch the file (today it truncates `latest.jsonl.part` before it tries the lock, and the first
    run goes on writing at its offset: NUL bytes where its first lines were, exit 0)."""
    out, gate = tmp_path / "latest.jsonl", tmp_path / "gate"
    gate.touch()
    with running_mirror(synthetic_site) as mirror:
        first = popen(tmp_path, command(tmp_path, mirror.base_url, "-O", str(out), settings=paused(gate)))
        try:
            wait_until(lambda: os.path.exists(f"{gate}.reached"), what="the first run's 40 lines")
            second = run(*command(tmp_path, mirror.base_url, "-O", str(out)), cwd=tmp_path)
        finally:
            gate.unlink()  # the first run goes on
            first_log = finish(first)
    assert second.returncode == BUSY, second.stderr[-3000:]
    assert str(out) in second.stderr and "Traceback" not in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1  # one line, before anything is crawled
    assert first.returncode == exit_codes.OK, first_log[-3000:]
    ids = ids_in(out)
    assert sorted(ids) == ALL  # every article of the first run, each once, every line whole


# -- case 2: a killed -O run, then the same command -----------------------------------------------------

def test_a_killed_O_run_then_the_same_command_gives_a_file_with_every_article(synthetic_site, tmp_path):
    """The rerun of a killed `-O` archive run keeps the killed run's lines and fetches the rest (today
    its `-O` replaces the file and the state skips the killed run's articles as written: lost, exit 0)."""
    out, gate = tmp_path / "archive.jsonl", tmp_path / "gate"
    gate.touch()
    with running_mirror(synthetic_site) as mirror:
        killed = popen(tmp_path, command(tmp_path, mirror.base_url, "-O", str(out), settings=paused(gate)))
        try:
            wait_until(lambda: os.path.exists(f"{gate}.reached"), what="the killed run's 40 lines")
        finally:
            kill(killed)
        rerun = run(*command(tmp_path, mirror.base_url, "-O", str(out)), cwd=tmp_path)
    assert rerun.returncode == exit_codes.OK, rerun.stderr[-3000:]
    assert sorted(ids_in(out)) == ALL  # the killed run's 40 and the rest, each once
    # and no article is recorded as written unless a run file (what the dataset reads) holds it
    assert set(recorded(tmp_path)) <= set(in_run_files(tmp_path))


# -- case 3: a trial -O run, then the scheduled runs ------------------------------------------------------

FIXTURE_SITE = ROOT / "fixtures" / "asriran"
GOOD = sorted(int(page.stem) for page in article_pages("asriran"))  # a fixture page is named by its id


def test_a_trial_O_run_then_the_scheduled_run_gives_a_dataset_with_every_article(tmp_path):
    """`scrapy crawl asriran -O out.jsonl`, the README's first example, tried once; then the cron line
    (rss, no -O) and `dataset build`: the dataset has every article (today the trial run records its
    articles, the scheduled run skips them as known, and no run file, so no dataset, ever has them)."""
    import pyarrow.parquet as pq

    trial_file = tmp_path / "out.jsonl"
    with running_mirror(FIXTURE_SITE) as mirror:
        trial = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}"), "-O", str(trial_file), cwd=tmp_path)
        assert trial.returncode == exit_codes.OK, trial.stderr[-3000:]
        assert sorted(ids_in(trial_file)) == GOOD  # the trial run's own file, as asked
        scheduled = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}"), cwd=tmp_path)
    assert scheduled.returncode == exit_codes.OK, scheduled.stderr[-3000:]
    built = run("-m", "newscrawl", "dataset", "build", "--out", str(tmp_path / "dataset"),
                "--runs", str(tmp_path / "output"), cwd=tmp_path)
    assert built.returncode == exit_codes.OK, built.stderr[-3000:]
    assert json.loads(built.stdout)["rows"]["latest"] == len(GOOD), built.stdout
    assert sorted(pq.read_table(tmp_path / "dataset" / "latest").column("news_id").to_pylist()) == GOOD


# -- case 8: a JOBDIR in use by a live run ------------------------------------------------------------

def test_a_run_on_a_jobdir_in_use_is_one_line_and_the_busy_exit_code(synthetic_site, tmp_path):
    """The nightly archive run with `-s JOBDIR=...` started twice (by hand while cron's is going): the
    second says so in one line and exits BUSY, and leaves the live run's job alone (today: a
    31-line traceback, exit 1)."""
    gate, jobdir = tmp_path / "gate", tmp_path / "job"
    gate.touch()
    with running_mirror(synthetic_site) as mirror:
        live = popen(tmp_path, command(tmp_path, mirror.base_url, settings=(f"JOBDIR={jobdir}", *paused(gate))))
        try:
            wait_until(lambda: os.path.exists(f"{gate}.reached"), what="the live run's 40 lines")
            second = run(*command(tmp_path, mirror.base_url, settings=(f"JOBDIR={jobdir}",)), cwd=tmp_path)
        finally:
            gate.unlink()
            live_log = finish(live)
    assert second.returncode == BUSY, second.stderr[-3000:]
    assert "Traceback" not in second.stderr and str(jobdir) in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert live.returncode == exit_codes.OK, live_log[-3000:]  # the live run was not disturbed
    assert sorted(in_run_files(tmp_path)) == ALL
    assert not list(tmp_path.glob("job.unclean-*"))  # nobody took the live run's job for a dead one


# -- case 8: Ctrl-C twice -------------------------------------------------------------------------------

def test_ctrl_c_twice_exits_non_zero(synthetic_site, tmp_path):
    """The first Ctrl-C asks for a graceful stop; a run whose items do not drain gets a second one,
    which forces it down: the run did not end well, and the exit code says so (today: 0)."""
    gate = tmp_path / "gate"
    gate.touch()  # never removed: the items past the 40th never drain, as a stuck pipeline's
    with running_mirror(synthetic_site) as mirror:
        crawl = popen(tmp_path, command(tmp_path, mirror.base_url, settings=("LOG_LEVEL=INFO", *paused(gate))))
        try:
            wait_until(lambda: os.path.exists(f"{gate}.reached"), what="the run's 40 lines")
            crawl.send_signal(signal.SIGINT)
            crawl.log.wait_for("shutting down gracefully")
            crawl.send_signal(signal.SIGINT)
            crawl.wait(timeout=120)
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.wait()
        text = crawl.log.rest()
    assert "forcing unclean shutdown" in text
    assert crawl.returncode == INTERRUPTED, text[-3000:]
