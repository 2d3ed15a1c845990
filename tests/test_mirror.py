"""The local mirror serves a folder at the site's own paths, on 127.0.0.1 only."""

import urllib.error
import urllib.request

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR

FIXTURES = FIXTURES_DIR / "asriran"


@pytest.fixture(scope="module")
def mirror():
    with running_mirror(FIXTURES) as server:
        yield server


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_it_listens_on_loopback_only(mirror):
    assert mirror.server_address[0] == "127.0.0.1"
    assert mirror.base_url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("/fa/news/917512", "news/917512.html"),
        ("/fa/news/917512/", "news/917512.html"),
        ("/fa/news/917512/هوای-تهران", "news/917512.html"),
        ("/fa/news/917512/%D9%87%D9%88%D8%A7%DB%8C", "news/917512.html"),
        ("/fa/archive?service_id=-1&sec_id=-1&rpp=100&p=2", "archive/2.html"),
        ("/fa/archive?service_id=1", "archive/1.html"),
        ("/fa/rss/allnews", "rss/allnews.xml"),
        ("/fa/rss/1/1", "rss/1-1.xml"),
        ("/robots.txt", "robots.txt"),
    ],
)
def test_site_paths_map_to_files(mirror, path, file):
    from urllib.parse import quote

    status, content_type, body = fetch(mirror.base_url + quote(path, safe="/?=&%-"))
    assert status == 200
    assert body == (FIXTURES / file).read_bytes()
    assert "charset=utf-8" in content_type


@pytest.mark.parametrize("path", ["/fa/news/1150600", "/fa/news/42/slug"])
def test_a_missing_article_is_a_404_with_the_cms_not_found_page(mirror, path):
    status, _, body = fetch(mirror.base_url + path)
    assert status == 404
    assert "صفحه درخواستی شما موجود نمی باشد" in body.decode("utf-8")


@pytest.mark.parametrize("path", ["/", "/fa/print/917512", "/fa/archive?p=99", "/fa/rss/9", "/etc/passwd",
                                  "/fa/news/../../pyproject.toml"])
def test_anything_else_is_a_404(mirror, path):
    status, _, _ = fetch(mirror.base_url + path)
    assert status == 404
