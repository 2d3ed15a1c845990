"""Every run keeps the responses it fetched (article pages, listings, feeds, robots.txt) as WARC 1.1
request + response records in `<run>.warc.gz` beside its output (WARC_PATH), so that a later parser
release can re-read them offline (`python -m newscrawl reparse`). WARC_ENABLED=False turns it off.

Records are compressed and written by the process's one writer thread (newscrawl.output.warc_writer:
ISA-L or zlib and hashlib release the GIL), so the crawl's reactor thread only hands them over,
WARC_WRITE_BATCH responses at a time; what waits is bounded for the whole process (a run of many
sites in one process shares the thread and the batch), and the spider's records are all written
before its file is closed. Responses are taken as the downloader delivered them
(`response_downloaded`: before any middleware, so with their Content-Encoding as sent, never
decoded), each stamped with the page's URL on the real site: a crawl of a mirror archives what the
site would have served. Saved pages (file://) are not archived: they are on disk already.
A non-2xx response whose body is one already archived in the file (an ids backfill's not-found page)
is kept as a revisit record (WARC_REVISITS; see newscrawl.output.warc).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl import __version__, exit_codes
from newscrawl import stats as stat
from newscrawl.output import warc
from newscrawl.output.paths import run_path
from newscrawl.output.warc_writer import ArchiveChannel, shared_writer
from newscrawl.run.clock import clock_for
from newscrawl.run.config import RunConfig, run_config
from newscrawl.run.recovery import RECOVERED_SETTING
from newscrawl.sites import cms_for, profile_named

logger = logging.getLogger(__name__)


def real_site_url(url: str, config: RunConfig | None) -> str:
    """A URL fetched from the run's base (a mirror) -> the same page on the real site."""
    if config is None or not config.base_url or urlsplit(url).netloc != urlsplit(config.base_url).netloc:
        return url
    profile = profile_named(config.site, config.base_url)
    return url if profile is None else cms_for(profile).rebase(url, profile.base_url)


class WarcArchive:
    def __init__(self, crawler):
        self.crawler = crawler
        self.config = run_config(crawler)  # the site and the host crawled; None: URLs as fetched
        settings = crawler.settings
        self.template = settings.get("WARC_PATH")
        # None: ISA-L's fast deflate (zlib's level 3 without it); a number: that zlib level
        level = settings.get("WARC_COMPRESSION_LEVEL")
        self.level = None if level in (None, "") else int(level)
        self.revisits = warc.REVISIT_BODIES if settings.getbool("WARC_REVISITS", True) else 0
        self.file: warc.WarcFile | None = None
        self.failed: Exception | None = None  # the file could not be opened
        self.batch = max(1, settings.getint("WARC_WRITE_BATCH", 16))
        self.writer = shared_writer()
        self.channel: ArchiveChannel | None = None  # made with the file, on the first response

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if settings.get("OUTPUT_DIR"):
            # Before anything is fetched: the archives of killed runs become readable final files,
            # whether or not this run archives; `scrapy crawl` and `crawl --sites` did it before the
            # crawl, once for the process (newscrawl.scrapy_commands.crawl.check_state_store).
            done = settings.getdict(RECOVERED_SETTING)
            recovered = done[stat.WARC_RECOVERED_FILES] if stat.WARC_RECOVERED_FILES in done \
                else len(warc.recover_archives(settings.get("OUTPUT_DIR")))
            crawler.stats.set_value(stat.WARC_RECOVERED_FILES, recovered)
        if not settings.getbool("WARC_ENABLED") or not settings.get("WARC_PATH"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def _open(self, spider) -> warc.WarcFile:
        path = run_path(self.template, spider)
        info = {"software": f"newscrawl/{__version__}", "format": "WARC File Format 1.1",
                "run-id": self.config.run_id if self.config else "", "spider": spider.name,
                "fetched-from": self.config.base_url if self.config else ""}
        return warc.WarcFile(path, level=self.level, info=info, revisits=self.revisits)

    def response_downloaded(self, response, request, spider):
        if self.failed is not None or urlsplit(response.url).scheme not in ("http", "https"):
            return
        if self.channel is None:
            try:
                self.file = self._open(spider)
            except OSError as exc:
                self._fail(exc)
                return
            self.channel = self.writer.channel(self.file, self.batch)
        if self.channel.failed is not None:
            return
        self.channel.add(dict(
            target_uri=real_site_url(response.url, self.config), fetched_from=response.url,
            when=clock_for(self.crawler).now(), method=request.method,
            request_headers={k: list(v) for k, v in request.headers.items()}, status=response.status,
            response_headers={k: list(v) for k, v in response.headers.items()}, body=response.body,
            protocol=getattr(response, "protocol", None) or "HTTP/1.1"))
        self.crawler.stats.inc_value(stat.WARC_RECORDS)
        self.crawler.stats.inc_value(stat.WARC_BYTES, len(response.body))

    def _fail(self, exc: Exception) -> None:
        # The articles still get written; the run says its archive is incomplete.
        self.failed = exc
        exit_codes.set_outcome(self.crawler.stats, "write_failed", f"WARC archive: {exc}")
        logger.error("Cannot write the WARC archive (%s); this run's archive is incomplete", exc)

    def spider_closed(self, spider, reason):
        channel = self.channel
        if channel is None or self.file is None:  # nothing archived (the file opens on the first response)
            return
        channel.drain()
        self.channel = None
        self.crawler.stats.set_value(stat.WARC_WRITER_CPU, round(channel.cpu, 6))
        self.crawler.stats.set_value(stat.WARC_REVISITS, self.file.revisits)
        if channel.failed is not None:
            self._fail(channel.failed)
            return
        try:
            path = self.file.close()
        except OSError as exc:
            self._fail(exc)
            return
        self.crawler.stats.set_value(stat.WARC_FILE, str(path))
        logger.info("Archived %d responses in %s", self.file.records, path)
