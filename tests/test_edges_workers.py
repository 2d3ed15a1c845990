"""Issue 21, case 4 (and case 8's `dataset verify` of a distributed crawl): a dead worker's lines
reach the dataset without anyone starting a worker.

Worker A has written all but one article of a crawl into its `.part` file and is waiting for the
last page when it is SIGKILLed; worker B, started before A died, takes A's lease when it expires and
finishes the crawl. Nobody starts another worker. Then:
- A's `.part` is finalized by the surviving worker (at the latest when the crawl ends): the dataset
  built from the output has every article;
- `crawl-status` shows A as dead (its heartbeat stopped while it was running), not as running;
- `dataset build` never skips a `.part` whose run is gone without a warning that names it;
- `dataset verify` of a distributed crawl's output (its state in Redis) passes, or says how to
  compare with Redis; it does not fail on the SQLite file that only holds the drift history.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from newscrawl.mirror.synth import FIRST_ID, synthesize
from tests.conftest import run
from tests.redis_helpers import ROOT, WORKER_SETTINGS, needs_redis, newscrawl, start_worker
from tests.run_edge_helpers import (
    ENV,
    Promises,
    edge_mirror,
    finished_files,
    ids_in,
    kill,
    lines_in_parts,
    start_scheduled,
    wait_until,
)

N = 30
LAST = FIRST_ID + N - 1
HELD = f"/fa/news/{LAST}"  # the page the first worker is waiting for when it is killed


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("workers-site")
    synthesize(root, N, seed=4)
    return root


def seed(redis, crawl: str, base_url: str) -> None:
    seeded = newscrawl("seed", crawl, "--redis-url", redis.url, "-a", "mode=ids", "-a", f"ids={FIRST_ID}-{LAST}",
                       "-a", f"base_url={base_url}")
    assert seeded.returncode == 0, seeded.stderr
    assert json.loads(seeded.stdout)["seeded"] == N


def workers_in_redis(redis, crawl: str) -> dict[str, dict]:
    from newscrawl.distributed import CrawlKeys

    raw = redis.client().hgetall(CrawlKeys(crawl).workers)
    return {name: json.loads(info) for name, info in raw.items()}


def build(workdir, *extra):
    return run("-m", "newscrawl", "dataset", "build", "--out", str(workdir / "ds"), "--runs",
               str(workdir / "output"), *extra)


@needs_redis
def test_a_sigkilled_workers_part_is_finalized_by_the_survivor_and_status_calls_it_dead(site, redis_server, tmp_path):
    promises = Promises()
    output = tmp_path / "output"
    with edge_mirror(site, held=(HELD,)) as mirror:
        seed(redis_server, "edge4", mirror.base_url)
        victim = start_worker(redis_server, "edge4", tmp_path, "DISTRIBUTED_RATE=0")
        wait_until(lambda: lines_in_parts(output) == N - 1 and mirror.arrived[HELD].is_set(),
                   "worker A has written all but the held article", process=victim)
        survivor = start_worker(redis_server, "edge4", tmp_path, "DISTRIBUTED_RATE=0")
        wait_until(lambda: len(workers_in_redis(redis_server, "edge4")) == 2, "worker B has joined the crawl",
                   process=survivor)
        kill(victim)
        mirror.gates[HELD].set()  # B gets the page once A's lease has expired
        assert survivor.wait(timeout=120) == 0
    assert victim.returncode == -signal.SIGKILL

    # the setting: A's part holds 29 articles, B wrote the held one; nobody else started
    survivors_files = [p for p in finished_files(output) if ids_in([p]) == [LAST]]
    assert len(survivors_files) == 1

    left = sorted(output.rglob("*.jsonl.part"))
    promises.check(not left, f"the killed worker's part is still a part after the crawl ended: {left}")
    built = build(tmp_path)
    assert built.returncode == 0, built.stderr
    latest = sorted(pq.read_table(tmp_path / "ds" / "latest").column("news_id").to_pylist())
    promises.check(latest == list(range(FIRST_ID, LAST + 1)),
                   f"the dataset built after the crawl has {len(latest)} of {N} articles")

    status = json.loads(newscrawl("crawl-status", "edge4", "--redis-url", redis_server.url, "--json").stdout)
    [dead] = [w for w in status["workers"] if w["pid"] == victim.pid]
    promises.check(not dead["alive"] and dead["state"].startswith("dead"),
                   f"crawl-status shows the killed worker as alive={dead['alive']}, state {dead['state']!r}: "
                   "it should say dead")
    shown = newscrawl("crawl-status", "edge4", "--redis-url", redis_server.url).stdout
    [line] = [x for x in shown.splitlines() if dead["worker"] in x]
    promises.check("running" not in line and "dead" in line, f"crawl-status prints the killed worker as: {line}")
    promises.hold()


def test_dataset_build_warns_about_a_part_whose_run_is_gone(site, tmp_path):
    """A run killed with nobody after it: its `.part` is not read by the build (it may be torn), but
    the build says so, by name, with the lines it left out, instead of skipping it in silence."""
    output = tmp_path / "output"
    with edge_mirror(site, held=(HELD,)) as mirror:
        crawl = start_scheduled(tmp_path, "mode=ids", f"ids={FIRST_ID}-{LAST}", f"base_url={mirror.base_url}")
        wait_until(lambda: lines_in_parts(output) == N - 1 and mirror.arrived[HELD].is_set(),
                   "the run has written all but the held article", process=crawl)
        kill(crawl)
    [part] = output.rglob("*.jsonl.part")
    built = build(tmp_path)
    assert built.returncode == 0, built.stderr
    warned = [line for line in built.stderr.splitlines() if part.name in line]
    assert warned and "gone" in warned[0] and str(N - 1) in warned[0], (
        f"dataset build skipped {part} ({N - 1} articles, its run is gone) without a word: stderr {built.stderr!r}")
    assert json.loads(built.stdout)["parts_of_dead_runs"] == [str(part.relative_to(output))]


def start_default_worker(redis, crawl: str, workdir) -> subprocess.Popen:
    """`python -m newscrawl worker NAME` as the README starts it: OUTPUT_DIR given, STATE_DIR its
    default (`<OUTPUT_DIR>/state`)."""
    command = [sys.executable, "-m", "newscrawl", "worker", crawl, "--redis-url", redis.url,
               "-s", f"OUTPUT_DIR={workdir / 'output'}", "-s", "DISTRIBUTED_RATE=0"]
    for setting in WORKER_SETTINGS:
        command += ["-s", setting]
    log = (workdir / f"worker-{time.monotonic_ns()}.log").open("w")
    return subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT)


@needs_redis
def test_dataset_verify_of_a_distributed_crawls_output_passes_or_says_how_to_compare_with_redis(
        site, redis_server, tmp_path):
    promises = Promises()
    with edge_mirror(site) as mirror:
        seed(redis_server, "edge-verify", mirror.base_url)
        worker = start_default_worker(redis_server, "edge-verify", tmp_path)
        assert worker.wait(timeout=120) == 0
    assert sorted(ids_in(finished_files(tmp_path / "output"))) == list(range(FIRST_ID, LAST + 1))
    built = build(tmp_path)
    assert built.returncode == 0, built.stderr
    ds, runs = str(tmp_path / "ds"), str(tmp_path / "output")

    plain = run("-m", "newscrawl", "dataset", "verify", ds, "--runs", runs)
    promises.check(plain.returncode == 0,
                   f"dataset verify of a good distributed crawl's dataset exits {plain.returncode}: {plain.stderr}")
    promises.check("--redis-url" in plain.stderr and "edge-verify" in plain.stderr,
                   "without Redis, verify does not say how to compare with the crawl's state in Redis "
                   f"(--redis-url ... --state-name edge-verify): {plain.stderr}")

    with_redis = run("-m", "newscrawl", "dataset", "verify", ds, "--runs", runs, "--redis-url", redis_server.url,
                     "--state-name", "edge-verify")
    promises.check(with_redis.returncode == 0 and "dataset verified" in with_redis.stderr
                   and "not compared" not in with_redis.stderr,
                   f"verify against the Redis state exits {with_redis.returncode}: {with_redis.stderr}")
    promises.hold()
