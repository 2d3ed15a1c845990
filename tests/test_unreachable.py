"""A site that cannot be reached is exit code 4, never a quiet night: every listing request failed
(mode=rss: every feed; mode=archive: the first page), or no article request was answered. The report
and the first lines of the summary name the cause, the URLs and what came back."""

import json
import socket

from newscrawl import exit_codes
from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import crawl

FIXTURES = FIXTURES_DIR / "asriran"
UNREACHABLE = "newscrawl/outcome/unreachable"
LISTING_INCOMPLETE = exit_codes.LISTING_INCOMPLETE


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens: every connection is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def summary(result) -> list[str]:
    """The one-screen summary's lines, from its first line to the report path."""
    lines = result.log.splitlines()
    start = next(i for i, line in enumerate(lines) if "[newscrawl.extensions.run_report]" in line)
    return [lines[start].split("] ", 1)[1].split(": ", 1)[1], *lines[start + 1:start + 12]]


def test_refused_connections_on_the_feed_are_exit_4(tmp_path):
    base = closed_port_url()
    result = crawl(tmp_path, f"base_url={base}", settings=("RETRY_TIMES=1",))
    assert result.returncode == 4
    feed = f"{base}/fa/rss/allnews"
    assert result.stats[UNREACHABLE] == {
        "reason": "every listing request failed",
        "pages": {feed: "DownloadConnectionRefusedError: Connection was refused by other side: 111: "
                        "Connection refused."}}
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["exit_code"] == 4 and list(report["outcome"]) == ["unreachable"]
    first, url_line = summary(result)[:2]
    assert first == "RUN FAILED (exit 4): the site could not be reached: every listing request failed"
    assert url_line.startswith(f"  {feed}: DownloadConnectionRefusedError")


def test_an_archive_whose_first_page_never_comes_is_exit_4(tmp_path):
    with running_mirror(FIXTURES, faults={"/fa/archive": {"status": 503}}) as mirror:
        result = crawl(tmp_path, "mode=archive", f"base_url={mirror.base_url}", settings=("RETRY_TIMES=1",))
        hits = mirror.faults.hits["/fa/archive"]
    assert result.returncode == 4 and hits == 2  # retried first
    [(url, answer)] = result.stats[UNREACHABLE]["pages"].items()
    assert "/fa/archive?" in url and "p=1" in url and answer == "503 Service Unavailable"


def test_ids_mode_against_a_site_that_is_down_is_exit_4(tmp_path):
    result = crawl(tmp_path, "mode=ids", "ids=917512,862177", f"base_url={closed_port_url()}",
                   settings=("RETRY_TIMES=0",))
    assert result.returncode == 4
    assert result.stats[UNREACHABLE]["reason"] == "none of 2 article requests was answered"
    assert len(result.stats["newscrawl/failed_pages"]) == 2


def test_a_site_that_goes_down_after_the_feed_is_exit_4(tmp_path):
    with running_mirror(FIXTURES, faults={"/fa/news/*": {"reset": True}}) as mirror:
        result = crawl(tmp_path, f"base_url={mirror.base_url}", settings=("RETRY_TIMES=0",))
    assert result.returncode == 4
    detail = result.stats[UNREACHABLE]
    assert detail["reason"].startswith("none of ") and detail["reason"].endswith(" article requests was answered")
    assert result.items == [] and "newscrawl/missing" not in result.stats  # asked again next run


def test_one_feed_of_several_failing_is_an_incomplete_listing_not_an_unreachable_site(tmp_path):
    with running_mirror(FIXTURES, faults={"/fa/rss/1/1": {"status": 503}}) as mirror:
        result = crawl(tmp_path, "feeds=1/1", f"base_url={mirror.base_url}", settings=("RETRY_TIMES=0",))
        feed = f"{mirror.base_url}/fa/rss/1/1"
    assert result.returncode == LISTING_INCOMPLETE, result.log[-2000:]
    assert list(result.stats["newscrawl/outcome/listing_incomplete"]["pages"]) == [feed]
    assert result.stats["newscrawl/failed_pages"] == {feed: "HttpError: HTTP 503"}
    assert result.items and UNREACHABLE not in result.stats


def test_a_later_archive_page_failing_is_an_incomplete_listing_and_the_walk_stop_is_logged(tmp_path):
    with running_mirror(FIXTURES, faults={"/fa/archive?*&p=2": {"status": 503}}) as mirror:
        result = crawl(tmp_path, "mode=archive", f"base_url={mirror.base_url}", settings=("RETRY_TIMES=0",))
    assert result.returncode == LISTING_INCOMPLETE and UNREACHABLE not in result.stats
    [(url, why)] = result.stats["newscrawl/failed_pages"].items()
    assert url.endswith("&p=2") and why == "HttpError: HTTP 503"
    assert f"The archive walk stops at {url}" in result.log
    assert result.stats["newscrawl/archive_pages"] == 1 and result.items  # page 1's articles are written
