"""-o/-O FILE means what it says: the file exists after the run (empty when nothing was found), and
in ids/urls modes it holds every article asked for, whatever earlier runs wrote. Runs without -o/-O
(scheduled runs, their own files) keep skipping known articles, and every article skipped as known
is counted in the summary with the way to fetch it anyway."""

import json

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from tests.conftest import article_pages, crawl, run, run_files, scheduled_command

FIXTURES = FIXTURES_DIR / "asriran"
GOOD = sorted(load_expected(p)["news_id"] for p in article_pages("asriran"))
SKIP_LINE = "skipped as known {n} (written or tried by earlier runs; to fetch them anyway: -a skip_known=0)"


@pytest.fixture(scope="module")
def mirror():
    with running_mirror(FIXTURES) as server:
        yield server


def twice(tmp_path, *args):
    """The same -O crawl twice, sharing one state store."""
    state = f"STATE_DIR={tmp_path / 'state'}"
    first = crawl(tmp_path / "first", *args, settings=(state,))
    second = crawl(tmp_path / "second", *args, settings=(state,))
    assert first.returncode == 0 and second.returncode == 0, second.log[-2000:]
    return first, second


def test_ids_with_O_twice_writes_both_articles_both_times(mirror, tmp_path):
    first, second = twice(tmp_path, "mode=ids", "ids=1077602,719860", f"base_url={mirror.base_url}")
    assert first.ids == second.ids == [719860, 1077602]
    assert "newscrawl/skipped_known" not in second.stats and "newscrawl/already_written" not in second.stats


def test_urls_with_O_twice_writes_the_article_both_times(mirror, tmp_path):
    first, second = twice(tmp_path, "mode=urls", "urls=https://www.asriran.com/fa/news/917512/x",
                          f"base_url={mirror.base_url}")
    assert first.ids == second.ids == [917512]


def test_rss_with_O_on_an_unchanged_site_leaves_an_empty_file_and_says_what_it_skipped(mirror, tmp_path):
    _, second = twice(tmp_path, f"base_url={mirror.base_url}")
    out = tmp_path / "second" / "items.jsonl"
    assert out.exists() and out.read_bytes() == b""
    skipped = len(GOOD) + 3 + 2  # written, quarantined and missing pages are known
    assert second.stats["newscrawl/skipped_known"] == skipped
    assert SKIP_LINE.format(n=skipped) in second.log


def test_skip_known_0_fetches_and_writes_known_articles_in_any_mode(mirror, tmp_path):
    _, second = twice(tmp_path, "skip_known=0", f"base_url={mirror.base_url}")
    assert second.ids == GOOD


def test_scheduled_ids_runs_keep_skipping_known_articles(mirror, tmp_path):
    command = scheduled_command(tmp_path, "mode=ids", "ids=1077602,719860", f"base_url={mirror.base_url}")
    assert run(*command, cwd=tmp_path).returncode == 0
    second = run(*command, cwd=tmp_path)
    assert second.returncode == 0
    assert len(run_files(tmp_path)) == 1  # the second run wrote no file
    # the newest report (two runs in one second have names that do not sort by time)
    newest = max((tmp_path / "output" / "asriran").glob("*/*.report.json"), key=lambda p: p.stat().st_mtime_ns)
    report = json.loads(newest.read_text(encoding="utf-8"))
    assert report["skipped_known"] == 2 and report["items_written"] == 0
    assert SKIP_LINE.format(n=2) in second.stderr
