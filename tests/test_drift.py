"""The drift alarm: a site whose pages lost their body makes the run fail loudly, on any schedule."""

from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.state.drift import DriftHistory, RunCounts
from tests.conftest import last_report, run, scheduled_command

N = 30


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("drift-site")
    synthesize(root, N, seed=5)
    return root


def scheduled_archive_run(workdir, site, faults=None, settings=()):
    with running_mirror(site, faults=faults) as mirror:
        result = run(*scheduled_command(workdir, "mode=archive", f"base_url={mirror.base_url}",
                                        settings=settings), cwd=workdir)
    return result, last_report(workdir)


def test_pages_that_lost_their_body_raise_the_alarm_and_a_nonzero_exit(site, tmp_path):
    result, report = scheduled_archive_run(tmp_path, site, faults={"/fa/news/*": {"lose_body": True}})
    assert result.returncode == 3
    assert report["drift_alarm"] == {"body": 1.0}
    assert report["items_written"] == 0 and report["quarantined"] == N
    assert "DRIFT ALARM" in result.stderr and "body empty on 100% of articles" in result.stderr
    assert report["outcome"]["drift"]["reason"].startswith("body empty on 100% of articles (the last run: 30 articles")
    assert "RUN FAILED (exit 3): drift: body empty on 100% of articles" in result.stderr
    [quarantine] = (tmp_path / "output" / "asriran").glob("*/*.quarantine.jsonl")
    assert len(quarantine.read_text(encoding="utf-8").splitlines()) == N


def test_a_healthy_run_passes_the_monitor(site, tmp_path):
    result, report = scheduled_archive_run(tmp_path, site)
    assert result.returncode == 0, result.stderr[-2000:]
    assert report["drift_alarm"] == {} and report["items_written"] == N
    assert report["empty_share"]["body"] == 0.0
    assert report["stats"]["newscrawl/drift_window"] == {"runs": 1, "articles": N, "judged": True}


def test_too_few_articles_to_judge_do_not_alarm(site, tmp_path):
    # a third of the bodies lost is drift, but one run of N articles is too few to judge (and they
    # did not all fail alike, which would alarm at once)
    lost = {f"/fa/news/{FIRST_ID + n}": {"lose_body": True} for n in range(10)}
    result, report = scheduled_archive_run(tmp_path, site, faults=lost, settings=(f"DRIFT_MIN_ARTICLES={N + 1}",))
    assert result.returncode == 0, result.stderr[-3000:]
    assert report["articles_seen"] == N and report["quarantined"] == 10 and report["drift_alarm"] == {}


def ids_run(workdir, site, first, last, lost=()):
    """A small run (mode=ids) over articles first..last (offsets), those in `lost` without their body."""
    faults = {f"/fa/news/{FIRST_ID + n}": {"lose_body": True} for n in lost}
    with running_mirror(site, faults=faults) as mirror:
        result = run(*scheduled_command(workdir, "mode=ids", f"ids={FIRST_ID + first}-{FIRST_ID + last}",
                                        f"base_url={mirror.base_url}"), cwd=workdir)
    return result, last_report(workdir)


def test_small_runs_are_judged_together_over_the_recent_window(site, tmp_path):
    healthy, report = ids_run(tmp_path, site, 0, 9)
    assert healthy.returncode == 0
    assert report["stats"]["newscrawl/drift_window"] == {"runs": 1, "articles": 10, "judged": False}
    # ten articles, five without a body: alone too few to judge; with the run before, 5 of 20 (25 %)
    result, report = ids_run(tmp_path, site, 10, 19, lost=range(10, 15))
    assert result.returncode == 3, result.stderr[-3000:]
    assert report["drift_alarm"] == {"body": 0.25}
    assert report["stats"]["newscrawl/drift_window"] == {"runs": 2, "articles": 20, "judged": True}
    assert "body empty on 25% of articles (the last 2 runs: 20 articles" in result.stderr
    # the next run's articles are whole again: the window still holds the bad ones, this run does not
    after_fix, report = ids_run(tmp_path, site, 20, 29)
    assert after_fix.returncode == 0, after_fix.stderr[-3000:]
    assert report["drift_alarm"] == {}


def test_every_article_of_a_small_run_quarantined_alike_alarms_at_once(site, tmp_path):
    result, report = ids_run(tmp_path, site, 0, 3, lost=range(0, 4))
    assert result.returncode == 3
    assert report["drift_alarm"] == {"body": 1.0} and report["quarantined"] == 4
    assert "body: every one of the 4 articles of this run quarantined for it" in result.stderr


def test_a_small_healthy_run_with_one_bad_article_does_not_alarm(site, tmp_path):
    result, report = ids_run(tmp_path, site, 0, 3, lost=[0])
    assert result.returncode == 0 and report["drift_alarm"] == {} and report["quarantined"] == 1


def test_the_window_is_the_newest_runs_holding_enough_articles(tmp_path):
    history = DriftHistory(tmp_path / "state.sqlite3")
    now = datetime.now(UTC)
    history.add("asriran", RunCounts("old", 50, {"body": 0}), when=now - timedelta(hours=100))
    for n, (seen, empty) in enumerate([(8, 0), (0, 0), (7, 7), (9, 1)]):
        history.add("asriran", RunCounts(f"run{n}", seen, {"body": empty}), when=now - timedelta(hours=4 - n))
    history.add("yjc", RunCounts("other-site", 40, {"body": 40}), when=now)
    window = history.window("asriran", 20, 72)
    assert [r.run_id for r in window.runs] == ["run3", "run2", "run0"]  # newest first, empty runs skipped
    assert window.seen == 24 and window.empty_shares(["body"]) == {"body": 8 / 24}
    assert history.window("asriran", 100, 72).seen == 24  # the 100-hour-old run is out of the window
    history.close()


def test_the_monitor_files_the_run_under_the_site_and_run_id_it_was_built_with(tmp_path):
    """The site and run id come from the run's configuration (run.config), not from spider attributes."""
    from types import SimpleNamespace
    from unittest import SkipTest

    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl import settings as project_settings
    from newscrawl import stats as stat
    from newscrawl.monitoring.drift import DriftMonitor
    from newscrawl.run.config import RunConfig, publish

    settings = Settings({"STATE_DIR": str(tmp_path), "DRIFT_MIN_ARTICLES": 20, "DRIFT_WINDOW_HOURS": 72,
                         "DRIFT_MAX_EMPTY_SHARE": project_settings.DRIFT_MAX_EMPTY_SHARE})
    crawler = SimpleNamespace(settings=settings)
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.stats.set_stats({stat.SEEN: 5, stat.EMPTY("body"): 1})
    publish(crawler, RunConfig(site="tabnak", mode="ids", run_id="20261201T010203Z-ids-abcdef",
                               base_url="http://127.0.0.1:9"))
    monitor = DriftMonitor("test_empty_field_shares")
    monitor.init_data(SimpleNamespace(crawler=crawler, stats=crawler.stats.get_stats(),
                                      spider=SimpleNamespace(name="other")))
    with pytest.raises(SkipTest, match="too few to judge"):
        monitor.test_empty_field_shares()
    history = DriftHistory(tmp_path / "state.sqlite3")
    [counts] = history.window("tabnak", 20, 72).runs
    assert counts.run_id == "20261201T010203Z-ids-abcdef" and counts.seen == 5 and counts.empty["body"] == 1
    assert history.window("other", 20, 72).runs == []
