"""Every run keeps the responses it fetched (article pages, listings, feeds, robots.txt) as WARC 1.1
request + response records in `<run>.warc.gz` beside its output (WARC_PATH), so that a later parser
release can re-read them offline (`python -m newscrawl reparse`). WARC_ENABLED=False turns it off.

Responses are taken as the downloader delivered them (`response_downloaded`: before any middleware,
so with their Content-Encoding as sent, before charset repair), each stamped with the page's URL on
the real site: a crawl of a mirror archives what the site would have served. Saved pages (file://)
are not archived: they are on disk already.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl import __version__, exit_codes, warc
from newscrawl.run_paths import run_path
from newscrawl.sites.iransamaneh.urls import rebase

logger = logging.getLogger(__name__)


def real_site_url(url: str, spider) -> str:
    """A URL fetched from the spider's base (a mirror) -> the same page on the real site."""
    profile = getattr(spider, "profile", None)
    base = getattr(spider, "base_url", None)
    if profile is None or not base or urlsplit(url).netloc != urlsplit(base).netloc:
        return url
    return rebase(url, profile.base_url)


class WarcArchive:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.template = settings.get("WARC_PATH")
        self.level = settings.getint("WARC_COMPRESSION_LEVEL", 6)
        self.file: warc.WarcFile | None = None
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if settings.get("OUTPUT_DIR"):
            # Before anything is fetched: the archives of killed runs become readable final files,
            # whether or not this run archives.
            recovered = warc.recover_orphans(settings.get("OUTPUT_DIR"))
            crawler.stats.set_value("newscrawl/warc/recovered_files", len(recovered))
        if not settings.getbool("WARC_ENABLED") or not settings.get("WARC_PATH"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def _open(self, spider) -> warc.WarcFile:
        path = run_path(self.template, spider)
        info = {"software": f"newscrawl/{__version__}", "format": "WARC File Format 1.1",
                "run-id": str(getattr(spider, "run_id", "")), "spider": spider.name,
                "fetched-from": str(getattr(spider, "base_url", ""))}
        return warc.WarcFile(path, level=self.level, info=info)

    def response_downloaded(self, response, request, spider):
        if self.failed or urlsplit(response.url).scheme not in ("http", "https"):
            return
        try:
            if self.file is None:
                self.file = self._open(spider)
            self.file.write_exchange(
                target_uri=real_site_url(response.url, spider), fetched_from=response.url,
                when=datetime.now(timezone.utc), method=request.method, request_headers=request.headers,
                status=response.status, response_headers=response.headers, body=response.body,
                protocol=getattr(response, "protocol", None) or "HTTP/1.1")
        except OSError as exc:
            # The articles still get written; the run says its archive is incomplete.
            self.failed = True
            exit_codes.set_outcome(self.crawler.stats, "write_failed", f"WARC archive: {exc}")
            logger.error("Cannot write the WARC archive (%s); the rest of this run is not archived", exc)
            return
        self.crawler.stats.inc_value("newscrawl/warc/records")
        self.crawler.stats.inc_value("newscrawl/warc/bytes", len(response.body))

    def spider_closed(self, spider, reason):
        if self.file is not None and not self.failed:
            path = self.file.close()
            self.crawler.stats.set_value("newscrawl/warc/file", str(path))
            logger.info("Archived %d responses in %s", self.file.records, path)
            self.file = None
