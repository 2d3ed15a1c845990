"""A non-2xx body already archived in the same WARC file (an ids backfill's not-found page, again and
again) is kept as a WARC 1.1 revisit record (identical-payload-digest) instead of a full response
record; 2xx pages never are; the bodies remembered are bounded; WARC_REVISITS=False turns it off; every
reader (warcio with digests raised, FastWARC, read_responses, recovery, reparse) reads such archives."""

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from newscrawl import stats as stat
from newscrawl.extensions.warc_archive import WarcArchive
from newscrawl.mirror.server import running_mirror
from newscrawl.output.warc import REVISIT_BODIES, WarcFile, read_responses, recover_archives
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import read_jsonl, run, run_files, scheduled_command

FIXTURES = FIXTURES_DIR / "asriran"
NOT_FOUND = (FIXTURES / "404.html").read_bytes()  # the CMS's not-found page, 148 KB
PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
START = datetime(2026, 1, 2, tzinfo=UTC)


def _sha1_b32(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def _exchange(archive, news_id, body=NOT_FOUND, status=404, seconds=0):
    archive.write_exchange(target_uri=f"https://www.asriran.com/fa/news/{news_id}",
                           fetched_from=f"http://127.0.0.1:1/fa/news/{news_id}",
                           when=START + timedelta(seconds=seconds), method="GET", request_headers={},
                           status=status, response_headers={b"Content-Type": [b"text/html; charset=utf-8"]},
                           body=body)


def _responses(path):
    """(WARC-Type, WARC headers, HTTP headers) of the response and revisit records, in order."""
    with open(path, "rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers) for r in ArchiveIterator(stream)
                if r.rec_type in ("response", "revisit")]


def test_identical_404s_are_one_full_record_then_revisits_of_it_that_warcio_and_fastwarc_read(tmp_path):
    from fastwarc.warc import ArchiveIterator as FastIterator  # a second WARC reader, not built on warcio

    path = tmp_path / "run.warc.gz"
    archive = WarcFile(path, info={"software": "test"})
    for news_id in range(1, 7):
        _exchange(archive, news_id, seconds=news_id)
    assert archive.revisits == 5 and archive.records == 6
    archive.close()
    records = _responses(path)
    assert [r[0] for r in records] == ["response"] + ["revisit"] * 5
    first = records[0][1]
    assert first.get_header("WARC-Payload-Digest") == _sha1_b32(NOT_FOUND)
    for news_id, (_, headers, http) in enumerate(records[1:], start=2):
        assert headers.protocol == "WARC/1.1"
        assert headers.get_header("WARC-Target-URI") == f"https://www.asriran.com/fa/news/{news_id}"
        assert headers.get_header("WARC-Date") == f"2026-01-02T00:00:0{news_id}.000000Z"
        assert headers.get_header("Newscrawl-Fetched-From") == f"http://127.0.0.1:1/fa/news/{news_id}"
        assert headers.get_header("WARC-Profile") == PROFILE
        assert headers.get_header("WARC-Refers-To-Target-URI") == "https://www.asriran.com/fa/news/1"
        refers_to_date = headers.get_header("WARC-Refers-To-Date")
        assert refers_to_date == first.get_header("WARC-Date") == "2026-01-02T00:00:01.000000Z"
        assert headers.get_header("WARC-Refers-To") == first.get_header("WARC-Record-ID")
        assert headers.get_header("WARC-Payload-Digest") == first.get_header("WARC-Payload-Digest")
        assert headers.get_header("Content-Type") == "application/http; msgtype=response"
        # the block is the status line and headers only; the Content-Length they carry is the body's
        assert http.get_statuscode() == "404" and http.get_header("Content-Length") == str(len(NOT_FOUND))
        assert int(headers.get_header("Content-Length")) == len(http.to_bytes())
        assert headers.get_header("WARC-Block-Digest") == _sha1_b32(http.to_bytes())
    with open(path, "rb") as stream:  # warcio, raising at any digest that does not match
        kinds = []
        for record in ArchiveIterator(stream, check_digests="raise"):
            record.content_stream().read()
            kinds.append((record.rec_type, record.digest_checker.passed))
    # (warcio does not check a revisit's digests: its payload is elsewhere)
    assert kinds == [("warcinfo", True), ("response", True), ("request", True),
                     *[("revisit", None), ("request", True)] * 5]
    with open(path, "rb") as stream:  # FastWARC (Rust): its own gzip, parsing and block digest
        seen = []
        for record in FastIterator(stream, parse_http=False):
            block = record.verify_block_digest(consume=False)
            record.parse_http()
            seen.append((record.headers["WARC-Type"], block, record.http_headers.status_code
                         if record.headers["WARC-Type"] != "warcinfo" and record.http_headers.status_code else None,
                         record.headers.get("WARC-Refers-To-Target-URI")))
    assert seen == [("warcinfo", True, None, None), ("response", True, 404, None), ("request", True, None, None),
                    *[("revisit", True, 404, "https://www.asriran.com/fa/news/1"), ("request", True, None, None)] * 5]
    # read_responses gives the revisits too, without a body, saying whose body it is
    read = [(r.target_uri.rsplit("/", 1)[1], r.status, len(r.body), r.revisit_of) for r in read_responses(path)]
    assert read == [("1", 404, len(NOT_FOUND), None),
                    *[(str(i), 404, 0, "https://www.asriran.com/fa/news/1") for i in range(2, 7)]]


def test_a_revisit_costs_a_few_hundred_bytes_of_archive_not_the_pages(tmp_path):
    sizes = {}
    for revisits in (REVISIT_BODIES, 0):
        path = tmp_path / f"r{revisits}.warc.gz"
        archive = WarcFile(path, revisits=revisits)
        for news_id in range(1, 101):
            _exchange(archive, news_id)
        archive.close()
        sizes[revisits] = path.stat().st_size
    full_page = sizes[0] / 100
    assert full_page > 20_000  # the not-found page deflated, every time
    assert sizes[REVISIT_BODIES] < full_page + 99 * 1_000  # once, then under 1 KB an id


def test_different_non_2xx_bodies_each_get_a_full_record_and_revisits_refer_to_their_own(tmp_path):
    path = tmp_path / "run.warc.gz"
    archive = WarcFile(path)
    other = NOT_FOUND.replace(b"</html>", b"<!-- other --></html>")
    same_length = NOT_FOUND[:-1] + b"!"  # as long as the page, one byte different
    for news_id, body, status in [(1, NOT_FOUND, 404), (2, other, 404), (3, same_length, 404), (4, other, 404),
                                  (5, NOT_FOUND, 404), (6, b"busy", 503), (7, b"busy", 503), (8, b"", 404),
                                  (9, b"", 404)]:
        _exchange(archive, news_id, body=body, status=status)
    archive.close()
    records = [(t, h.get_header("WARC-Refers-To-Target-URI")) for t, h, _ in _responses(path)]
    base = "https://www.asriran.com/fa/news/"
    assert records == [("response", None), ("response", None), ("response", None), ("revisit", base + "2"),
                       ("revisit", base + "1"), ("response", None), ("revisit", base + "6"),
                       ("response", None), ("response", None)]  # an empty body: nothing to save


def test_2xx_pages_never_become_revisits(tmp_path):
    path = tmp_path / "run.warc.gz"
    archive = WarcFile(path)
    _exchange(archive, 1, status=404)
    for news_id in (2, 3, 4):  # the same bytes, served 200 (and 203): articles are always whole
        _exchange(archive, news_id, status=200 if news_id < 4 else 203)
    _exchange(archive, 5, status=404)
    archive.close()
    assert [r[0] for r in _responses(path)] == ["response"] * 4 + ["revisit"]
    assert [len(r.body) for r in read_responses(path)] == [len(NOT_FOUND)] * 4 + [0]


def test_the_bodies_remembered_are_bounded_the_least_recently_used_forgotten(tmp_path):
    path = tmp_path / "run.warc.gz"
    archive = WarcFile(path, revisits=3)
    bodies = [NOT_FOUND + b"<!-- %d -->" % i for i in range(6)]
    kinds = []

    def write(i):
        _exchange(archive, len(kinds), body=bodies[i])
        kinds.append(archive.revisits)
        assert len(archive.archived) <= 3  # memory flat, whatever the crawl's size

    for i in (0, 1, 2, 0, 3):  # 0 is used again: 1 is the one forgotten when 3 comes
        write(i)
    write(0)
    write(1)  # forgotten: a full record again, remembered again
    write(1)
    for i in (2, 3, 4, 5, 0):  # more distinct bodies than remembered: each pushes the oldest out
        write(i)
    archive.close()
    types = [t for t, _, _ in _responses(path)]
    assert types == ["response", "response", "response", "revisit", "response", "revisit", "response",
                     "revisit", "response", "response", "response", "response", "response"]
    assert kinds[-1] == archive.revisits == 3
    assert [a.body for a in archive.archived] == [bodies[4], bodies[5], bodies[0]]


def test_a_killed_runs_archive_with_revisits_is_recovered_whole(tmp_path):
    path = tmp_path / "run.warc.gz"
    archive = WarcFile(path, info={"software": "test"})
    for news_id in (1, 2, 3):
        _exchange(archive, news_id)
    archive.file.write(b"\x1f\x8b\x08\x00half a gzip member")  # the run dies mid-record
    archive.file.close()
    assert recover_archives(tmp_path) == [path]
    assert [(r.target_uri[-1], r.revisit_of) for r in read_responses(path)] == [
        ("1", None), ("2", "https://www.asriran.com/fa/news/1"), ("3", "https://www.asriran.com/fa/news/1")]


@pytest.mark.parametrize("setting", [None, False])
def test_warc_revisits_false_keeps_every_response_whole(tmp_path, setting):
    settings = {"WARC_ENABLED": True, "WARC_PATH": str(tmp_path / "run.warc.gz")}
    if setting is not None:
        settings["WARC_REVISITS"] = setting
    crawler = get_crawler(Spider, settings)
    crawler.spider = spider = Spider(name="asriran")
    archive = WarcArchive.from_crawler(crawler)
    for news_id in range(1, 5):
        url = f"https://www.asriran.com/fa/news/{news_id}"
        archive.response_downloaded(HtmlResponse(url, status=404, body=NOT_FOUND), Request(url), spider)
    archive.spider_closed(spider, "finished")
    types = [t for t, _, _ in _responses(tmp_path / "run.warc.gz")]
    if setting is False:
        assert types == ["response"] * 4 and crawler.stats.get_value(stat.WARC_REVISITS) == 0
    else:
        assert types == ["response"] + ["revisit"] * 3 and crawler.stats.get_value(stat.WARC_REVISITS) == 3


def _crawl_and_reparse(workdir, *settings):
    """An ids crawl of the fixture mirror over ids it has and ids it answers 404 with its not-found
    page, then reparse of its archive: (records' types, the run's stats, reparse's summary, items)."""
    workdir.mkdir()
    with running_mirror(FIXTURES) as mirror:
        result = run(*scheduled_command(workdir, "mode=ids", "ids=1150482-1150502", f"base_url={mirror.base_url}",
                                        settings=settings), cwd=workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    [jsonl] = run_files(workdir)
    archive = jsonl.with_name(jsonl.name.replace(".jsonl", ".warc.gz"))
    report = json.loads(jsonl.with_name(jsonl.name.replace(".jsonl", ".report.json")).read_text())
    out = workdir / "again.jsonl"
    reparsed = run("-m", "newscrawl", "reparse", str(archive), "-O", str(out))
    assert reparsed.returncode == 0, reparsed.stderr
    items = {i["news_id"]: i for i in read_jsonl(out)}
    for item in items.values():
        item.pop("crawled_at")
    return [t for t, _, _ in _responses(archive)], report["stats"], json.loads(reparsed.stdout), items


def test_an_ids_crawl_archives_its_404s_once_and_reparse_gives_the_same_items_as_without_revisits(tmp_path):
    types, stats, summary, items = _crawl_and_reparse(tmp_path / "on")
    off_types, off_stats, off_summary, off_items = _crawl_and_reparse(tmp_path / "off", "WARC_REVISITS=False")
    assert stats["downloader/response_status_count/404"] == off_stats["downloader/response_status_count/404"] == 17
    assert types.count("revisit") == 16 == stats[stat.WARC_REVISITS]
    assert "revisit" not in off_types and off_stats[stat.WARC_REVISITS] == 0
    assert len(types) == len(off_types)
    assert items == off_items and list(items) == [1150486]
    summary.pop("output"), off_summary.pop("output")
    assert summary == off_summary and summary["status_404"] == 17 and summary["quarantined"] == 3


def test_reparse_counts_a_200_revisit_of_another_tools_archive_and_extracts_nothing_from_it(tmp_path):
    """Our crawls never write one, but a WARC from another tool may revisit a 200 page: no body, so no
    article (and no error); the page archived whole is re-extracted."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from newscrawl.replay.reparse import reparse

    page = (FIXTURES / "news" / "337590.html").read_bytes()
    path = tmp_path / "other.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        first = writer.create_warc_record("https://www.asriran.com/fa/news/337590", "response",
                                          payload=BytesIO(page), length=len(page), http_headers=http)
        writer.write_record(first)
        again = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_revisit_record(
            "https://www.asriran.com/fa/news/337590", first.rec_headers.get_header("WARC-Payload-Digest"),
            "https://www.asriran.com/fa/news/337590", first.rec_headers.get_header("WARC-Date"), http_headers=again))
    counts, damaged = reparse([path], tmp_path / "again.jsonl")
    assert not damaged and counts["responses"] == 2 and counts["articles"] == 1 and counts["revisits"] == 1
    assert [i["news_id"] for i in read_jsonl(tmp_path / "again.jsonl")] == [337590]
