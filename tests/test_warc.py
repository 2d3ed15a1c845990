"""Raw pages as WARC: every run archives what it fetched beside its output, a killed run's archive
still reads, and `reparse` re-extracts an archive (a crawl's or the fixtures') offline."""

import base64
import gzip
import hashlib
import json
import re
import time
import zlib
from datetime import UTC, datetime

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from newscrawl import stats as stat
from newscrawl.extensions.warc_archive import WarcArchive
from newscrawl.mirror.server import running_mirror
from newscrawl.output import warc
from newscrawl.output.warc import WarcFile, read_responses, recover_archives
from newscrawl.output.warc_writer import WarcWriterThread
from newscrawl.replay.fixtures import FIXTURES_DIR, REPLAY_CRAWLED_AT, fixture_pages, load_expected
from tests.conftest import read_jsonl, run, run_files, scheduled_command

FIXTURES = FIXTURES_DIR / "asriran"


@pytest.fixture(scope="module")
def archived_run(tmp_path_factory):
    """One scheduled archive-mode run of the fixture mirror: (workdir, run file, archive, mirror URL)."""
    workdir = tmp_path_factory.mktemp("warc-run")
    with running_mirror(FIXTURES) as mirror:
        result = run(*scheduled_command(workdir, "mode=archive", f"base_url={mirror.base_url}"), cwd=workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    [jsonl] = run_files(workdir)
    return workdir, jsonl, jsonl.with_name(jsonl.name.replace(".jsonl", ".warc.gz")), mirror.base_url


def records(path):
    with open(path, "rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
                for r in ArchiveIterator(stream)]


def test_a_run_archives_every_response_as_warc_1_1_pairs_at_the_real_sites_url(archived_run):
    workdir, jsonl, archive, mirror_url = archived_run
    assert archive.exists() and not list(workdir.rglob("*.part"))
    report = json.loads(jsonl.with_name(jsonl.name.replace(".jsonl", ".report.json")).read_text())
    recs = records(archive)
    assert recs[0][0] == "warcinfo"
    responses = [r for r in recs if r[0] == "response"]
    requests = {r[1].get_header("WARC-Concurrent-To"): r for r in recs if r[0] == "request"}
    assert len(responses) == report["stats"]["response_received_count"] == len(requests)
    assert all(r[1].protocol == "WARC/1.1" for r in recs)
    for _, headers, http, body in responses:
        target = headers.get_header("WARC-Target-URI")
        assert target.startswith("https://www.asriran.com/")
        assert headers.get_header("Newscrawl-Fetched-From") == mirror_url + target.removeprefix("https://www.asriran.com")
        request = requests[headers.get_header("WARC-Record-ID")]
        assert request[1].get_header("WARC-Target-URI") == target
        assert f"{request[2].protocol} {request[2].statusline}".startswith("GET /")
        assert int(http.get_header("Content-Length")) == len(body)
    by_target = {h.get_header("WARC-Target-URI"): body for _, h, _, body in responses}
    # the page bytes exactly as the mirror served them
    assert by_target["https://www.asriran.com/fa/news/337590"] == (FIXTURES / "news" / "337590.html").read_bytes()
    assert any("/fa/archive?" in t for t in by_target)  # listings too
    assert any(h.get_header("WARC-Target-URI").endswith("/fa/news/1150600") and http.get_statuscode() == "404"
               for _, h, http, _ in responses)


def test_reparse_of_a_runs_archive_gives_the_runs_articles(archived_run, tmp_path):
    _, jsonl, archive, _ = archived_run
    out = tmp_path / "again.jsonl"
    result = run("-m", "newscrawl", "reparse", str(archive), "-O", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    original = {i["news_id"]: i for i in read_jsonl(jsonl)}
    again = {i["news_id"]: i for i in read_jsonl(out)}
    assert summary["articles"] == len(again) == len(original) and summary["status_404"] == 1
    for news_id, item in again.items():
        first = original[news_id]
        # crawled_at is the time the page was fetched, not the time it was re-read
        delta = datetime.fromisoformat(item.pop("crawled_at")) - datetime.fromisoformat(first.pop("crawled_at"))
        assert abs(delta.total_seconds()) <= 2
        assert item == first
        assert item["parser_version"].startswith("iransamaneh/")
    assert len(read_jsonl(tmp_path / "again.quarantine.jsonl")) == summary["quarantined"] == 3


def test_reparse_without_o_writes_a_new_run_file_in_the_output_folder(archived_run, tmp_path):
    _, jsonl, archive, _ = archived_run
    result = run("-m", "newscrawl", "reparse", str(archive), "--output-dir", str(tmp_path / "output"))
    assert result.returncode == 0, result.stderr
    [written] = list((tmp_path / "output" / "asriran").glob("*/*-reparse-??????.jsonl"))
    assert json.loads(result.stdout)["output"] == str(written)
    assert len(read_jsonl(written)) == len(read_jsonl(jsonl))


def test_a_setting_turns_the_archive_off(tmp_path):
    with running_mirror(FIXTURES) as mirror:
        result = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}",
                                        settings=("WARC_ENABLED=False",)), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert run_files(tmp_path)
    assert not list(tmp_path.rglob("*.warc.gz*"))


