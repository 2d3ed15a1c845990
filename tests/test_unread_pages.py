"""A page is decoded only when it is read. A 404's body never is (issue 22: a missing id's cost): the
meta-refresh check rules a refresh out in the bytes, and the charset repair runs where the spider reads
the text. No downloader middleware decodes a page (issue 19: in a sweep of 100 sites ~800 pages wait for
their callbacks at once, and their decoded text held as much memory again as their bytes). Pages with a
refresh are redirected exactly as by Scrapy's own middleware."""

from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefresh
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newscrawl.middlewares.meta_refresh import MetaRefreshMiddleware
from newscrawl.text.encoding import better_encoding

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


def test_no_downloader_middleware_decodes_a_page(tmp_path):
    """The project's whole downloader chain, as Scrapy runs it, hands a 200 page on undecoded."""
    import asyncio

    from scrapy.core.downloader.middleware import DownloaderMiddlewareManager

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.set("ROBOTSTXT_OBEY", False)
    settings.set("OUTPUT_DIR", str(tmp_path))
    project = {name: value for name, value in settings.copy_to_dict().items()
               if "REACTOR" not in name}  # the test's own reactor settings: the chain runs under asyncio.run
    project["EXTENSIONS"] = {}  # the downloader's chain only
    crawler = get_crawler(settings_dict=project)
    crawler.spider = Spider(name="asriran")  # what the offsite check reads (no allowed_domains: any host)
    manager = DownloaderMiddlewareManager.from_crawler(crawler)
    for charset in ("utf-8", "iso-8859-1"):  # declared right, and wrong (the repair is the spider's)
        sent = page(f"<html><body>{PERSIAN}</body></html>".encode(), 200, charset)

        async def download(request, sent=sent):
            return sent

        result = asyncio.run(manager.download_async(download, sent.request))
        assert result.status == 200 and result.body == sent.body
        assert result._cached_ubody is None, charset


def test_the_repair_names_the_encoding_that_reads_the_page():
    utf8, windows = PERSIAN.encode(), PERSIAN.replace("ی", "ي").encode("cp1256")  # cp1256 has no Persian yeh
    assert better_encoding(utf8, "cp1252", utf8.decode("cp1252")) == "utf-8"  # mojibake as declared
    assert better_encoding(windows, "utf-8", windows.decode("utf-8", "replace")) == "cp1256"  # U+FFFD
    assert better_encoding(utf8, "utf-8", PERSIAN) is None  # read right: no second decoding
    latin = "Ø³ x " * 40  # mojibake-like text that no candidate reads as Persian: left as it is
    assert better_encoding(latin.encode("cp1252"), "cp1252", latin) is None


def test_the_project_uses_its_meta_refresh_middleware():
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    enabled = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert enabled["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert enabled["newscrawl.middlewares.meta_refresh.MetaRefreshMiddleware"] == 580


def test_the_spider_reads_a_page_without_keeping_its_text_on_the_response():
    """The text is decoded when the callback reads it and not cached on the response (which lives on
    while its items are written); a page whose server lied about its charset is read right, counted."""
    from types import SimpleNamespace

    from scrapy.statscollectors import MemoryStatsCollector

    from newscrawl.spiders.site import SiteSpider

    stats = MemoryStatsCollector(get_crawler(settings_dict={}))
    spider = SimpleNamespace(crawler=SimpleNamespace(stats=stats))
    body = f"<html><body>{PERSIAN}</body></html>"
    for charset in ("utf-8", "iso-8859-1"):
        response = page(body.encode(), 200, charset)
        assert SiteSpider._page_text(spider, response) == body
        assert response._cached_ubody is None
    assert stats.get_stats() == {"newscrawl/charset_repaired/cp1252->utf-8": 1}
