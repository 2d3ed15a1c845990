"""Scheduled runs: nothing fetched twice, nothing written twice, changes written again."""

import re
import shutil

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from tests.conftest import article_pages, last_report, read_jsonl, run, run_files, scheduled_command

FIXTURES = FIXTURES_DIR / "asriran"
GOOD = sorted(load_expected(p)["news_id"] for p in article_pages("asriran"))


def scheduled_run(workdir, base_url, *args):
    result = run(*scheduled_command(workdir, f"base_url={base_url}", *args), cwd=workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    return last_report(workdir), result.stderr


def test_a_second_run_on_an_unchanged_site_requests_no_article_and_writes_nothing(tmp_path):
    with running_mirror(FIXTURES) as mirror:
        first, _ = scheduled_run(tmp_path, mirror.base_url)
        second, _ = scheduled_run(tmp_path, mirror.base_url)
    assert first["items_written"] == len(GOOD)
    [written] = run_files(tmp_path)  # the second run wrote no file at all
    assert re.fullmatch(r"\d{8}T\d{6}Z-rss-[0-9a-f]{6}\.jsonl", written.name)
    assert sorted(i["news_id"] for i in read_jsonl(written)) == GOOD
    assert not list(tmp_path.rglob("*.part"))
    # only the listings: robots.txt and the feed; known, quarantined and missing pages are not asked
    assert second["stats"]["downloader/request_count"] == 2
    assert second["items_written"] == 0
    assert second["skipped_known"] == len(GOOD) + 3 + 2


def test_refresh_writes_only_what_changed_as_a_new_line(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES, site, symlinks=True)
    with running_mirror(site) as mirror:
        scheduled_run(tmp_path, mirror.base_url)
        page = site / "news" / "917512.html"
        page.write_text(page.read_text(encoding="utf-8").replace(
            "هوای تهران امروز یکشنبه", "هوای تهران امروز، یکشنبه"), encoding="utf-8")
        report, _ = scheduled_run(tmp_path, mirror.base_url, "refresh=1")
    assert report["items_written"] == 1
    assert report["unchanged"] == len(GOOD) - 1
    first, second = run_files(tmp_path)
    [changed] = read_jsonl(second)
    [original] = [i for i in read_jsonl(first) if i["news_id"] == 917512]
    assert changed["news_id"] == 917512 and "امروز، یکشنبه" in changed["body"]
    assert changed["crawled_at"] >= original["crawled_at"] and changed["body"] != original["body"]


def test_the_run_report_says_what_happened(tmp_path):
    with running_mirror(FIXTURES) as mirror:
        report, log = scheduled_run(tmp_path, mirror.base_url)
    assert report["mode"] == "rss" and report["finish_reason"] == "finished"
    assert report["pages_fetched"] == 2 + len(GOOD) + 3 + 2
    assert report["quarantined"] == 3
    assert report["quarantined_by_reason"] == {"body": 1, "page": 1, "published_at": 1}
    assert report["missing_ids"] == [1150600, 1150999]
    assert report["articles_seen"] == len(GOOD) + 3
    assert report["empty_share"]["body"] == round(1 / 19, 3)  # the page that lost its body
    assert report["empty_share"]["tags"] > 0 and report["drift_alarm"] == {}
    assert report["pages_per_second"] > 0 and report["duration_seconds"] > 0
    assert "Run finished (finished)" in log and "quarantined 3" in log
    quarantine = next((tmp_path / "output" / "asriran").glob("*/*.quarantine.jsonl"))
    assert quarantine.name.replace(".quarantine", "") == run_files(tmp_path)[0].name
