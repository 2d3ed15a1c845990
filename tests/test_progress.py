"""Progress a person can read (issue 19): a run logs, every PROGRESS_INTERVAL seconds, done/total, the
rate, an ETA where the total is known and the failures so far, in one line without Persian; a
distributed crawl's `crawl-status` prints the same line. Crawls of the synthetic mirror on 127.0.0.1."""

from __future__ import annotations

import json
import re
import time

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.run.progress import Progress, duration, progress_line
from newscrawl.stats import id_count
from tests.conftest import last_report, run, scheduled_command
from tests.redis_helpers import needs_redis, newscrawl, start_worker

N = 300
SLOW = ("PROGRESS_INTERVAL=0.3", "DOWNLOAD_DELAY=0.01", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "LOG_LEVEL=INFO")
LINE = re.compile(r"\[newscrawl\.extensions\.progress\] INFO: (progress asriran: .*)$", re.MULTILINE)
IDS_LINE = re.compile(r"progress asriran: (?P<done>[\d,]+)/(?P<total>[\d,]+) ids \((?P<share>[\d.]+)%\), "
                      r"(?P<rate>[\d,]+) articles/min, (?P<eta>ETA \w+|no ETA \(no rate yet\)|all done), "
                      r"(?P<failures>.*)$")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("progress-site")
    synthesize(root, N, seed=7)
    return root


def seconds(eta: str) -> int:
    """ETA 2h37m -> 9420."""
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([dhms])", eta))


def counted(failures: str, what: str) -> int:
    found = re.search(rf"(\d+) {what}", failures)
    return int(found.group(1)) if found else 0


def test_the_line_of_the_issue():
    line = progress_line(Progress(done=1204, total=50000, final=True, unit="ids", per_minute=310,
                                  failures={"failed pages": 3, "quarantined": 0}))
    assert line == "progress: 1,204/50,000 ids (2.4%), 310 articles/min, ETA 2h37m, 3 failed pages"
    assert [duration(s) for s in (4, 250, 9420, 200000)] == ["4s", "4m10s", "2h37m", "2d7h"]
    growing = progress_line(Progress(done=12, total=100, final=False, unit="articles", per_minute=50,
                                     note="archive: 1 page read, the walk goes on"), "asriran")
    assert growing == ("progress asriran: 12/100 articles known so far [archive: 1 page read, the walk goes on], "
                       "50 articles/min, no ETA yet, no failures")


def test_an_rss_run_knows_its_total_once_every_feed_is_read():
    from newscrawl import stats as stat
    from newscrawl.run.progress import run_progress

    reading = {stat.ARTICLES_KNOWN: 40, stat.ARTICLES_DONE: 10, stat.SKIPPED_KNOWN: 5, stat.LISTINGS_READ: 1,
               stat.LISTINGS_OPEN: 2, stat.FAILED: 1}
    assert progress_line(run_progress(reading, "rss", 30.0), "tabnak") == (
        "progress tabnak: 15/40 articles known so far [1 of 3 feeds read], 30 articles/min, no ETA yet, "
        "1 failed page")
    read = {**reading, stat.LISTINGS_READ: 3, stat.LISTINGS_OPEN: 0, stat.ARTICLES_KNOWN: 70}
    assert progress_line(run_progress(read, "rss", 30.0), "tabnak") == (
        "progress tabnak: 15/70 articles (21.4%) [3 feeds read], 30 articles/min, ETA 1m50s, 1 failed page")


