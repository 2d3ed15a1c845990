"""Every crawl mode end to end: Scrapy's real downloader against the mirror of fixtures/ on 127.0.0.1."""

import shutil

import pytest

from newscrawl import stats as stat
from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from tests.conftest import article_pages, crawl

FIXTURES = FIXTURES_DIR / "asriran"
GOOD = {load_expected(p)["news_id"]: load_expected(p) for p in article_pages("asriran")}
BAD = {1150500, 1150501, 1150502}  # truncated, no body, impossible date: quarantined


@pytest.fixture(scope="module")
def mirror():
    with running_mirror(FIXTURES) as server:
        yield server


def assert_items_equal_golden(result):
    assert len(result.ids) == len(set(result.ids)), "an article was written twice"
    for item in result.items:
        item.pop("crawled_at")
        assert item == GOOD[item["news_id"]]


def test_rss_is_the_default_mode_and_fetches_every_article_once(mirror, tmp_path):
    result = crawl(tmp_path, f"base_url={mirror.base_url}")
    assert result.returncode == 0, result.log[-3000:]
    assert result.ids == sorted(GOOD)
    assert_items_equal_golden(result)
    assert sorted(r["news_id"] for r in result.quarantined) == sorted(BAD)
    # 1150600 is gone (404); 1150999 is answered with the CMS's not-found page
    assert result.stats["newscrawl/missing_ids"] == [1150600, 1150999]
    # 1077602 is in the feed twice under two slugs: fetched once
    assert result.article_requests() == len(GOOD) + len(BAD) + 2
    assert "retry/count" not in result.stats  # a 404 is not retried


def test_rss_extra_feeds(mirror, tmp_path):
    result = crawl(tmp_path, "mode=rss", "feeds=1/1", f"base_url={mirror.base_url}")
    assert f"{mirror.base_url}/fa/rss/1/1" in result.log
    # the service feed's 4 articles are all in allnews too: each repeat is dropped before it is
    # requested, by Scrapy's dupefilter or, once the article is written, by the state store
    assert result.ids == sorted(GOOD)
    assert result.stats.get("dupefilter/filtered", 0) + result.stats.get("newscrawl/skipped_known", 0) == 4
    assert result.article_requests() == len(GOOD) + len(BAD) + 2


def test_archive_walks_every_page_and_reads_only_the_listing(mirror, tmp_path):
    result = crawl(tmp_path, "mode=archive", "from_date=1384/01/01", "to_date=1404/12/29",
                   f"base_url={mirror.base_url}")
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats["newscrawl/archive_pages"] == 3
    assert "from_date=1384/01/01&to_date=1404/12/29&p=1" in result.log
    assert result.ids == sorted(GOOD)
    assert_items_equal_golden(result)
    assert result.stats["newscrawl/missing_ids"] == [1150600]
    # no sidebar or ticker link of the archive pages was followed
    assert result.article_requests() == len(GOOD) + len(BAD) + 1


def test_ids_mode_fetches_ids_and_ranges_and_counts_the_missing(mirror, tmp_path):
    result = crawl(tmp_path, "mode=ids", "ids=1150480-1150510,337590,719860", f"base_url={mirror.base_url}")
    assert result.returncode == 0, result.log[-3000:]
    assert result.ids == [337590, 719860, 1150486]
    assert_items_equal_golden(result)
    assert sorted(r["news_id"] for r in result.quarantined) == sorted(BAD)
    missing = [i for i in range(1150480, 1150511) if i not in BAD | {1150486}]
    # as ranges: a run of missing ids is one [first, last] entry (newscrawl.stats.id_ranges_value)
    assert result.stats["newscrawl/missing_ids"] == [[1150480, 1150485], [1150487, 1150499], [1150503, 1150510]]
    assert list(stat.ids_in(result.stats["newscrawl/missing_ids"])) == missing
    assert result.stats["newscrawl/missing"] == len(missing)
    assert "retry/count" not in result.stats
    assert "Missing article 1150481" in result.log  # at DEBUG, one per id; at INFO a summary:
    assert ("INFO: Missing articles (404 or the CMS's not-found page): 27 ids: "
            "1150480-1150485, 1150487-1150499, 1150503-1150510\n") in result.log
    assert "ERROR" not in result.log


def test_urls_mode_collapses_slug_forms_to_one_request(mirror, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("# saved links\nhttps://www.asriran.com/fa/news/862177/جنگنده\n"
                    "https://www.asriran.com/fa/news/862177\n", encoding="utf-8")
    result = crawl(tmp_path, "mode=urls", "urls=https://www.asriran.com/fa/news/917512/x,/fa/news/917512",
                   f"urls_file={urls}", f"base_url={mirror.base_url}")
    assert result.ids == [862177, 917512]
    assert result.article_requests() == 2
    assert all(i["url"].startswith("https://www.asriran.com/fa/news/") for i in result.items)


def test_robots_txt_is_obeyed(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES, site, symlinks=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /fa/news/917512\n", encoding="utf-8")
    with running_mirror(site) as server:
        result = crawl(tmp_path, "mode=ids", "ids=917512,862177", f"base_url={server.base_url}")
    assert result.ids == [862177]
    assert result.stats["robotstxt/forbidden"] == 1


def test_item_urls_name_the_real_site_never_the_mirror(mirror, tmp_path):
    result = crawl(tmp_path, "mode=ids", "ids=917512,1077602", f"base_url={mirror.base_url}")
    text = repr(result.items)
    assert "127.0.0.1" not in text
    assert {i["short_url"] for i in result.items} == {"https://www.asriran.com/003qh5",
                                                      "https://www.asriran.com/004bTz"}
