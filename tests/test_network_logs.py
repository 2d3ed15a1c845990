"""Expected network failures are one line each (issue 19): a refused connection, a timeout, a DNS
failure, robots.txt that cannot be fetched: the host and the cause, never a traceback (Scrapy's
RobotsTxtMiddleware logs one at ERROR), and the run summary still says first why the run failed.
Only 127.0.0.1 is ever asked."""

from __future__ import annotations

import logging
import re
import socket

from scrapy import Request
from scrapy.exceptions import CannotResolveHostError

from newscrawl.logs import _OneLineNetworkFailure
from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import synthesize
from tests.conftest import run, scheduled_command

STAMPED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[\w.]+\] (DEBUG|INFO|WARNING|ERROR|CRITICAL): ")
FAST = ("RETRY_TIMES=1", "RETRY_BACKOFF_BASE=0.05", "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False")


def closed_port() -> int:
    """A port of 127.0.0.1 where nothing listens: every connection is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def problems(log: str) -> list[str]:
    """The WARNING and ERROR lines, without their time stamps."""
    return [line.split("] ", 1)[1] for line in log.splitlines()
            if STAMPED.match(line) and re.search(r"\] (WARNING|ERROR): ", line)]


def summary_lines(log: str) -> list[str]:
    lines = log.splitlines()
    start = next(i for i, line in enumerate(lines) if "RUN FAILED" in line)
    return lines[start:]


def test_a_refused_site_logs_one_line_per_failure_and_no_traceback(tmp_path):
    port = closed_port()
    base = f"http://127.0.0.1:{port}"
    result = run(*scheduled_command(tmp_path, f"base_url={base}", settings=FAST), cwd=tmp_path)
    log = result.stderr
    assert result.returncode == 4, log[-3000:]
    assert "Traceback" not in log and "Gave up retrying" not in log
    assert problems(log) == [
        f"WARNING: robots.txt of 127.0.0.1:{port} could not be fetched (connection refused: "
        "DownloadConnectionRefusedError): crawling as if it allowed everything",
        f"ERROR: Failed {base}/fa/rss/allnews: DownloadConnectionRefusedError: Connection was refused by "
        "other side: 111: Connection refused.",
        "ERROR: Monitor failed: Run outcome — exit code 4: unreachable: every listing request failed",
        "ERROR: RUN FAILED (exit 4): the site could not be reached: every listing request failed",
    ]
    # every line is a log record's first line, or the summary's own continuation lines
    summary = summary_lines(log)
    assert all(STAMPED.match(line) for line in log.splitlines()[: -len(summary)] if not line.startswith("["))
    assert summary[1] == f"  {base}/fa/rss/allnews: DownloadConnectionRefusedError: Connection was refused " \
                         "by other side: 111: Connection refused."
    assert summary[-1].startswith("  report: ")


def test_a_site_that_times_out_logs_one_line_per_failure(tmp_path):
    site = tmp_path / "site"
    synthesize(site, 3, seed=2)
    faults = {"/robots.txt": {"delay": 3}, "/fa/rss/allnews": {"delay": 3}}
    with running_mirror(site, faults=faults) as mirror:
        result = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}",
                                        settings=(*FAST, "RETRY_TIMES=0", "DOWNLOAD_TIMEOUT=1")), cwd=tmp_path)
        host = mirror.base_url.removeprefix("http://")
    log = result.stderr
    assert result.returncode == 4, log[-3000:]
    assert "Traceback" not in log
    assert problems(log)[:2] == [
        f"WARNING: robots.txt of {host} could not be fetched (timed out: DownloadTimeoutError): crawling as if it "
        "allowed everything",
        f"ERROR: Failed http://{host}/fa/rss/allnews: DownloadTimeoutError: Getting http://{host}/fa/rss/allnews "
        "took longer than 1.0 seconds.",
    ]


def _record(name: str, error: BaseException, url: str) -> logging.LogRecord:
    try:
        raise error
    except BaseException:
        import sys
        exc_info = sys.exc_info()
    record = logging.LogRecord(name, logging.ERROR, __file__, 1, "Error downloading %(request)s: %(f_exception)s",
                               None, exc_info)
    record.args = {"request": Request(url), "f_exception": error}
    return record


def test_a_dns_failure_and_a_failed_request_without_errback_are_one_line_and_a_bug_keeps_its_traceback():
    """No name is looked up here: the records are the ones Scrapy logs."""
    one_line = _OneLineNetworkFailure()
    robots = _record("scrapy.downloadermiddlewares.robotstxt", CannotResolveHostError("no such host"),
                     "https://www.example.ir/fa/rss/allnews")
    assert one_line.filter(robots) and robots.exc_info is None
    assert (robots.levelname, robots.getMessage()) == (
        "WARNING", "robots.txt of www.example.ir could not be fetched (DNS lookup failed: CannotResolveHostError): "
                   "crawling as if it allowed everything")
    scraper = _record("scrapy.core.scraper", CannotResolveHostError("no such host"), "https://www.example.ir/x")
    assert one_line.filter(scraper) and scraper.exc_info is None
    assert (scraper.levelname, scraper.getMessage()) == (
        "ERROR", "Failed https://www.example.ir/x: DNS lookup failed: CannotResolveHostError (www.example.ir)")
    bug = _record("scrapy.core.scraper", KeyError("oops"), "https://www.example.ir/x")
    assert one_line.filter(bug) and bug.exc_info is not None  # not a network failure: the traceback stays
