"""Listing drift is exit code 3 whatever the number of articles: a feed or archive page that
answered 200 but gave no article links (the feed moved and the site answers with its home page, the
archive changed its markup), or a listing that answers 404."""

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import crawl

FIXTURES = FIXTURES_DIR / "asriran"
DRIFT = "newscrawl/outcome/drift"
REASON = "a listing gave no article links (listing drift: the site may have moved or changed its listings)"


def crawl_mirror(tmp_path, faults, *args):
    with running_mirror(FIXTURES, faults=faults) as mirror:
        result = crawl(tmp_path, f"base_url={mirror.base_url}", *args)
        result.base_url = mirror.base_url
    return result


def test_a_feed_that_returns_html_is_listing_drift(tmp_path):
    result = crawl_mirror(tmp_path, {"/fa/rss/allnews": {"html": True}})
    assert result.returncode == 3
    assert result.stats[DRIFT] == {"reason": REASON,
                                   "pages": {f"{result.base_url}/fa/rss/allnews": "200 OK, no article links"}}
    assert result.stats.get("newscrawl/seen", 0) == 0  # no article at all: the alarm still goes off
    assert f"RUN FAILED (exit 3): drift: {REASON}" in result.log


def test_an_archive_page_without_its_list_is_listing_drift(tmp_path):
    result = crawl_mirror(tmp_path, {"/fa/archive": {"html": True}}, "mode=archive")
    assert result.returncode == 3
    [(url, answer)] = result.stats[DRIFT]["pages"].items()
    assert "/fa/archive?" in url and answer == "200 OK, no article links"


def test_a_feed_that_is_gone_is_listing_drift(tmp_path):
    result = crawl_mirror(tmp_path, {"/fa/rss/1/1": {"status": 404}}, "feeds=1/1")
    assert result.returncode == 3
    assert result.stats[DRIFT]["pages"] == {f"{result.base_url}/fa/rss/1/1": "404 Not Found"}
    assert result.items  # allnews was read and its articles written


def test_healthy_listings_are_no_drift(tmp_path):
    result = crawl_mirror(tmp_path, None, "mode=archive")
    assert result.returncode == 0
    assert not any(k.startswith("newscrawl/outcome/") for k in result.stats) and "RUN FAILED" not in result.log
