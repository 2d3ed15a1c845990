"""A server on a bad day: each fault on one article, with good articles in the same crawl. The crawl
finishes, the page is retried, repaired, quarantined or counted as failed (the stats say which), and
no good article is lost."""

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from tests.conftest import crawl

NEWS = FIXTURES_DIR / "asriran" / "news"
TARGET, GOOD = 917512, (862177, 1077602)
GOLDEN = {i: load_expected(NEWS / f"{i}.html") for i in (TARGET, *GOOD)}


def crawl_with(tmp_path, fault, *settings):
    with running_mirror(FIXTURES_DIR / "asriran", faults={f"/fa/news/{TARGET}": fault}) as mirror:
        ids = ",".join(map(str, (TARGET, *GOOD)))
        result = crawl(tmp_path, "mode=ids", f"ids={ids}", f"base_url={mirror.base_url}", settings=settings)
        hits = mirror.faults.hits[f"/fa/news/{TARGET}"]
    assert result.returncode == 0, result.log[-3000:]
    good = {i["news_id"]: i for i in result.items if i["news_id"] in GOOD}
    for news_id in GOOD:  # no good article lost
        item = dict(good[news_id])
        item.pop("crawled_at")
        assert item == GOLDEN[news_id]
    target = [i for i in result.items if i["news_id"] == TARGET]
    return result, target, hits


def assert_golden(target):
    [item] = target
    item = dict(item)
    item.pop("crawled_at")
    assert item == GOLDEN[TARGET]


@pytest.mark.parametrize(
    ("fault", "retries"),
    [
        ({"status": 500, "times": 2}, 2),
        ({"truncate": True, "times": 1}, 1),
    ],
)
def test_transient_failures_are_retried_until_the_page_comes(tmp_path, fault, retries):
    result, target, hits = crawl_with(tmp_path, fault)
    assert_golden(target)
    assert hits == retries + 1 and result.stats["retry/count"] == retries


def test_a_connection_reset_is_retried(tmp_path):
    # On a reused keep-alive connection Twisted's pool retries a reset itself, once, before Scrapy
    # sees it; either way the page is asked for again and arrives.
    result, target, hits = crawl_with(tmp_path, {"reset": True, "times": 1})
    assert_golden(target)
    assert hits == 2


def test_429_waits_for_retry_after(tmp_path):
    result, target, _ = crawl_with(tmp_path, {"status": 429, "retry_after": 1, "times": 1})
    assert_golden(target)
    assert result.stats["retry/reason_count/429 Unknown Status"] == 1
    assert result.stats["retry/backoff_seconds"] == 1.0


def test_a_response_slower_than_the_timeout_is_retried(tmp_path):
    result, target, _ = crawl_with(tmp_path, {"delay": 3, "times": 1}, "DOWNLOAD_TIMEOUT=1")
    assert_golden(target)
    assert result.stats["retry/reason_count/scrapy.exceptions.DownloadTimeoutError"] == 1


def test_a_page_that_never_comes_is_counted_as_failed_and_left_for_the_next_run(tmp_path):
    result, target, hits = crawl_with(tmp_path, {"status": 503}, "RETRY_TIMES=2")
    assert target == [] and hits == 3
    assert result.stats["retry/max_reached"] == 1
    assert result.stats["newscrawl/failed_pages"] == {str(TARGET): "HttpError: HTTP 503"}
    assert "newscrawl/missing" not in result.stats  # failed is not missing: the next run asks again


@pytest.mark.parametrize(
    "fault",
    [{"charset": "iso-8859-1"}, {"encoding": "cp1256"}],
    ids=["wrong-charset-header", "windows-1256-without-header"],
)
def test_a_page_in_a_misdeclared_encoding_is_read_right(tmp_path, fault):
    result, target, _ = crawl_with(tmp_path, fault)
    assert_golden(target)
    if "charset" in fault:
        assert result.stats["newscrawl/charset_repaired/cp1252->utf-8"] == 1


def test_an_oversized_response_is_dropped_and_counted(tmp_path):
    result, target, _ = crawl_with(tmp_path, {"pad": 1_500_000}, "DOWNLOAD_MAXSIZE=1000000")
    assert target == []
    assert result.stats["newscrawl/failed"] == 1
    assert str(TARGET) in result.stats["newscrawl/failed_pages"]


def test_a_redirect_to_another_site_is_not_followed(tmp_path):
    result, target, _ = crawl_with(tmp_path, {"redirect": "http://elsewhere.invalid/fa/news/1"})
    assert target == []
    assert result.stats["offsite/filtered"] == 1
    # not a silence: a failed page, named in the report, asked for again by the next run
    assert result.stats["newscrawl/failed/OffsiteRedirect"] == 1 and result.stats["newscrawl/offsite_redirects"] == 1
    assert result.stats["newscrawl/failed_pages"] == {
        str(TARGET): "OffsiteRedirect: redirected to another site: http://elsewhere.invalid/fa/news/1 (not followed)"}
    assert "elsewhere.invalid" not in " ".join(line for line in result.log.splitlines() if "Crawled (" in line)


def test_a_page_whose_markup_lost_the_body_is_quarantined(tmp_path):
    result, target, _ = crawl_with(tmp_path, {"lose_body": True})
    assert target == []
    [record] = result.quarantined
    assert record["news_id"] == TARGET and record["reasons"] == ["body: the page has no div.body"]
