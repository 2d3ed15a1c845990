"""`scrapy crawl asriran`: finds Asriran articles and hands each page to the site parser.

    -a mode=rss       (default) /fa/rss/allnews and the feeds of -a feeds=1,1/4
    -a mode=archive   the archive from -a from_date to -a to_date (Jalali YYYY/MM/DD; default
                      1384/01/01 to today; -a days=N: the last N days), optional -a service_id /
                      -a cat_id, following a.next
    -a mode=ids       -a ids=719861,870239 or -a ids=870000-870500: /fa/news/<id> directly
    -a mode=urls      -a urls=URL,URL or -a urls_file=PATH
    -a mode=files     saved pages: -a path=DIR_OR_GLOB (default: the bundled fixtures)
    -a refresh=1      fetch known articles again; write those whose content changed

-a base_url=http://127.0.0.1:P crawls a mirror instead of https://www.asriran.com; the URLs written
in items always name the real site. Every article is requested at its canonical URL (no slug), so
Scrapy's dupefilter fetches it once however many listings link it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import jdatetime
import scrapy

from newscrawl.fixtures import FIXTURES_DIR
from newscrawl.logs import id_ranges
from newscrawl.run_paths import resolve_run_dirs
from newscrawl.signals import article_missing
from newscrawl.sites import PROFILES, NotAnArticle, parse_page
from newscrawl.sites.iransamaneh.listing import parse_archive, parse_feed
from newscrawl.sites.iransamaneh.urls import (
    ARCHIVE_START, archive_url, article_url, feed_url, news_id_from_url, rebase,
)

MODES = ("rss", "archive", "ids", "urls", "files")


def parse_ids(text: str) -> list[int]:
    """`719861,870239` and ranges `870000-870500` (inclusive) -> ids, in order, each once."""
    ids: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ValueError(f"not an id or an id range: {part!r}")
        first, last = int(low), int(high or low)
        if last < first:
            raise ValueError(f"empty id range: {part!r}")
        ids.extend(range(first, last + 1))
    return list(dict.fromkeys(ids))


class AsriranSpider(scrapy.Spider):
    name = "asriran"
    site = "asriran"

    def __init__(self, mode: str = "rss", base_url: str | None = None, feeds: str = "",
                 from_date: str = ARCHIVE_START, to_date: str | None = None,
                 service_id: str = "-1", cat_id: str = "-1", ids: str = "",
                 urls: str = "", urls_file: str | None = None, path: str | None = None,
                 refresh: str = "", days: str = "", **kwargs):
        super().__init__(**kwargs)
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        self.mode = mode
        self.profile = PROFILES[self.site]
        self.base_url = (base_url or self.profile.base_url).rstrip("/")
        if mode != "files":  # redirects to other sites are not followed (Scrapy's OffsiteMiddleware)
            self.allowed_domains = [urlsplit(self.base_url).hostname]
        self.feeds = ["allnews", *(f.strip() for f in feeds.split(",") if f.strip())]
        today = jdatetime.date.today()
        self.from_date = (today - timedelta(days=int(days))).strftime("%Y/%m/%d") if days else from_date
        self.to_date = to_date or today.strftime("%Y/%m/%d")
        self.service_id, self.cat_id = service_id, cat_id
        self.ids = parse_ids(ids)
        self.urls = [u.strip() for u in urls.split(",") if u.strip()]
        if urls_file:
            lines = Path(urls_file).read_text(encoding="utf-8").splitlines()
            self.urls += [u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#")]
        self.path = path or str(FIXTURES_DIR / self.site / "news")
        if mode == "ids" and not self.ids:
            raise ValueError("mode=ids needs -a ids=ID,ID or -a ids=FIRST-LAST")
        if mode == "urls" and not self.urls:
            raise ValueError("mode=urls needs -a urls=URL,URL or -a urls_file=PATH")
        self.refresh = refresh.lower() in ("1", "true", "yes")
        self.missing_ids: list[int] = []
        self.failed: dict[int | str, str] = {}
        # Names this run's files (see RUN_OUTPUT_PATH): sortable, unique, says what the run did.
        started = datetime.now(timezone.utc)
        self.run_day = started.strftime("%Y-%m-%d")
        self.run_id = f"{started:%Y%m%dT%H%M%SZ}-{mode}-{secrets.token_hex(3)}"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if not crawler.settings.frozen:  # again: `scrapy crawl` re-applies -s values after update_settings
            resolve_run_dirs(crawler.settings)
        spider.output_dir = crawler.settings.get("OUTPUT_DIR")
        return spider

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        resolve_run_dirs(settings)
        if not settings.getdict("FEEDS") and settings.get("RUN_OUTPUT_PATH"):
            # No -o/-O: this run's own file, named from the spider's attributes like a feed URI.
            uri = settings["RUN_OUTPUT_PATH"].replace("%(output_dir)s", settings["OUTPUT_DIR"])
            settings.set("FEEDS", {uri: {"format": "jsonlines"}}, priority="spider")
        # The User-Agent names a contact URL that is a setting of its own (-s CONTACT_URL=...).
        user_agent = settings["USER_AGENT"]
        if "{contact_url}" in user_agent:
            settings.set("USER_AGENT", user_agent.format(contact_url=settings["CONTACT_URL"]), priority="spider")

    async def start(self):
        if self.mode == "rss":
            for feed in dict.fromkeys(self.feeds):
                yield scrapy.Request(feed_url(self.base_url, feed), callback=self.parse_feed)
        elif self.mode == "archive":
            yield scrapy.Request(archive_url(self.base_url, from_date=self.from_date, to_date=self.to_date,
                                             service_id=self.service_id, cat_id=self.cat_id),
                                 callback=self.parse_listing)
        elif self.mode == "ids":
            for news_id in self.ids:
                yield self.article_request(news_id)
        elif self.mode == "urls":
            for url in self.urls:
                news_id = news_id_from_url(url)
                yield self.article_request(news_id) if news_id else scrapy.Request(url, callback=self.parse_article)
        else:
            base = Path(self.path)
            pages = sorted(base.glob("*.html")) if base.is_dir() else sorted(Path().glob(self.path))
            # Local files: a download slot of their own, without the live site's politeness delays.
            slot = {"download_slot": self.settings.get("LOCAL_FILES_SLOT"), "autothrottle_dont_adjust_delay": True}
            for page in pages:
                yield scrapy.Request(page.resolve().as_uri(), callback=self.parse_article, meta=slot)

    def article_request(self, news_id: int) -> scrapy.Request:
        # 404 reaches the callback: a missing id is counted, not retried and not an error.
        return scrapy.Request(article_url(self.profile, news_id, self.base_url), callback=self.parse_article,
                              errback=self.article_failed,
                              meta={"handle_httpstatus_list": [404], "news_id": news_id})

    def article_failed(self, failure):
        """The download failed for good (retries spent, too large, offsite redirect, ...): counted
        and named in the stats; not in the state store, so the next run tries it again."""
        request = failure.request
        key = request.meta.get("news_id") or request.url
        self.failed[key] = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.crawler.stats.inc_value("newscrawl/failed")
        self.crawler.stats.inc_value(f"newscrawl/failed/{failure.type.__name__}")
        self.logger.error("Failed %s: %s", request.url, self.failed[key])

    def parse_feed(self, response):
        for news_id in parse_feed(response.body):
            yield self.article_request(news_id)

    def parse_listing(self, response):
        listing = parse_archive(response.text)
        self.crawler.stats.inc_value("newscrawl/archive_pages")
        for news_id in listing.news_ids:
            yield self.article_request(news_id)
        if listing.next_href:
            yield scrapy.Request(rebase(response.urljoin(listing.next_href), self.base_url),
                                 callback=self.parse_listing)

    def parse_article(self, response):
        news_id = response.meta.get("news_id")
        if response.status == 404:
            self._missing(news_id, response.url, "404")
            return
        try:
            yield parse_page(response.text, response.url, site=self.site, crawled_at=datetime.now(timezone.utc))
        except NotAnArticle as exc:
            if news_id is not None:
                self._missing(news_id, response.url, str(exc))
                return
            self.crawler.stats.inc_value("newscrawl/not_an_article")
            self.logger.info("Not an article: %s (%s)", response.url, exc)

    def _missing(self, news_id: int | None, url: str, why: str) -> None:
        self.missing_ids.append(news_id)
        self.crawler.stats.inc_value("newscrawl/missing")
        self.logger.debug("Missing article %s: %s (%s)", news_id, url, why)  # summarised at the end
        self.crawler.signals.send_catch_log(article_missing, site=self.site, news_id=news_id, reason=why)

    def closed(self, reason: str) -> None:
        if self.missing_ids:
            missing = sorted(i for i in self.missing_ids if i)
            self.crawler.stats.set_value("newscrawl/missing_ids", missing)
            self.logger.info("Missing articles (404 or the CMS's not-found page): %d ids: %s", len(missing),
                             id_ranges(missing, self.settings.getint("MISSING_IDS_LOGGED", 20)))
        if self.failed:
            self.crawler.stats.set_value("newscrawl/failed_pages", {str(k): v for k, v in self.failed.items()})
