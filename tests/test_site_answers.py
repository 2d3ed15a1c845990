"""newscrawl.run.answers: how what the site answered adds up to the run's outcome."""

from scrapy.exceptions import DownloadConnectionRefusedError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.run.answers import SiteAnswers

FEED, OTHER_FEED = "http://127.0.0.1:9/fa/rss/allnews", "http://127.0.0.1:9/fa/rss/1"


def failure(error: Exception) -> Failure:
    try:
        raise error
    except Exception:  # noqa: BLE001
        return Failure()


def status(code: int) -> Failure:
    return failure(HttpError(Response(FEED, status=code), "Ignoring non-200 response"))


def answers() -> SiteAnswers:
    return SiteAnswers(transport_errors=(DownloadConnectionRefusedError,))


def test_one_feed_down_of_two_is_an_incomplete_listing_both_down_is_unreachable():
    one = answers()
    one.listing_failed(FEED, True, failure(DownloadConnectionRefusedError("refused")))
    one.listing_answered(OTHER_FEED, True, links=12)
    assert list(one.outcomes()) == ["listing_incomplete"]
    assert one.outcomes()["listing_incomplete"]["pages"] == {FEED: "DownloadConnectionRefusedError: refused"}
    both = answers()
    both.listing_failed(FEED, True, failure(DownloadConnectionRefusedError("refused")))
    both.listing_failed(OTHER_FEED, True, status(503))
    assert list(both.outcomes()) == ["unreachable"]
    assert both.outcomes()["unreachable"]["pages"] == {
        FEED: "DownloadConnectionRefusedError: refused", OTHER_FEED: "503 Service Unavailable"}


def test_a_listing_refused_or_forbidden_by_robots_txt_is_refused():
    for error in (status(403), status(451), status(429), failure(IgnoreRequest("Forbidden by robots.txt"))):
        found = answers()
        found.listing_failed(FEED, True, error)
        assert list(found.outcomes()) == ["refused"]


def test_listing_drift_is_no_links_or_gone_whatever_else_happened():
    found = answers()
    found.listing_answered(FEED, True, links=0)
    found.listing_failed(OTHER_FEED, True, status(404))
    for _ in range(50):
        found.article_answered(200)
    assert found.outcomes()["drift"]["pages"] == {FEED: "200 OK, no article links", OTHER_FEED: "404 Not Found"}


def test_articles_more_than_half_refused_is_refused_and_none_answered_is_unreachable():
    found = answers()
    found.listing_answered(FEED, True, links=3)
    found.article_failed("a", status(403))
    found.article_failed("b", status(403))
    found.article_answered(200)
    assert list(found.outcomes()) == ["refused"]
    down = answers()
    down.article_failed("a", failure(DownloadConnectionRefusedError("refused")))
    down.article_answered(404)  # a missing article is an answer: the site is up
    assert down.outcomes() == {}
    down.article_failed("b", status(502))
    assert down.outcomes() == {}
    gone = answers()
    gone.article_failed("a", status(502))
    assert gone.outcomes()["unreachable"]["reason"] == "none of 1 article requests was answered"
