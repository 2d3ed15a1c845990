"""The drift alarm: a site whose pages lost their body makes the run fail loudly."""

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import synthesize
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
    assert report["outcome"]["drift"]["reason"] == "fields empty on too many articles: body 100%"
    assert "RUN FAILED (exit 3): drift: fields empty on too many articles: body 100%" in result.stderr
    [quarantine] = (tmp_path / "output" / "asriran").glob("*/*.quarantine.jsonl")
    assert len(quarantine.read_text(encoding="utf-8").splitlines()) == N


def test_a_healthy_run_passes_the_monitor(site, tmp_path):
    result, report = scheduled_archive_run(tmp_path, site)
    assert result.returncode == 0, result.stderr[-2000:]
    assert report["drift_alarm"] == {} and report["items_written"] == N
    assert report["empty_share"]["body"] == 0.0
    assert "Markup drift" in result.stderr  # Spidermon ran the monitor


def test_too_few_articles_to_judge_do_not_alarm(site, tmp_path):
    result, report = scheduled_archive_run(tmp_path, site, faults={"/fa/news/*": {"lose_body": True}},
                                           settings=(f"DRIFT_MIN_ARTICLES={N + 1}",))
    assert result.returncode == 0
    assert report["articles_seen"] == N and report["drift_alarm"] == {}
