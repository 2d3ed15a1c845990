"""A site of the CMS that no profile names is read with no configuration: its pages and crawls are its own
site, named from its host, with URLs on that host, and one line says it is not registered. Never another
site's identity. The crawls reach www.unknown.ir through an HTTP proxy that is the local mirror (nothing
leaves 127.0.0.1: Scrapy hands the proxy the whole URL and resolves no name)."""

import json

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import article_pages, crawl, run

# A saved site with a feed, not asriran's (the default site, which an unknown host must never become).
SAVED = next(p.parent.parent for p in sorted(FIXTURES_DIR.glob("*/rss/allnews.xml"))
             if p.parent.parent.name != "asriran")
NOTICE = ("www.unknown.ir is not a registered site: read with the IranSamaneh generic reader "
          "(add it: README 'Adding a site')")


@pytest.fixture
def proxied(monkeypatch):
    """A mirror of a saved site, as the HTTP proxy of the commands this test runs."""
    def start(folder):
        mirror = running_mirror(folder)
        server = mirror.__enter__()
        monkeypatch.setenv("http_proxy", server.base_url)
        for name in ("no_proxy", "NO_PROXY", "HTTP_PROXY"):
            monkeypatch.delenv(name, raising=False)
        started.append(mirror)
        return server
    started: list = []
    yield start
    for mirror in started:
        mirror.__exit__(None, None, None)


def test_extract_of_an_unknown_host_is_that_site(tmp_path):
    page = article_pages(SAVED.name)[0]
    news_id = int(page.stem)
    result = run("-m", "newscrawl", "extract", str(page), "--url", f"https://www.unknown.ir/fa/news/{news_id}/x")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [NOTICE]
    item = json.loads(result.stdout)
    assert (item["site"], item["news_id"], item["url"]) == ("unknown", news_id,
                                                            f"https://www.unknown.ir/fa/news/{news_id}")


def test_the_cms_spider_crawls_an_unknown_host(tmp_path, proxied):
    mirror = proxied(SAVED)
    result = crawl(tmp_path, "base_url=http://www.unknown.ir", site="iransamaneh")
    assert result.returncode == 0, result.log[-3000:]
    assert result.items and {item["site"] for item in result.items} == {"unknown"}
    assert all(item["url"] == f"http://www.unknown.ir/fa/news/{item['news_id']}" for item in result.items)
    assert result.log.count(NOTICE) == 1
    assert mirror.requests["/fa/rss/allnews"] == 1
    assert result.ids == sorted(int(p.stem) for p in article_pages(SAVED.name))  # the feed names them all


def test_the_cms_spider_needs_a_host(tmp_path):
    result = crawl(tmp_path, site="iransamaneh")
    assert result.returncode == 2 and "base_url: required" in result.log


def test_selfcheck_of_an_unknown_host(tmp_path, proxied):
    proxied(SAVED)
    result = run("-m", "newscrawl", "selfcheck", "--base-url", "http://www.unknown.ir", "-n", "1", timeout=180)
    assert result.stderr.splitlines()[0] == NOTICE and result.stderr.count(NOTICE) == 1, result.stderr
    assert "\n== http://www.unknown.ir/fa/news/" in "\n" + result.stdout
