"""Overlapping runs of one site (same STATE_DIR and OUTPUT_DIR) write every article exactly once;
an article claimed by a run that dies is written by a later run."""

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from newscrawl import settings as project_settings
from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.state import StateStore
from tests.conftest import ROOT, read_jsonl, run_files, scheduled_command

N = 300
ENV = {"PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    synthesize(root, N, seed=12)
    return root


def popen(workdir, base_url, *settings):
    command = scheduled_command(workdir, "mode=archive", f"base_url={base_url}", settings=settings)
    return subprocess.Popen([sys.executable, *command], cwd=workdir, env=dict(os.environ, **ENV),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def reports(workdir):
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((workdir / "output" / "asriran").glob("*/*.report.json"))]


def written_ids(workdir):
    return [item["news_id"] for path in run_files(workdir) for item in read_jsonl(path)]


# -- the store's claim ------------------------------------------------------------------------------

def test_a_claim_is_held_by_one_live_owner_and_a_dead_owners_claim_is_void_once_released(tmp_path):
    path = tmp_path / "state.sqlite3"
    first, second = StateStore(path), StateStore(path)
    assert first.claim("asriran", 1, "run-a") and first.claim("asriran", 1, "run-a")  # its own again
    assert not second.claim("asriran", 1, "run-b")  # run-a is alive
    assert second.claim_holder("asriran", 1) == "run-a"
    first.record([{"site": "asriran", "news_id": 1, "url": "u"}], owner="run-a")  # recording ends it
    assert second.claim("asriran", 1, "run-b")
    second.release("asriran", 1, "run-b")
    assert first.claim("asriran", 2, "run-a")
    first.close()  # run-a dies: its lock file stays until a later run has finalized its output
    assert not second.claim("asriran", 2, "run-b")
    assert second.dead_owners() == ["run-a"]
    assert second.release_claims("run-a") == 1
    assert second.claim("asriran", 2, "run-b")
    assert second.dead_owners() == []
    assert second.claims_of("run-b") == [("asriran", 2)]
    assert second.release_claims("run-b") == 1 and second.claims_of("run-b") == []


def _claim_all(path, owner, ids, results):
    store = StateStore(path)
    results.put((owner, [i for i in ids if store.claim("asriran", i, owner)]))
    results.put(None)
    time.sleep(2)  # stay alive while the others claim
    store.close()


def test_concurrent_claims_from_four_processes_give_each_article_to_exactly_one(tmp_path):
    path = tmp_path / "state.sqlite3"
    StateStore(path).close()
    ids = list(range(400))
    results = multiprocessing.get_context("fork").Queue()
    workers = [multiprocessing.get_context("fork").Process(target=_claim_all, args=(path, f"run-{n}", ids, results))
               for n in range(4)]
    for worker in workers:
        worker.start()
    got, done = {}, 0
    while done < len(workers):
        entry = results.get(timeout=60)
        if entry is None:
            done += 1
        else:
            got[entry[0]] = entry[1]
    for worker in workers:
        worker.join(timeout=30)
    claimed = [i for owner_ids in got.values() for i in owner_ids]
    assert sorted(claimed) == ids  # every one claimed, none twice


# -- real runs ------------------------------------------------------------------------------------

def test_three_overlapping_runs_write_every_article_exactly_once(synthetic_site, tmp_path):
    with running_mirror(synthetic_site) as mirror:
        crawls = [popen(tmp_path, mirror.base_url) for _ in range(3)]
        logs = [crawl.communicate(timeout=600)[1] for crawl in crawls]
    assert [c.returncode for c in crawls] == [0, 0, 0], [log[-2000:] for log in logs]
    ids = written_ids(tmp_path)
    assert sorted(ids) == list(range(FIRST_ID, FIRST_ID + N))  # all, each once
    runs = reports(tmp_path)
    assert len(runs) == 3
    assert sum(r["items_written"] for r in runs) == N
    assert all("left_to_other_runs" in r for r in runs)
    yielded = sum(r["left_to_other_runs"] + r["stats"].get("newscrawl/already_written", 0) for r in runs)
    print(f"3 runs, {N} articles, {len(ids)} lines, {len(ids) - len(set(ids))} duplicates, "
          f"written per run {[r['items_written'] for r in runs]}, left to other runs "
          f"{[r['left_to_other_runs'] for r in runs]}, dropped as written meanwhile {yielded}")
    assert StateStore(tmp_path / "state" / "state.sqlite3").count() == N
    leftover = sqlite3.connect(tmp_path / "state" / "state.sqlite3").execute("SELECT COUNT(*) FROM claims")
    assert leftover.fetchone()[0] == 0  # every run released its claims
    assert not list((tmp_path / "state" / "owners").glob("*.lock"))


def test_articles_claimed_by_a_run_killed_before_writing_them_are_written_by_the_next_run(
        synthetic_site, tmp_path):
    pipelines = {**project_settings.ITEM_PIPELINES, "tests.hang_pipeline.HangAfterClaim": 900}
    state = tmp_path / "state" / "state.sqlite3"
    with running_mirror(synthetic_site) as mirror:
        crawl = popen(tmp_path, mirror.base_url, f"ITEM_PIPELINES={json.dumps(pipelines)}",
                      "HANG_AFTER_ITEMS=40")
        deadline, claimed, written = time.monotonic() + 180, [], 0
        while time.monotonic() < deadline and (len(claimed) < 5 or written < 40):
            time.sleep(0.2)
            if state.exists():
                db = sqlite3.connect(state)
                try:
                    claimed = [r[0] for r in db.execute(
                        "SELECT news_id FROM claims WHERE news_id NOT IN (SELECT news_id FROM articles)")]
                    written = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                except sqlite3.OperationalError:
                    claimed = []
                db.close()
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
        crawl.stderr.close()
        assert len(claimed) >= 5 and written == 40, "the run did not get far enough in time"
        first_ids = {i for p in (tmp_path / "output").rglob("*.jsonl.part") for i in
                     (json.loads(line)["news_id"] for line in p.read_text(encoding="utf-8").splitlines())}
        assert len(first_ids) == 40 and not first_ids & set(claimed)  # claimed, never written
        rerun = popen(tmp_path, mirror.base_url)
        _, log = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, log[-3000:]
    ids = written_ids(tmp_path)
    assert sorted(ids) == list(range(FIRST_ID, FIRST_ID + N))  # the killed run's claims did not block
    [report] = reports(tmp_path)  # the killed run wrote no report
    assert report["items_written"] == N - 40
    assert report["stats"]["newscrawl/claims_of_dead_runs_released"] >= len(claimed)
    assert report["stats"]["newscrawl/recovered_files"] == 1


def test_overlapping_refresh_runs_write_a_changed_article_once(tmp_path):
    from scrapy.exceptions import DropItem

    from newscrawl.items import exported
    from newscrawl.pipelines.written import WrittenArticlesPipeline
    from newscrawl.replay.fixtures import FIXTURES_DIR
    from newscrawl.replay.processor import Processor

    item = Processor().process((FIXTURES_DIR / "asriran" / "news" / "917512.html").read_text(encoding="utf-8"),
                               "https://www.asriran.com/fa/news/917512").article
    path = tmp_path / "state.sqlite3"
    StateStore(path).record([exported(item)])
    item.body += "\n\nبه‌روزرسانی: خبر تکمیل شد."  # the article changed on the site
    stores = StateStore(path), StateStore(path)
    first, second = (WrittenArticlesPipeline(store, {}, refresh=True, owner=f"run-{n}")
                     for n, store in enumerate(stores))
    first.stats = second.stats = _Stats()
    assert first.process_item(item) is item  # run-0 claims it and writes it ...
    with pytest.raises(DropItem, match="left to another run: asriran news_id 917512 is being written by run-0"):
        second.process_item(item)
    stores[0].record([exported(item)], owner="run-0")  # ... and records it once its line is written
    with pytest.raises(DropItem, match="unchanged"):
        second.process_item(item)
    assert first.stats == {"newscrawl/changed": 1, "newscrawl/left_to_other_runs": 1, "newscrawl/unchanged": 1}
    assert stores[1].claims_of("run-0") == [] and stores[1].claims_of("run-1") == []


class _Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count