def test_an_ids_backfill_logs_done_of_total_rate_eta_and_failures(site, tmp_path):
    """350 ids, 50 of them missing, one that fails for good (500), ten that lose their body."""
    failing = FIRST_ID + 9
    faults = {f"/fa/news/{failing}": {"status": 500},
              **{f"/fa/news/{FIRST_ID + n}": {"lose_body": True} for n in range(20, 30)}}
    with running_mirror(site, faults=faults) as mirror:
        result = run(*scheduled_command(tmp_path, "mode=ids", f"ids={FIRST_ID}-{FIRST_ID + 349}",
                                        f"base_url={mirror.base_url}", settings=SLOW), cwd=tmp_path)
    report = last_report(tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = LINE.findall(result.stderr)
    assert len(lines) >= 3, result.stderr[-3000:]
    assert all(line.isascii() for line in lines)  # no Persian in the line an operator reads
    assert "pages (at" not in result.stderr  # Scrapy's LogStats line ("Crawled N pages (at M pages/min)") is replaced
    parsed = [IDS_LINE.match(line) for line in lines]
    assert all(parsed), lines
    done = [int(m["done"].replace(",", "")) for m in parsed]
    assert {m["total"] for m in parsed} == {"350"}
    assert done == sorted(done) and done[-1] <= 350
    # the first line comes PROGRESS_INTERVAL (0.3 s) after the spider opened: on a loaded machine no
    # article may be done by then, and that line says so (seen at load ~21: "0/350 ids"); the lines
    # after it count real progress
    for m, d in zip(parsed, done, strict=True):
        if d == 0:
            assert (m["share"], m["rate"], m["eta"]) == ("0.0", "0", "no ETA (no rate yet)"), m.group(0)
    assert len([d for d in done if d > 0]) >= 3, lines
    for m, d in zip(parsed, done, strict=True):
        assert float(m["share"]) == round(d / 350 * 100, 1)
        rate = int(m["rate"].replace(",", ""))
        if m["eta"].startswith("ETA "):  # the ETA is what is left at the rate the line gives (rounded to
            eta = seconds(m["eta"])       # a whole number of articles/min; past an hour, to the minute)
            fastest, slowest = (350 - d) * 60 / (rate + 0.5), (350 - d) * 60 / max(rate - 0.5, 0.01)
            assert fastest - 60 * (eta >= 3600) - 1 <= eta <= slowest + 1, m.group(0)
    assert any(m["eta"].startswith("ETA ") for m in parsed)
    # failures so far: they only grow, and never past what the run ends with
    quarantined = [counted(m["failures"], "quarantined") for m in parsed]
    failed = [counted(m["failures"], "failed page") for m in parsed]
    missing = [counted(m["failures"], "missing") for m in parsed]
    assert quarantined == sorted(quarantined) and quarantined[-1] <= 10 and 10 in quarantined
    assert failed == sorted(failed) and failed[-1] <= 1
    assert missing == sorted(missing) and missing[-1] <= 50
    # and the run's own counts say the same as the last line would at the end
    stats = report["stats"]
    assert stats["newscrawl/progress/articles_known"] == 350
    assert stats["newscrawl/progress/articles_done"] == 350
    assert (report["quarantined"], len(report["failed"]), id_count(report["missing_ids"])) == (10, 1, 50)


def test_an_archive_walk_says_its_total_is_known_so_far_and_gives_no_eta_until_the_walk_ends(site, tmp_path):
    faults = {"/fa/archive?*&p=2": {"delay": 2}}  # the walk waits on its second page
    with running_mirror(site, faults=faults) as mirror:
        result = run(*scheduled_command(tmp_path, "mode=archive", f"base_url={mirror.base_url}",
                                        settings=SLOW), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = LINE.findall(result.stderr)
    # the first line comes 0.3 s after the spider opened: on a loaded machine the first archive page
    # may not be read yet, and such a line says just that
    while lines and lines[0] == ("progress asriran: 0 articles done, the total not known [archive: 0 pages read, "
                                 "the walk goes on], 0 articles/min, no ETA yet, no failures"):
        lines.pop(0)
    walking = [line for line in lines if "the walk goes on" in line]
    walked = [line for line in lines if "[archive: all 3 pages read]" in line]
    assert walking and walked, lines
    assert len(walking) + len(walked) == len(lines), lines  # never "all 1 page read" while page 2 is coming
    assert lines.index(walked[0]) > lines.index(walking[-1])  # once the walk is over, it stays over
    for line in walking:  # a total that still grows: no share of it, no ETA
        match = re.match(r"progress asriran: [\d,]+/(100|200) articles known so far \[archive: ([12]) pages? read, "
                         r"the walk goes on\], [\d,]+ articles/min, no ETA yet, no failures$", line)
        assert match, line
        assert int(match[1]) == 100 * int(match[2])  # 100 articles on each page read
    assert any("/100 articles known so far [archive: 1 page read" in line for line in walking)
    for line in walked:
        assert re.match(r"progress asriran: [\d,]+/300 articles \([\d.]+%\) \[archive: all 3 pages read\], "
                        r"[\d,]+ articles/min, (ETA \w+|all done), no failures$", line), line


@needs_redis
def test_crawl_status_shows_the_same_progress_for_a_distributed_crawl(site, redis_server, tmp_path):
    count = 200
    with running_mirror(site) as mirror:
        seeded = newscrawl("seed", "prog", "--redis-url", redis_server.url, "-a", "mode=ids",
                           "-a", f"ids={FIRST_ID}-{FIRST_ID + count - 1}", "-a", f"base_url={mirror.base_url}")
        assert seeded.returncode == 0, seeded.stderr
        worker = start_worker(redis_server, "prog", tmp_path, "DISTRIBUTED_RATE=40", "PROGRESS_INTERVAL=0.5")
        seen = []
        while worker.poll() is None:
            shown = newscrawl("crawl-status", "prog", "--redis-url", redis_server.url, "--json")
            report = json.loads(shown.stdout)
            if 0 < report["progress"]["done"] < count and report["progress"]["pages_per_minute"]:
                seen.append(report)
            time.sleep(0.3)
        assert worker.wait() == 0
    assert seen, "no crawl-status while the worker ran"
    for report in seen:
        progress = report["progress"]
        assert progress["total"] == count and progress["total_final"]
        assert progress["done"] == report["done"] + report["dead_lettered"]
        assert progress["total"] == progress["done"] + report["queued"] + report["leased"]
        assert progress["line"].startswith(f"progress prog: {progress['done']:,}/{count} requests (")
        eta = (count - progress["done"]) / progress["pages_per_minute"] * 60
        assert progress["eta_seconds"] == pytest.approx(eta)
        assert f"ETA {duration(eta)}" in progress["line"]
    text = newscrawl("crawl-status", "prog", "--redis-url", redis_server.url).stdout
    assert f"progress prog: {count}/{count} requests (100.0%), 0 pages/min, all done, no failures" in text
    [log] = tmp_path.glob("worker-*.log")
    assert re.search(r"progress asriran \(this worker of crawl prog\): [\d,]+ articles done, the total not known, "
                     r"[\d,]+ articles/min, no ETA yet, no failures; the whole crawl: python -m newscrawl "
                     r"crawl-status prog", log.read_text(encoding="utf-8"))
