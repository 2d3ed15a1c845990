"""`python -m newscrawl board` and `runs`: every site's health from real run reports and the state store.

Two real crawls make the reports the tests start from: asriran on the mirror (16 written, 3
quarantined, 2 missing) and tabnak against a closed port (exit 4). The ordering and the hundred-site
page take those reports as templates (the site, the start and the outcome changed) and add what a
month of runs would leave in the state store. The page is rendered by Debian's chromium, headless:
its DOM is checked and its screenshot kept in output/test-artefacts/ (or $NEWSCRAWL_TEST_ARTEFACTS).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl import settings as project_settings
from newscrawl.dataset.reports import ReportFile
from newscrawl.items import utc_stamp
from newscrawl.mirror.server import running_mirror
from newscrawl.monitoring.board import Run, board, parse_since, table
from newscrawl.monitoring.board_html import page
from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.sites.profiles import PROFILES
from newscrawl.state.drift import DriftHistory, RunCounts
from newscrawl.state.sqlite import StateStore
from tests.conftest import MIRROR_SETTINGS, ROOT, run
from tests.redis_helpers import free_port

CHROMIUM = shutil.which("chromium")
ARTEFACTS = Path(os.environ.get("NEWSCRAWL_TEST_ARTEFACTS") or ROOT / "output" / "test-artefacts")


def crawl_into(output: Path, site: str, base_url: str, *settings: str) -> int:
    command = ["-m", "scrapy", "crawl", site, "-a", f"base_url={base_url}"]
    for setting in (*MIRROR_SETTINGS, f"OUTPUT_DIR={output}", *settings):
        command += ["-s", setting]
    return run(*command, cwd=output.parent, timeout=300).returncode


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    """An OUTPUT_DIR (its state inside it) after a good asriran run and a tabnak run that found no site."""
    output = tmp_path_factory.mktemp("board") / "output"
    output.mkdir()
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        assert crawl_into(output, "asriran", mirror.base_url) == 0
    assert crawl_into(output, "tabnak", f"http://127.0.0.1:{free_port()}", "RETRY_TIMES=1") == 4
    return output


def settings_for(output: Path) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings)
    settings.set("OUTPUT_DIR", str(output))
    settings.set("STATE_DIR", str(output / "state"))
    return settings


def report_of(output: Path, site: str) -> Path:
    [report] = (output / site).glob("*/*.report.json")
    return report


def write_report(output: Path, template: Path, site: str, started: datetime, outcome: dict | None = None,
                 mode: str = "rss") -> Path:
    """The template report as a run of `site` in `mode` that started at `started`, with these outcome
    causes (None: the template's)."""
    from newscrawl import exit_codes
    from newscrawl import stats as stat

    report = json.loads(template.read_text(encoding="utf-8"))
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{mode}-{abs(hash(site)) % 0xFFFFFF:06x}"
    outcome = report["outcome"] if outcome is None else outcome
    report.update(spider=site, run_id=run_id, outcome=outcome, mode=mode)
    stats = {k: v for k, v in report["stats"].items() if not k.startswith(stat.OUTCOME.prefix)}
    stats.update({stat.OUTCOME(c): d for c, d in outcome.items()}, start_time=utc_stamp(started))
    report["stats"], report["exit_code"] = stats, exit_codes.exit_code(stats)
    path = output / site / f"{started:%Y-%m-%d}" / f"{run_id}.report.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return path


def add_articles(output: Path, site: str, per_day: list[int], now: datetime) -> None:
    """Articles first written on the days before now (oldest first, the last one today)."""
    store = StateStore(output / "state" / "state.sqlite3")
    news_id = 1000
    try:
        for back, count in enumerate(reversed(per_day)):
            ids = list(range(news_id, news_id + count))
            news_id += count
            store.record([{"site": site, "news_id": i, "url": f"https://example.ir/fa/news/{i}"} for i in ids])
            day = utc_stamp(now - timedelta(days=back))
            store.db.executemany("UPDATE articles SET first_seen=? WHERE site=? AND news_id=?",
                                 [(day, site, i) for i in ids])
    finally:
        store.close()


# -- the table from two real runs --------------------------------------------------------------------

def test_the_board_of_two_real_runs_puts_the_failed_site_first_with_its_cause_and_real_figures(crawled):
    now = datetime.now(UTC)
    failed, good = board(settings_for(crawled), now=now)
    assert failed.site == "tabnak" and failed.last.exit_code == 4
    [why] = failed.attention  # the cause in a person's words, with the host that failed
    assert re.fullmatch(r"last run failed: exit 4 UNREACHABLE: every listing request failed: "
                        r"connection refused \(127\.0\.0\.1:\d+\)", why), why
    assert good.site == "asriran" and good.attention == []
    assert (good.last.mode, good.last.written, good.last.exit_code, good.last.outcome) == ("rss", 16, 0, "ok")
    assert good.articles_day == good.articles_week == 16
    assert good.per_day[-1] == (f"{now:%Y-%m-%d}", 16) and sum(n for _, n in good.per_day) == 16
    assert len(good.per_day) == 14
    # the shares and sources of the run's 19 articles (3 of them quarantined)
    assert good.seen == 19 and good.empty_share["body"] == pytest.approx(1 / 19)
    assert good.empty_share["title"] == 0 and good.empty_share["lead_image"] == pytest.approx(6 / 19)
    assert good.sources == {"date": {"toolbar": 18}, "id": {"toolbar": 19}}
    assert good.bad == {"quarantined": 3, "missing": 2}
    assert {news_id for news_id, _, _ in good.bad_shown} == {1150500, 1150501, 1150502}
    assert good.drift == "too few to judge (19 of 20 articles in 72 h)" and not good.drifting

    text = table([failed, good], now).splitlines()
    assert text[1].startswith("! tabnak ") and "4 UNREACHABLE" in text[1]
    assert text[2] == f"    ↳ {why}"
    assert text[3].startswith("  asriran ") and " 16     16 " in text[3] and "toolbar 100%" in text[3]
    assert text[-1] == "2 sites, 1 need a person (marked !, first)"


def test_the_board_command_prints_the_table_and_writes_the_page(crawled, tmp_path):
    result = run("-m", "newscrawl", "board", "--output-dir", str(crawled))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("! tabnak ") and lines[3].startswith("  asriran ")
    only = run("-m", "newscrawl", "board", "--output-dir", str(crawled), "--sites", "asriran")
    assert only.stdout.splitlines()[1].startswith("  asriran ") and "tabnak" not in only.stdout

    html = tmp_path / "board.html"
    result = run("-m", "newscrawl", "board", "-s", f"OUTPUT_DIR={crawled}", "--html", str(html))
    assert result.returncode == 0 and result.stdout.strip() == f"{html}: 2 sites, 1 need a person"
    text = html.read_text(encoding="utf-8")
    assert text.index('data-site="tabnak"') < text.index('data-site="asriran"')
    # self-contained: nothing fetched, no script; the Persian name marked as Persian
    assert not re.search(r"<script|<link|@import|url\(|\b(?:src|href)=", text)
    assert '<span class="fa" lang="fa" dir="rtl">عصر ایران</span>' in text and '<meta charset="utf-8">' in text
    assert text.count('<svg class="chart"') == 2


def test_bad_arguments_and_an_empty_output_dir_are_one_line(tmp_path):
    missing = run("-m", "newscrawl", "board", "--output-dir", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr == f"newscrawl board: no folder {tmp_path / 'nowhere'} (OUTPUT_DIR; give --output-dir)\n"
    bad = run("-m", "newscrawl", "board", "-s", "OUTPUT_DIR")
    assert bad.returncode == 2 and bad.stderr == "newscrawl board: -s 'OUTPUT_DIR': give NAME=VALUE\n"
    empty = run("-m", "newscrawl", "board", "--output-dir", str(tmp_path))
    assert empty.returncode == 0 and empty.stdout == ""
    assert empty.stderr == f"newscrawl board: no run reports and no state under {tmp_path}: no site has run yet\n"
    assert list(tmp_path.iterdir()) == []  # nothing created (no state store)
    since = run("-m", "newscrawl", "runs", "--since", "soon", "--output-dir", str(tmp_path))
    assert since.returncode == 2
    assert since.stderr == ("newscrawl runs: --since 'soon': give a span (30m, 6h, 1d, 2w) or a UTC date "
                            "(2026-12-01)\n")


def test_runs_whose_state_store_is_elsewhere_say_so_not_no_runs(crawled, tmp_path):
    # `python -m newscrawl demo` keeps its state in a folder of its own: its reports alone are here
    output = tmp_path / "output"
    write_report(output, report_of(crawled, "asriran"), "asriran", datetime.now(UTC) - timedelta(minutes=5))
    [health] = board(settings_for(output))
    assert health.last is not None and health.drift == "no state store"
    # in the page too, dim as the other verdicts of nothing judged, not green
    assert '<td class="dim" title="no state store"><bdi dir="auto">no state store</bdi></td>' in page(
        [health], datetime.now(UTC), tmp_path)


def test_a_failed_runs_cause_names_what_its_first_page_got_in_a_persons_words_and_the_host():
    refused = {"reason": "the site refused the listing",
               "pages": {f"https://www.tabnak.ir/fa/rss/{feed}": "403 Forbidden" for feed in ("allnews", "1", "2")}}
    dns = {"reason": "every listing request failed",
           "pages": {"https://www.yjc.ir/fa/rss/allnews":
                     "DNSLookupError: DNS lookup failed: no results for www.yjc.ir."}}
    runs = {}
    for site, cause, detail in (("tabnak", "refused", refused), ("yjc", "unreachable", dns),
                                ("asriran", "drift", {"reason": "body empty on 100% of articles", "pages": {}})):
        report = {"spider": site, "exit_code": 5, "outcome": {cause: detail}, "stats": {}}
        runs[site] = Run.of(ReportFile(Path("r.report.json"), datetime.now(UTC), site), report).outcome
    assert runs["tabnak"] == "the site refused the listing: 403 Forbidden (www.tabnak.ir, and 2 more pages)"
    assert runs["yjc"] == "every listing request failed: DNS lookup failed (www.yjc.ir)"
    assert runs["asriran"] == "body empty on 100% of articles"


def test_an_unknown_site_in_sites_is_one_line_and_all_is_every_site(crawled):
    for command in ("board", "runs"):
        typo = run("-m", "newscrawl", command, "--output-dir", str(crawled), "--sites", "asriran,tabnk")
        assert typo.returncode == 2 and typo.stdout == ""
        assert typo.stderr == (f"newscrawl {command}: --sites: unknown site tabnk; `python -m newscrawl sites` "
                               "lists them, or give --sites all\n")
    every = run("-m", "newscrawl", "board", "--output-dir", str(crawled), "--sites", "all")
    assert every.returncode == 0 and every.stdout.splitlines()[-1] == "2 sites, 1 need a person (marked !, first)"


# -- the runs listing --------------------------------------------------------------------------------

def test_runs_lists_the_runs_since_a_time_newest_first(crawled):
    result = run("-m", "newscrawl", "runs", "--since", "1d", "--output-dir", str(crawled))
    assert result.returncode == 0, result.stderr
    header, tabnak, cause, asriran, total = result.stdout.splitlines()
    assert header.split()[:4] == ["SITE", "MODE", "STARTED", "(UTC)"]
    assert tabnak.split()[:2] == ["tabnak", "rss"] and " 4 UNREACHABLE " in tabnak
    assert tabnak.split()[-1] == str(report_of(crawled, "tabnak"))
    assert re.fullmatch(r"    ↳ exit 4 UNREACHABLE: every listing request failed: connection refused "
                        r"\(127\.0\.0\.1:\d+\)", cause), cause
    fields = asriran.split()
    assert fields[:2] == ["asriran", "rss"] and fields[5:] == ["ok", "16", "3", str(report_of(crawled, "asriran"))]
    assert total == "2 runs since " + total.split("since ")[1] and total.endswith("UTC, 1 failed")
    only = run("-m", "newscrawl", "runs", "--since", "2w", "--sites", "asriran", "--output-dir", str(crawled))
    assert [line.split()[0] for line in only.stdout.splitlines()[1:-1]] == ["asriran"]
    later = run("-m", "newscrawl", "runs", "--since", f"{datetime.now(UTC) + timedelta(days=1):%Y-%m-%d}",
                "--output-dir", str(crawled))
    assert later.returncode == 0 and later.stdout == "" and "no run under" in later.stderr


def test_since_takes_spans_and_dates():
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert parse_since("6h", now) == datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
    assert parse_since("1d", now) == datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    assert parse_since("2w", now) == datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert parse_since("30m", now) == datetime(2026, 12, 5, 11, 30, tzinfo=UTC)
    assert parse_since("2026-12-01", now) == datetime(2026, 12, 1, tzinfo=UTC)
    assert parse_since("2026-12-01T08:00:00Z", now) == datetime(2026, 12, 1, 8, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_since("1y", now)


# -- who needs a person first ------------------------------------------------------------------------

def test_a_later_run_of_saved_pages_does_not_hide_a_failed_crawl_of_the_site(crawled, tmp_path):
    """A site is judged on its last run that asked the site (not a `mode=files` replay of saved pages,
    which says nothing of whether the site answers); a site with only replays is judged on them."""
    output, now = tmp_path / "output", datetime.now(UTC)
    good = report_of(crawled, "asriran")
    write_report(output, good, "tabnak", now - timedelta(minutes=30), {"refused": {"reason": "403", "pages": {}}})
    write_report(output, good, "tabnak", now - timedelta(minutes=5), {}, mode="files")
    write_report(output, good, "yjc", now - timedelta(minutes=5), {}, mode="files")
    healths = {h.site: h for h in board(settings_for(output), now=now)}
    assert healths["tabnak"].last.mode == "rss"
    assert healths["tabnak"].attention == ["last run failed: exit 5 REFUSED: 403"]
    assert healths["yjc"].last.mode == "files" and healths["yjc"].attention == []


def test_sites_that_need_a_person_come_first_most_serious_first(crawled, tmp_path):
    output, now = tmp_path / "output", datetime.now(UTC)
    good, unreachable = report_of(crawled, "asriran"), report_of(crawled, "tabnak")
    recent = now - timedelta(minutes=5)
    write_report(output, good, "aftabnews", recent)                       # fine
    write_report(output, good, "ana", now - timedelta(hours=30))          # no run for 30 h
    write_report(output, good, "asriran", recent, {"drift": {"reason": "body empty on 100% of articles",
                                                             "pages": {}}})
    write_report(output, good, "tabnak", recent, {"refused": {"reason": "robots.txt forbids", "pages": {}}})
    write_report(output, unreachable, "yjc", recent)                      # its outcome as the real run's
    write_report(output, good, "snn", recent)                             # many quarantined pages
    write_report(output, good, "khabaronline", recent)                    # the drift window over its limit
    store = StateStore(output / "state" / "state.sqlite3")
    for news_id in range(12):
        store.record_bad("snn", news_id, "quarantined", "body: the page has no div.body")
    store.record_bad("aftabnews", 1, "missing", "404")  # a deleted article: no reason to look
    store.close()
    history = DriftHistory(output / "state" / "state.sqlite3")
    history.add("khabaronline", RunCounts("r1", 30, {"title": 0, "body": 12, "published_at": 0}))
    history.add("aftabnews", RunCounts("r2", 25, {"title": 0, "body": 1, "published_at": 0}))
    history.close()

    healths = board(settings_for(output), now=now)
    assert [h.site for h in healths] == ["tabnak", "yjc", "asriran", "khabaronline", "snn", "ana", "aftabnews"]
    reasons = {h.site: h.attention for h in healths}
    assert reasons["tabnak"] == ["last run failed: exit 5 REFUSED: robots.txt forbids"]
    assert [re.sub(r":\d+\)", ":P)", why) for why in reasons["yjc"]] == [
        "last run failed: exit 4 UNREACHABLE: every listing request failed: connection refused (127.0.0.1:P)"]
    assert reasons["asriran"] == ["last run failed: exit 3 DRIFT: body empty on 100% of articles"]
    assert reasons["khabaronline"] == ["drift: body empty on 40% (the last run: 30 articles)"]
    assert reasons["snn"] == ["12 pages quarantined in the last week"]
    assert reasons["ana"] == ["no run for 30 h"]
    assert reasons["aftabnews"] == [] and healths[-1].bad == {"missing": 1}
    assert healths[-1].drift == "ok (the last run: 25 articles)" and not healths[-1].drifting
    assert healths[2].drift == "ALARM: body empty on 100% of articles" and healths[2].drifting


# -- the page at a hundred sites, in a real browser ----------------------------------------------------

def hundred_sites(crawled: Path, output: Path, now: datetime) -> list[str]:
    """A hundred sites' last runs (two of them the real ones, the rest made from them) and two weeks
    of articles per day; 4 sites failing, 1 drifting. Returns the sites, the most serious first."""
    shutil.copytree(crawled, output)
    good = report_of(output, "asriran")
    names = [n for n in sorted(PROFILES) if n not in ("asriran", "tabnak")][:98]
    for i, name in enumerate(names):
        outcome = ({"refused": {"reason": "403 from every article page", "pages": {}}} if name == names[40] else
                   {"drift": {"reason": "body empty on 100% of articles", "pages": {}}} if name in names[60:62] else
                   {})
        write_report(output, good, name, now - timedelta(minutes=3 + i % 9), outcome)
        add_articles(output, name, [(i * 7 + d * 5) % 40 for d in range(14)], now)
    add_articles(output, "tabnak", [30] * 13 + [0], now)
    return [names[40], "tabnak", *sorted(names[60:62])]


class Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self.charts = 0

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "tr" and "data-site" in found:
            self.rows.append((found["data-site"], found.get("class", "")))
        if tag == "svg" and found.get("class") == "chart":
            self.charts += 1


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def hundred(crawled, tmp_path_factory) -> tuple[Path, datetime, list[str]]:
    now = datetime.now(UTC)
    output = tmp_path_factory.mktemp("hundred") / "output"
    return output, now, hundred_sites(crawled, output, now)


def test_the_table_of_a_hundred_sites_is_one_line_a_site_the_failing_ones_first(hundred):
    output, now, first = hundred
    lines = table(board(settings_for(output), now=now), now, width=150).splitlines()
    assert len(lines) == 1 + 100 + 4 + 1 and all(len(line) <= 150 for line in lines)
    assert [line.split()[1] for line in lines if line.startswith("! ")] == first
    assert lines[1].startswith(f"! {first[0]} ") and " 5 REFUSED " in lines[1]
    assert lines[2] == "    ↳ last run failed: exit 5 REFUSED: 403 from every article page"
    assert lines[-1] == "100 sites, 4 need a person (marked !, first)"


def need_chromium() -> None:
    """Skip without chromium on a developer's machine; fail in CI (.ci/run installs it)."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")


def test_without_chromium_the_browser_test_skips_but_fails_in_ci(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        need_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        need_chromium()


def test_the_page_renders_in_a_real_browser_at_a_hundred_sites(hundred, tmp_path):
    need_chromium()
    output, now, first = hundred
    html = tmp_path / "board.html"
    html.write_text(page(board(settings_for(output), now=now), now, output), encoding="utf-8")

    dumped = chromium(tmp_path, "--dump-dom", html.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    rows = Rows()
    rows.feed(dumped.stdout)
    assert len(rows.rows) == 100 and rows.charts == 100
    assert [site for site, _ in rows.rows[:4]] == first
    assert [kind for _, kind in rows.rows] == ["attention"] * 4 + ["ok"] * 96
    assert "<bdi dir=\"auto\">403 from every article page</bdi>" in dumped.stdout
    # the Persian names reach the DOM as Persian (UTF-8 read as such), marked right to left
    assert '<span class="fa" lang="fa" dir="rtl">عصر ایران</span>' in dumped.stdout
    assert '<span class="fa" lang="fa" dir="rtl">تابناک</span>' in dumped.stdout

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTEFACTS / "board.png"
    screenshot.unlink(missing_ok=True)
    shot = chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1400,2000", "--hide-scrollbars",
                    html.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 2000)
    shutil.copy(html, ARTEFACTS / "board.html")


def test_the_state_store_counts_articles_per_hour_and_lists_bad_pages(tmp_path):
    now = datetime.now(UTC)
    add_articles(tmp_path, "asriran", [2, 0, 3], now)  # 2 the day before yesterday, 3 today
    store = StateStore(tmp_path / "state" / "state.sqlite3")
    store.record_bad("asriran", 7, "missing", "404")
    store.db.execute("UPDATE bad_pages SET last_tried=?", (utc_stamp(now - timedelta(days=9)),))
    store.record_bad("asriran", 8, "quarantined", "body")
    try:
        assert store.articles_per_hour(utc_stamp(now - timedelta(days=1))) == {"asriran": {f"{now:%Y-%m-%dT%H}": 3}}
        assert store.articles_per_hour(utc_stamp(now - timedelta(days=3))) == {
            "asriran": {f"{now - timedelta(days=2):%Y-%m-%dT%H}": 2, f"{now:%Y-%m-%dT%H}": 3}}
        [(site, news_id, outcome, reason, _)] = store.bad_pages(utc_stamp(now - timedelta(days=7)))
        assert (site, news_id, outcome, reason) == ("asriran", 8, "quarantined", "body")
    finally:
        store.close()


def test_the_redis_store_keeps_the_same_contract(redis_server):
    from newscrawl.distributed import CrawlKeys
    from newscrawl.distributed.state import RedisStateStore

    store = RedisStateStore(redis_server.client(), CrawlKeys("family"), "family")
    since = utc_stamp(datetime.now(UTC) - timedelta(minutes=1))
    store.record([{"site": "asriran", "news_id": i, "url": f"https://example.ir/fa/news/{i}"} for i in (1, 2)])
    store.record([{"site": "tabnak", "news_id": 5, "url": "https://example.ir/fa/news/5"}])
    store.record_bad("tabnak", 9, "quarantined", "body: the page has no div.body")
    hour = f"{datetime.now(UTC):%Y-%m-%dT%H}"
    assert store.articles_per_hour(since) == {"asriran": {hour: 2}, "tabnak": {hour: 1}}
    assert store.articles_per_hour(utc_stamp(datetime.now(UTC) + timedelta(minutes=1))) == {}
    [(site, news_id, outcome, reason, tried)] = store.bad_pages(since)
    assert (site, news_id, outcome, reason) == ("tabnak", 9, "quarantined", "body: the page has no div.body")
    assert tried >= since and store.bad_pages(utc_stamp(datetime.now(UTC) + timedelta(minutes=1))) == []
