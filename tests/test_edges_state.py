"""Issue 21, case 6 (and case 8's full disk at start): the state store vanishing or failing at any
point is exit code 7, before or during a run, never a traceback and never a silent re-write of
everything.

- The state folder deleted while a run is writing (a clean-up script, a wrong `rm -r`): the run
  notices at its next use of the store, stops with exit 7 and keeps its articles file as `.part`;
  the next run of the same command writes no article a second time: the run files are the truth the
  store indexes, so a store that is gone is rebuilt from them (and the killed part is recovered and
  recorded as usual) before anything is skipped or written.
- A state store on a full disk when a run starts, with a killed run's part to recover into it: exit
  code 7 with the `state_failed` line, nothing crawled, no traceback; with space again, the same
  command completes the crawl, each article once.
"""

from __future__ import annotations

import shutil

import pytest

from newscrawl.mirror.synth import FIRST_ID, synthesize
from tests.conftest import run, scheduled_command
from tests.run_edge_helpers import (
    Promises,
    edge_mirror,
    fill,
    finished_files,
    ids_in,
    kill,
    lines_in_parts,
    log_of,
    small_disk,
    start_scheduled,
    wait_until,
)

STATE_FAILED = 7
N = 30
LAST = FIRST_ID + N - 1
HELD = f"/fa/news/{LAST}"
EARLIER = 10  # articles a run before wrote: the store must not forget them


def crashes(log: str) -> list[str]:
    """The Python tracebacks in a log, each as its exception line, leaving out Spidermon's report of
    its failed run-outcome monitor (an AssertionError that says the run failed: how Spidermon words a
    finding, not a crash; tests/test_edges_full_disk.py reads logs the same way)."""
    found, lines = [], log.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):"):
            end = next((m for m in range(n + 1, len(lines)) if lines[m] and not lines[m].startswith(" ")), None)
            if end is not None and not lines[end].startswith("AssertionError"):
                found.append(lines[end])
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("state-site")
    synthesize(root, N, seed=6)
    return root


def test_the_state_store_deleted_mid_run_is_exit_7_and_the_next_run_writes_nothing_twice(site, tmp_path):
    promises = Promises()
    output, state = tmp_path / "output", tmp_path / "state"
    with edge_mirror(site, held=(HELD,)) as mirror:
        earlier = run(*scheduled_command(tmp_path, "mode=ids", f"ids={FIRST_ID}-{FIRST_ID + EARLIER - 1}",
                                         f"base_url={mirror.base_url}"), cwd=tmp_path)
        assert earlier.returncode == 0, earlier.stderr[-3000:]
        crawl = start_scheduled(tmp_path, "mode=rss", f"base_url={mirror.base_url}")
        wait_until(lambda: lines_in_parts(output) == N - EARLIER - 1 and mirror.arrived[HELD].is_set(),
                   "the rss run has written all but the held article", process=crawl)
        shutil.rmtree(state)  # the state store is deleted while the run is writing
        mirror.gates[HELD].set()
        code = crawl.wait(timeout=120)
        rerun = run(*scheduled_command(tmp_path, "mode=rss", f"base_url={mirror.base_url}"), cwd=tmp_path)
    log = log_of(crawl)

    promises.check(code == STATE_FAILED, f"the run whose state store was deleted under it exits {code}, not 7")
    promises.check("state_failed" in log, "the run's log does not say state_failed")
    promises.check(not crashes(log), f"the run's log has a traceback: {crashes(log)}")
    promises.check(rerun.returncode == 0, f"the next run exits {rerun.returncode}: {rerun.stderr[-2000:]}")
    ids = ids_in(finished_files(output))
    twice = sorted({i for i in ids if ids.count(i) > 1})
    promises.check(not twice, f"{len(twice)} of {N} articles were written a second time by the next run")
    promises.check(sorted(set(ids)) == list(range(FIRST_ID, LAST + 1)), "not every article is in a run file")
    promises.check(not list(output.rglob("*.jsonl.part")), "a .part file is left")
    promises.hold()


def test_a_state_store_on_a_full_disk_at_start_is_exit_7_without_a_traceback_and_crawls_nothing(site, tmp_path):
    promises = Promises()
    output = tmp_path / "output"
    ids = f"ids={FIRST_ID}-{LAST}"
    # 4 MB: the killed run's WAL alone is about 1 MB (29 transactions, never checkpointed), so on a
    # 1 MB disk the store filled it by itself and removing the filler freed nothing
    with small_disk(tmp_path / "disk", "4m") as disk:
        settings = (f"STATE_DIR={disk / 'state'}",)
        with edge_mirror(site, held=(HELD,)) as mirror:
            crawl = start_scheduled(tmp_path, "mode=ids", ids, f"base_url={mirror.base_url}", settings=settings)
            wait_until(lambda: lines_in_parts(output) == N - 1 and mirror.arrived[HELD].is_set(),
                       "the run has written all but the held article", process=crawl)
            kill(crawl)  # a killed run: its part waits to be recovered into the store
            mirror.gates[HELD].set()
            filler = fill(disk)
            del mirror.log[:]
            full = run(*scheduled_command(tmp_path, "mode=ids", ids, f"base_url={mirror.base_url}",
                                          settings=settings), cwd=tmp_path)
            asked = [path for path in mirror.log if path.startswith("/fa/news/")]
            filler.unlink()
            fixed = run(*scheduled_command(tmp_path, "mode=ids", ids, f"base_url={mirror.base_url}",
                                           settings=settings), cwd=tmp_path)

    promises.check(full.returncode == STATE_FAILED, f"a run whose state store's disk is full exits {full.returncode}, "
                                                    "not 7")
    promises.check("Traceback" not in full.stderr,
                   "a traceback reaches stderr: " + full.stderr[full.stderr.find("Traceback"):][:600])
    failed = [line for line in full.stderr.splitlines() if "state_failed" in line]
    promises.check(failed and str(disk / "state") in failed[0],
                   f"no state_failed line naming the state store on stderr: {failed}")
    promises.check(not asked, f"the run crawled {len(asked)} article pages with a state store it cannot write")
    promises.check(fixed.returncode == 0, f"with space again the same command exits {fixed.returncode}")
    written = ids_in(finished_files(output))
    promises.check(sorted(written) == list(range(FIRST_ID, LAST + 1)),
                   f"with space again the run files hold {len(written)} lines for {N} articles, each once")
    promises.hold()
