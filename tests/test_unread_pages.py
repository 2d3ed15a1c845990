"""A 404's body is never decoded (issue 22: a missing id's cost): the meta-refresh check rules a
refresh out in the bytes, and the charset repair looks only at pages that are read (2xx). Pages with
a refresh are redirected exactly as by Scrapy's own middleware."""

from pathlib import Path

import pytest
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefresh
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newscrawl.middlewares.charset import CharsetRepairMiddleware
from newscrawl.middlewares.meta_refresh import MetaRefreshMiddleware

URL = "http://127.0.0.1:1/fa/news/3000001"
NOT_FOUND = (Path(__file__).parent.parent / "fixtures" / "asriran" / "404.html").read_bytes()  # the site's own
PERSIAN = "<p>" + "خبرگزاری " * 100 + "</p>"


def page(body: bytes, status: int = 200, charset: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(URL, status=status, body=body, request=Request(URL),
                        headers={"Content-Type": f"text/html; charset={charset}"})


def middlewares():
    crawler = get_crawler(settings_dict={})
    return MetaRefreshMiddleware.from_crawler(crawler), ScrapyMetaRefresh.from_crawler(crawler)


def test_the_not_found_page_goes_through_undecoded():
    ours, _ = middlewares()
    response = page(NOT_FOUND, status=404)
    assert len(NOT_FOUND) > 100_000
    assert ours.process_response(response.request, response) is response
    assert response._cached_ubody is None  # Scrapy's decodes all 148 KB to read 4,096 characters


REFRESH = '<meta http-equiv="Refresh" content="0; url=/fa/news/7/moved">'
PAGES = {
    "none": f"<html><head><title>t</title></head><body>{PERSIAN}</body></html>",
    "refresh": f"<html><head>{REFRESH}</head><body>{PERSIAN}</body></html>",
    "refresh after Persian text": f"<html><head><title>{PERSIAN}</title>{REFRESH}</head><body></body></html>",
    "refresh in noscript": f"<html><head><noscript>{REFRESH}</noscript></head><body>{PERSIAN}</body></html>",
    "refresh in a comment": f"<html><head><!-- {REFRESH} --></head><body>{PERSIAN}</body></html>",
    "refresh past 4096 characters": f"<html><head><title>{'x' * 5000}</title>{REFRESH}</head></html>",
    "slow refresh": '<html><head><meta http-equiv="refresh" content="900; url=/x"></head></html>',
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("status", [200, 404])
def test_a_page_is_redirected_exactly_when_scrapy_would(name, status):
    ours, scrapys = middlewares()
    results = []
    for middleware in (ours, scrapys):
        response = page(PAGES[name].encode(), status)
        result = middleware.process_response(response.request, response)
        results.append(result.url if isinstance(result, Request) else None)
    assert results[0] == results[1]
    assert (results[0] is not None) == (name in ("refresh", "refresh after Persian text"))


def test_the_charset_repair_reads_only_pages_that_are_read():
    stats = MemoryStatsCollector(get_crawler(settings_dict={}))
    repair = CharsetRepairMiddleware(stats)
    misdeclared = PERSIAN.encode()  # UTF-8 bytes declared ISO-8859-1: mojibake as declared
    ok, missing = page(misdeclared, 200, "iso-8859-1"), page(misdeclared, 404, "iso-8859-1")
    assert repair.process_response(ok.request, ok).text == PERSIAN  # re-read as UTF-8
    assert repair.process_response(missing.request, missing) is missing and missing._cached_ubody is None
    assert stats.get_value("newscrawl/charset_repaired/cp1252->utf-8") == 1


def test_the_project_uses_its_meta_refresh_middleware():
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    enabled = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert enabled["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert enabled["newscrawl.middlewares.meta_refresh.MetaRefreshMiddleware"] == 580
