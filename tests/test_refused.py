"""A site that refuses us is exit code 5: 403/451 on a listing (a geo-block answers 403 to every
request from abroad) or on most article requests, a challenge or captcha page instead of the page,
429 past the retry budget, robots.txt forbidding the listing. The report names the URLs and answers;
refused articles are failed pages (asked again next run), never "missing"."""

import shutil

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import crawl

FIXTURES = FIXTURES_DIR / "asriran"
REFUSED = "newscrawl/outcome/refused"


def crawl_mirror(tmp_path, faults, *args, settings=("RETRY_TIMES=1",), site=FIXTURES):
    with running_mirror(site, faults=faults) as mirror:
        result = crawl(tmp_path, f"base_url={mirror.base_url}", *args, settings=settings)
        result.base_url, result.hits = mirror.base_url, dict(mirror.faults.hits)
    return result


def test_403_everywhere_is_exit_5_naming_the_feed(tmp_path):
    result = crawl_mirror(tmp_path, {"*": {"status": 403}})
    assert result.returncode == 5
    assert result.stats[REFUSED] == {"reason": "the site refused the listing",
                                     "pages": {f"{result.base_url}/fa/rss/allnews": "403 Forbidden"}}
    assert "RUN FAILED (exit 5): the site refused us: the site refused the listing" in result.log


def test_451_on_the_archive_is_exit_5(tmp_path):
    result = crawl_mirror(tmp_path, {"/fa/archive": {"status": 451}}, "mode=archive")
    assert result.returncode == 5
    [answer] = result.stats[REFUSED]["pages"].values()
    assert answer == "451 Unavailable For Legal Reasons"


@pytest.mark.parametrize("status", [200, 403, 503])
def test_a_challenge_page_instead_of_the_feed_is_exit_5_and_not_retried(tmp_path, status):
    result = crawl_mirror(tmp_path, {"/fa/rss/allnews": {"challenge": True, "status": status}})
    assert result.returncode == 5
    assert result.stats[REFUSED]["pages"] == {
        f"{result.base_url}/fa/rss/allnews": f"a cloudflare challenge page (HTTP {status}) instead of the page"}
    assert result.hits["/fa/rss/allnews"] == 1 and result.stats["newscrawl/challenge_pages"] == 1


def test_a_captcha_on_every_article_is_exit_5_and_nothing_is_recorded_missing(tmp_path):
    result = crawl_mirror(tmp_path, {"/fa/news/*": {"captcha": True}})
    assert result.returncode == 5
    detail = result.stats[REFUSED]
    assert detail["reason"].startswith("the site refused ") and detail["reason"].endswith(" article requests")
    refused, _, total = detail["reason"].removeprefix("the site refused ").split()[:3]
    assert refused == total and int(total) > 10
    assert set(detail["pages"].values()) == {"a captcha page (HTTP 200) instead of the page"}
    assert result.items == [] and "newscrawl/missing" not in result.stats
    assert len(result.stats["newscrawl/failed_pages"]) == int(total)


def test_429_past_the_retry_budget_is_exit_5(tmp_path):
    result = crawl_mirror(tmp_path, {"/fa/rss/allnews": {"status": 429, "retry_after": 0}},
                          settings=("RETRY_TIMES=2",))
    assert result.returncode == 5 and result.hits["/fa/rss/allnews"] == 3  # retried first
    assert list(result.stats[REFUSED]["pages"].values()) == ["429 Too Many Requests"]


def test_robots_txt_forbidding_the_listing_is_exit_5(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES, site, symlinks=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /fa/rss/\n", encoding="utf-8")
    result = crawl_mirror(tmp_path, None, site=site)
    assert result.returncode == 5
    assert result.stats[REFUSED]["pages"] == {f"{result.base_url}/fa/rss/allnews": "forbidden by robots.txt"}


def test_most_articles_403_is_exit_5_but_one_of_three_is_a_failed_page(tmp_path):
    most = crawl_mirror(tmp_path / "most", {"/fa/news/917512": {"status": 403}, "/fa/news/862177": {"status": 403}},
                        "mode=ids", "ids=917512,862177,1077602")
    assert most.returncode == 5
    assert most.stats[REFUSED]["reason"] == "the site refused 2 of 3 article requests"
    assert set(most.stats[REFUSED]["pages"].values()) == {"403 Forbidden"}
    one = crawl_mirror(tmp_path / "one", {"/fa/news/917512": {"status": 403}}, "mode=ids",
                       "ids=917512,862177,1077602")
    assert one.returncode == 0 and one.ids == [862177, 1077602]
    assert one.stats["newscrawl/failed_pages"] == {"917512": "HttpError: HTTP 403"}