def _exchange(archive, news_id, body=b"<html>page</html>"):
    archive.write_exchange(target_uri=f"https://www.asriran.com/fa/news/{news_id}", fetched_from=None,
                           when=datetime(2026, 1, 2, tzinfo=UTC), method="GET", request_headers={},
                           status=200, response_headers={b"Content-Type": [b"text/html"]}, body=body)


def test_a_killed_runs_archive_reads_and_is_finalised_with_its_torn_record_cut(tmp_path):
    path = tmp_path / "run.warc.gz"
    archive = WarcFile(path, info={"software": "test"})
    for news_id in (1, 2, 3):
        _exchange(archive, news_id)
    # While the run lives: the part is readable and held, so recovery leaves it alone.
    assert [r.target_uri for r in read_responses(archive.part)][-1].endswith("/3")
    assert recover_archives(tmp_path) == [] and archive.part.exists()
    # The run dies in the middle of a record: half a gzip member at the end, the lock gone.
    member = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 5000)
    archive.file.write(member[: len(member) // 2])
    archive.file.close()
    assert recover_archives(tmp_path) == [path]
    assert not archive.part.exists()
    assert [r.target_uri.rsplit("/", 1)[1] for r in read_responses(path)] == ["1", "2", "3"]


def test_the_fixtures_as_warc_replay_as_the_fixture_pages_do(tmp_path):
    archive, out = tmp_path / "fixtures.warc.gz", tmp_path / "fixtures.jsonl"
    result = run("-m", "newscrawl", "warc", str(archive))
    assert result.returncode == 0, result.stderr
    result = run("-m", "newscrawl", "reparse", str(archive), "-O", str(out))
    assert result.returncode == 0, result.stderr
    articles = {(i["site"], i["news_id"]): i for i in read_jsonl(out)}
    quarantined = {r["news_id"]: r["reasons"] for r in read_jsonl(tmp_path / "fixtures.quarantine.jsonl")}
    # reparse fills the topic of archived pages (the parser resolves it: newscrawl.sites.topic_of)
    assert articles[("tabnak", 1203456)]["topic"] == "politics" and articles[("yjc", 7349926)]["topic"] == "provinces"
    for page in fixture_pages():
        expected = load_expected(page)
        if "outcome" not in expected:
            item = articles.pop((page.parent.parent.name.split("-")[0], int(page.stem)))  # asriran-forms: asriran
            assert item.pop("crawled_at") == REPLAY_CRAWLED_AT.strftime("%Y-%m-%dT%H:%M:%SZ")
            assert item == expected
        elif expected["outcome"] == "quarantined":
            assert quarantined[int(page.stem)] == expected["reasons"]
    assert not articles


def test_an_archive_that_cannot_be_written_fails_the_run_with_6_and_loses_no_article(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with running_mirror(FIXTURES) as mirror:
        result = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}",
                                        settings=(f"WARC_PATH={blocker}/run.warc.gz",)), cwd=tmp_path)
    assert result.returncode == 6, result.stderr[-2000:]
    assert "Cannot write the WARC archive" in result.stderr
    [written] = run_files(tmp_path)
    assert len(read_jsonl(written)) == 16


def test_a_body_kept_as_sent_with_its_content_encoding_reads_back_decoded(tmp_path):
    page = "<html><body>خبر با نیم‌فاصله</body></html>".encode()
    archive = WarcFile(tmp_path / "gz.warc.gz")
    archive.write_exchange(target_uri="https://www.asriran.com/fa/news/7", fetched_from=None,
                           when=datetime(2026, 1, 2, tzinfo=UTC), method="GET", request_headers={},
                           status=200, response_headers={b"Content-Type": [b"text/html; charset=utf-8"],
                                                         b"Content-Encoding": [b"gzip"],
                                                         b"Transfer-Encoding": [b"chunked"]},
                           body=gzip.compress(page))
    archive.close()
    [response] = read_responses(tmp_path / "gz.warc.gz")
    assert response.body == page and response.content_type == "text/html; charset=utf-8"
    [(_, _, http, _)] = [r for r in records(tmp_path / "gz.warc.gz") if r[0] == "response"]
    assert http.get_header("Transfer-Encoding") is None  # Scrapy de-chunked the body: not claimed


def _gzip_members(path):
    """Each gzip member of a file, decompressed on its own by Python's zlib (not warcio)."""
    data, members = path.read_bytes(), []
    while data:
        member = zlib.decompressobj(zlib.MAX_WBITS + 16)
        members.append(member.decompress(data))
        assert member.eof
        data = member.unused_data
    return members


def _archive_of_fixture_pages(path, **options):
    pages = sorted(FIXTURES.glob("news/*.html"))[:4]
    archive = WarcFile(path, info={"software": "test"}, **options)
    for page in pages:
        archive.write_exchange(target_uri=f"https://www.asriran.com/fa/news/{page.stem}", fetched_from=None,
                               when=datetime(2026, 1, 2, tzinfo=UTC), method="GET", request_headers={},
                               status=200, response_headers={b"Content-Type": [b"text/html"]},
                               body=page.read_bytes())
    archive.close()
    return pages


@pytest.mark.parametrize("fast_deflate", [True, False], ids=["isal", "zlib-fallback"])
def test_the_archive_is_one_gzip_member_per_warc_1_1_record_read_by_warcio_and_by_gzip(
        tmp_path, monkeypatch, fast_deflate):
    if not fast_deflate:
        monkeypatch.setattr(warc, "_fast_deflate", None)  # isal not installed
    path = tmp_path / "run.warc.gz"
    pages = _archive_of_fixture_pages(path)
    assert WarcFile(tmp_path / "probe.warc.gz").writer.compression == ("isal" if fast_deflate else "zlib")
    members = _gzip_members(path)
    assert len(members) == 1 + 2 * len(pages)  # warcinfo, then response + request per page
    assert all(m.startswith(b"WARC/1.1\r\n") and m.count(b"\r\nWARC-Record-ID: ") == 1 for m in members)
    assert [re.search(rb"\r\nWARC-Type: (\w+)\r\n", m)[1] for m in members] == [
        b"warcinfo", *[b"response", b"request"] * len(pages)]
    with gzip.open(path, "rb") as whole:  # the gzip module reading the members as one stream
        assert whole.read() == b"".join(members)
    with open(path, "rb") as stream:  # warcio, digests checked
        bodies = {r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
                  for r in ArchiveIterator(stream, check_digests=True) if r.rec_type == "response"}
    assert bodies == {f"https://www.asriran.com/fa/news/{p.stem}": p.read_bytes() for p in pages}


def _sha1_b32(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def test_every_record_carries_sha1_block_and_payload_digests_that_warcio_fastwarc_and_hashlib_verify(tmp_path):
    """The digests are computed by newscrawl (once over the whole body) and handed to warcio, which
    then hashes nothing: they must be the ones every reader computes, over the bytes as written,
    a header warcio has to percent-encode (not ASCII) included."""
    from fastwarc.warc import ArchiveIterator as FastIterator  # a second WARC reader, not built on warcio

    path = tmp_path / "digests.warc.gz"
    pages = sorted(FIXTURES.glob("news/*.html"))[:3]
    archive = WarcFile(path, info={"software": "test"})
    for page in pages:
        archive.write_exchange(
            target_uri=f"https://www.asriran.com/fa/news/{page.stem}", fetched_from=f"http://127.0.0.1:1/fa/news/{page.stem}",
            when=datetime(2026, 1, 2, tzinfo=UTC), method="GET",
            request_headers={b"Accept": [b"text/html"], b"User-Agent": [b"newscrawl"]}, status=200,
            response_headers={b"Content-Type": [b"text/html; charset=utf-8"], b"Set-Cookie": [b"a=1", b"b=2"],
                              b"Content-Disposition": ["inline; filename=خبر.html".encode()]},
            body=page.read_bytes())
    _exchange(archive, 9, body=b"")  # an empty body: its payload digest is that of no bytes
    archive.close()
    # By hand: each member's block (after the WARC headers, Content-Length bytes) and its payload
    # (after the HTTP headers) hashed with hashlib, against the headers the record carries.
    checked = []
    for member in _gzip_members(path)[1:]:
        head, _, rest = member.partition(b"\r\n\r\n")
        fields = dict(line.split(": ", 1) for line in head.decode().split("\r\n")[1:])
        block = rest[: int(fields["Content-Length"])]
        assert rest[len(block):] == b"\r\n\r\n"
        assert fields["WARC-Block-Digest"] == _sha1_b32(block)
        assert fields["WARC-Payload-Digest"] == _sha1_b32(block.partition(b"\r\n\r\n")[2])
        checked.append((fields["WARC-Type"], fields["Content-Type"]))
    assert checked == [("response", "application/http; msgtype=response"),
                       ("request", "application/http; msgtype=request")] * (len(pages) + 1)
    with open(path, "rb") as stream:  # warcio, raising at any digest that does not match
        passed = []
        for record in ArchiveIterator(stream, check_digests="raise"):
            record.content_stream().read()
            passed.append((record.rec_type, record.digest_checker.passed))
    assert passed == [("warcinfo", True), *[("response", True), ("request", True)] * (len(pages) + 1)]
    with open(path, "rb") as stream:  # FastWARC (Rust), its own gzip and digest code
        seen = []
        for record in FastIterator(stream, parse_http=False):
            block = record.verify_block_digest(consume=False)  # the block kept for the HTTP parse
            record.parse_http()
            seen.append((str(record.record_type), block, record.verify_payload_digest()))
    # (warcinfo has no payload digest: FastWARC says False for a missing one)
    assert seen == [("warcinfo", True, False),
                    *[("response", True, True), ("request", True, True)] * (len(pages) + 1)]
    bodies = [r.body for r in read_responses(path)]
    assert bodies == [*(page.read_bytes() for page in pages), b""]


def test_a_compression_level_set_is_zlibs_and_a_level_zlib_does_not_know_fails_at_open(tmp_path):
    path = tmp_path / "nine.warc.gz"
    _archive_of_fixture_pages(path, level=9)
    fast = tmp_path / "fast.warc.gz"
    _archive_of_fixture_pages(fast)
    assert len(_gzip_members(path)) == 9 and path.stat().st_size < fast.stat().st_size
    assert [r.target_uri for r in read_responses(path)] == [r.target_uri for r in read_responses(fast)]
    assert WarcFile(tmp_path / "z.warc.gz", level=9).writer.compression == "zlib"
    with pytest.raises(ValueError):
        WarcFile(tmp_path / "bad.warc.gz", level=12)
    assert not list(tmp_path.glob("bad*"))


def _archive_extension(tmp_path, name: str, writer: WarcWriterThread, batch: int = 4):
    crawler = get_crawler(Spider, {"WARC_ENABLED": True, "WARC_PATH": str(tmp_path / f"{name}.warc.gz"),
                                   "WARC_WRITE_BATCH": batch})
    crawler.spider = Spider(name=name)
    archive = WarcArchive.from_crawler(crawler)
    archive.writer = writer  # a writer of the test's own, as the process's shared one
    return crawler, archive


def _counting_batches(writer: WarcWriterThread) -> list:
    handed: list = []
    put = writer.queue.put

    def counting(batch, *args, **kwargs):
        handed.append(len(batch) if isinstance(batch, list) else "drain")
        put(batch, *args, **kwargs)

    writer.queue.put = counting  # type: ignore[method-assign]
    return handed


def _downloaded(archive, news_id: int) -> None:
    url = f"https://www.asriran.com/fa/news/{news_id}"
    archive.response_downloaded(HtmlResponse(url, body=b"<html>%d</html>" % news_id), Request(url),
                                archive.crawler.spider)


def test_the_writer_thread_is_handed_responses_a_batch_at_a_time_and_the_rest_when_the_spider_closes(tmp_path):
    writer = WarcWriterThread()
    crawler, archive = _archive_extension(tmp_path, "run", writer)
    handed = _counting_batches(writer)
    for news_id in range(1, 11):
        _downloaded(archive, news_id)
    assert handed == [4, 4] and len(writer.pending) == 2
    archive.spider_closed(crawler.spider, "finished")
    assert handed == [4, 4, 2, "drain"]
    assert [r.body for r in read_responses(tmp_path / "run.warc.gz")] == [b"<html>%d</html>" % i for i in range(1, 11)]
    # what the writer thread spent on this file, its own CPU (part of this process's)
    assert 0 < crawler.stats.get_value(stat.WARC_WRITER_CPU) < time.process_time()


def test_the_crawlers_of_one_process_share_one_writer_thread_and_one_batch(tmp_path):
    """A run of many sites in one process holds one batch of pages waiting for the writer, not one
    per site (100 sites' feeds held ~100 MB of pages in per-site batches), and runs one thread."""
    writer = WarcWriterThread()
    sites = [_archive_extension(tmp_path, name, writer) for name in ("asriran", "tabnak", "yjc")]
    handed = _counting_batches(writer)
    for news_id in range(1, 4):
        for _, archive in sites:
            _downloaded(archive, news_id)  # 9 pages: 3 a site, fewer than a batch each
    assert handed == [4, 4] and len(writer.pending) == 1
    first_crawler, first = sites[0]
    first.spider_closed(first_crawler.spider, "finished")  # its pages are written, the others go on
    assert [r.body for r in read_responses(tmp_path / "asriran.warc.gz")] == [b"<html>%d</html>" % i for i in (1, 2, 3)]
    for crawler, archive in sites[1:]:
        _downloaded(archive, 4)
        archive.spider_closed(crawler.spider, "finished")
    for name in ("tabnak", "yjc"):
        assert [r.body for r in read_responses(tmp_path / f"{name}.warc.gz")] == [
            b"<html>%d</html>" % i for i in (1, 2, 3, 4)]
    assert writer.thread is not None and writer.thread.is_alive()  # one thread, for the three files


def test_a_file_that_fails_drops_its_own_records_and_the_others_are_written(tmp_path):
    writer = WarcWriterThread()
    (bad_crawler, bad), (good_crawler, good) = (_archive_extension(tmp_path, name, writer, batch=1)
                                                for name in ("asriran", "tabnak"))
    _downloaded(bad, 1)
    bad.channel.drain()
    bad.file.file.close()  # its file breaks under the writer thread
    _downloaded(bad, 2)
    _downloaded(good, 1)
    good.spider_closed(good_crawler.spider, "finished")
    bad.spider_closed(bad_crawler.spider, "finished")
    assert [r.body for r in read_responses(tmp_path / "tabnak.warc.gz")] == [b"<html>1</html>"]
    assert good_crawler.stats.get_value(stat.WARC_FILE) == str(tmp_path / "tabnak.warc.gz")
    assert bad_crawler.stats.get_value(stat.WARC_FILE) is None
    why = bad_crawler.stats.get_value(stat.OUTCOME("write_failed"))["reason"]
    assert why == "WARC archive: write to closed file"
