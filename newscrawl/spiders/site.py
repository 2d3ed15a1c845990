"""`scrapy crawl <site>`: one spider class for every site of the family, one spider per site profile
(`scrapy list`), generated at the end of this module from `newscrawl.sites.PROFILES`. It finds the
site's articles and hands each page to the site's parser; all it knows of a site comes from its
profile and its CMS (`newscrawl.sites.cms_for`).

    -a mode=rss       (default) the site's feeds (its profile) and those of -a feeds=1,1/4
    -a mode=archive   the archive from -a from_date to -a to_date (Jalali YYYY/MM/DD; default the
                      site's archive start to today; -a days=N: the last N days), optional
                      -a service_id (a number or a service name of the profile) / -a cat_id,
                      following the next-page link
    -a mode=ids       -a ids=719861,870239 or -a ids=870000-870500: the article pages directly
    -a mode=urls      -a urls=URL,URL or -a urls_file=PATH
    -a mode=files     saved pages: -a path=DIR_OR_GLOB (required)
    -a refresh=1      fetch known articles again; write those whose content changed
    -a skip_known=0   fetch and write known articles too (the default in ids/urls modes with -o/-O)

Arguments are checked before the crawl (newscrawl.run.args): a bad or unknown one is one line on
stderr and exit code 2.

-a base_url=http://127.0.0.1:P crawls a mirror instead of the real site; the URLs written in items
always name the real site. With -s MIRROR_PROXY=http://127.0.0.1:P (a mirror of many sites, as a
proxy: newscrawl.middlewares.mirror_proxy) the default base_url is http://<the site's host>. Every
article is requested at its canonical URL (no slug), so Scrapy's dupefilter fetches it once however
many listings link it.

`scrapy crawl <cms> -a base_url=https://www.example.ir` (one spider per CMS, named for it) crawls a
site of that CMS that no profile names, with the CMS's generic reader: the site is named from the host
(`newscrawl.sites.site_name`), its URLs are on that host, and the log says once that it is not
registered. A host a profile names is crawled as that site.
"""

from __future__ import annotations

import glob
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from w3lib.encoding import html_to_unicode

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.exceptions import BadArgument, NotAnArticle
from newscrawl.logs import IdRanges, logs_at_debug, ranges_text
from newscrawl.output.jsonl import RUN_FILE
from newscrawl.output.paths import resolve_run_dirs, run_name
from newscrawl.run.answers import SiteAnswers
from newscrawl.run.args import SpiderArgs, parse_spider_args, tehran_today
from newscrawl.run.clock import RunClock, clock_for
from newscrawl.run.config import RunConfig, publish
from newscrawl.run.idbits import IdBits
from newscrawl.run.signals import article_missing
from newscrawl.run.walks import resume_point, walk_broke, walk_finished, walk_key
from newscrawl.sites import PROFILES, SiteProfile, cms_for, not_registered, parse_page, profile_for_url
from newscrawl.text.encoding import better_encoding

# An archive walk's next listing page comes after the articles of the page that links it (they keep
# Request's default priority 0): the scheduler then holds one page's articles at a time, not the walk.
NEXT_PAGE_PRIORITY = -1


def run_feeds(settings) -> None:
    """FEEDS of a run: the files of -o/-O (or -s FEEDS=), each there after the run (empty when
    nothing was found), then the run's own file under OUTPUT_DIR (RUN_OUTPUT_PATH, named from the
    spider's attributes like a feed URI; none when nothing was written), which the state store and
    the dataset go by: -o/-O is an extra copy. Scrapy writes an item to the feeds in this order, so
    the user's file holds every line the run file holds. RUN_OUTPUT_PATH empty: no run file, and the
    run records nothing (an ad-hoc export)."""
    feeds = {uri: options for uri, options in settings.getdict("FEEDS").items() if not options.get(RUN_FILE)}
    feeds = {uri: {"store_empty": True, **options} for uri, options in feeds.items()}
    if settings.get("RUN_OUTPUT_PATH"):
        uri = settings["RUN_OUTPUT_PATH"].replace("%(output_dir)s", settings["OUTPUT_DIR"])
        feeds[uri] = {"format": "jsonlines", "store_empty": False, RUN_FILE: True}
    priority = max(settings.getpriority("FEEDS") or 0, SETTINGS_PRIORITIES["spider"])
    settings.set("FEEDS", feeds, priority=priority)


class SiteSpider(scrapy.Spider):
    """The spider of one site; the subclasses below set `name` and `site` (a profile's name)."""

    site: str
    output_dir: str | None  # OUTPUT_DIR, set in from_crawler: a parameter of the run's file names

    @classmethod
    def site_profile(cls, given: dict[str, str]) -> SiteProfile:
        """The profile of the site this spider crawls (a site spider: its own)."""
        return PROFILES[cls.site]

    @classmethod
    def parse_args(cls, given: dict[str, str]) -> SpiderArgs:
        """The -a arguments, checked (BadArgument: one line); `scrapy crawl` calls it before the crawl."""
        return parse_spider_args(cls.site_profile(given), given)

    def __init__(self, **kwargs):
        args = self.parse_args(kwargs)
        self.profile = self.site_profile(kwargs)
        if self.profile.name != self.site:  # a CMS's spider: the site is its host's
            self.site = self.name = self.profile.name
        super().__init__(**args.runner)
        self.mode = args.mode
        self.cms = cms_for(self.profile)
        self.base_url = args.base_url
        self.base_url_given = "base_url" in kwargs
        if self.mode != "files":  # redirects to other sites are not followed (Scrapy's OffsiteMiddleware)
            self.allowed_domains = [urlsplit(self.base_url).hostname]
        self.feeds = args.feeds
        self.from_date = args.from_date or self.profile.archive.start
        self.to_date = args.to_date or tehran_today().strftime("%Y/%m/%d")
        self.service_id, self.cat_id = args.service_id, args.cat_id
        self.walk = walk_key(self.from_date, self.to_date, self.service_id, self.cat_id)  # mode=archive
        self.ids, self.urls = args.ids, args.urls
        self.path = args.path
        self.refresh = args.refresh
        # Skip articles the state store knows (middlewares/known.py, pipelines/written.py)? By default
        # yes, except when the user names both the articles (ids, urls) and the output file (-o/-O):
        # that file must hold them all. -a skip_known=0/1 decides instead. Settled in from_crawler.
        self.skip_known_arg = args.skip_known
        self.skip_known = True if args.skip_known is None else args.skip_known
        self.answers = SiteAnswers()
        # every article the archive walk's pages listed so far, as bits of their ids (flat in the walk's size)
        self.archive_listed = IdBits()
        self.archive_listed_count = 0  # how many ids archive_listed holds
        self.feed_listed: set[int] = set()  # every article the feeds listed (mode=rss: a feed's hundreds)
        self.missing_ids = IdRanges()  # as ranges: a million missing ids in a row is one entry
        self.failed: dict[int | str, str] = {}
        self.log_each_missing = True  # each missing id at DEBUG: only when the run logs DEBUG (from_crawler)
        self.clock = RunClock()  # the wall clock; in a crawl, the run's (from_crawler)
        self._name_run()

    def _name_run(self) -> None:
        """Names this run's files (see RUN_OUTPUT_PATH): sortable, unique, says what the run did; by the
        run's clock (newscrawl.run.clock), so a clock set back never names a run before the last one."""
        self.run_day, self.run_id = run_name(self.mode, self.clock.now())

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if notice := not_registered(spider.profile):
            spider.logger.warning(notice)
        if not crawler.settings.frozen:  # again: `scrapy crawl` re-applies -s, -o and -O after update_settings
            resolve_run_dirs(crawler.settings)
            run_feeds(crawler.settings)
        spider.output_dir = crawler.settings.get("OUTPUT_DIR")
        if crawler.settings.get("MIRROR_PROXY") and not spider.base_url_given:
            # through the mirror's proxy: the site's own host, over http (the proxy takes no CONNECT)
            spider.base_url = f"http://{urlsplit(spider.profile.base_url).netloc}"
        spider.log_each_missing = logs_at_debug(crawler.settings)
        # The run's clock never goes below what the state store recorded (newscrawl.run.clock):
        # crawled_at and the run id stay in order when the wall clock goes back.
        spider.clock = clock_for(crawler)
        spider._name_run()
        # -o/-O (or -s FEEDS=) name a file of the user's, beside the run's own (update_settings).
        explicit_output = any(not options.get(RUN_FILE) for options in crawler.settings.getdict("FEEDS").values())
        if spider.skip_known_arg is None:
            spider.skip_known = not (explicit_output and spider.mode in ("ids", "urls"))
        spider.answers = SiteAnswers.for_settings(crawler.settings)
        # What the components built after the spider take (newscrawl.run.config: Scrapy's order).
        publish(crawler, RunConfig(site=spider.site, mode=spider.mode, run_id=spider.run_id,
                                   base_url=spider.base_url, refresh=spider.refresh,
                                   skip_known=spider.skip_known))
        return spider

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        resolve_run_dirs(settings)
        run_feeds(settings)
        # The User-Agent names a contact URL that is a setting of its own (-s CONTACT_URL=...).
        user_agent = settings["USER_AGENT"]
        if "{contact_url}" in user_agent:
            settings.set("USER_AGENT", user_agent.format(contact_url=settings["CONTACT_URL"]), priority="spider")

    def _progress_stats(self):
        """Where the progress figures go (newscrawl.run.progress); None for a spider outside a crawl."""
        try:
            return self.crawler.stats
        except (AttributeError, RuntimeError):  # no crawler, or one not started (Scrapy's late attribute)
            return None

    def _count(self, key: str, n: int = 1) -> None:
        if (stats := self._progress_stats()) is not None:
            stats.inc_value(key, n)

    def _known(self, n: int) -> None:
        if (stats := self._progress_stats()) is not None:
            stats.set_value(stat.ARTICLES_KNOWN, n)

    async def start(self):
        """The start requests, yielded lazily: while the engine needs back-out (the downloader is
        full) the next one waits until the scheduler runs empty (Scrapy's documented pattern,
        `start-requests-lazy`). Scrapy otherwise takes them all at once, and an ids crawl of a
        million ids would hold a million requests in the scheduler (memory, or JOBDIR's disk queue).
        Called without an engine (`newscrawl seed` reads them into Redis), it never waits."""
        if self.mode in ("ids", "urls"):
            self._known(len(self.ids) if self.mode == "ids" else len(self.urls))
        engine = self._engine()
        async for request in self._start_requests():
            if engine is not None and engine.needs_backout():
                await self.crawler.signals.wait_for(signals.scheduler_empty)
            yield request

    def _engine(self):
        """The crawl's engine; None outside a crawl (Scrapy sets it when the crawl starts)."""
        crawler = getattr(self, "crawler", None)
        try:
            return crawler.engine if crawler is not None else None
        except RuntimeError:  # Crawler.engine before the crawl started
            return None

    async def _start_requests(self):
        if self.mode == "rss":  # every feed made (and counted open) before the first is read
            feeds = [self.listing_request(self.cms.feed_url(self.base_url, feed), self.parse_feed, first=True)
                     for feed in dict.fromkeys(self.feeds)]
            for request in feeds:
                yield request
        elif self.mode == "archive":
            yield self.archive_start()
        elif self.mode == "ids":
            for news_id in self.ids:
                yield self.article_request(news_id)
        elif self.mode == "urls":
            for url in self.urls:
                url_id = self.cms.news_id_from_url(url, self.profile)
                if url_id:
                    yield self.article_request(url_id)
                else:  # a page of the site that is no article URL: asked of the host crawled
                    other = self.cms.rebase(urljoin(self.profile.base_url + "/", url), self.base_url)
                    yield scrapy.Request(other, callback=self.parse_article, errback=self.article_failed)
        else:
            assert self.path is not None  # newscrawl.run.args: mode=files needs a path
            base = Path(self.path)
            pages = sorted(base.glob("*.html")) if base.is_dir() else sorted(map(Path, glob.glob(self.path)))
            # Local files: a download slot of their own, without the live site's politeness delays.
            slot = {"download_slot": self.settings.get("LOCAL_FILES_SLOT"), "autothrottle_dont_adjust_delay": True}
            self._known(len(pages))
            for page in pages:
                yield scrapy.Request(page.resolve().as_uri(), callback=self.parse_article, meta=slot)

    def archive_start(self) -> scrapy.Request:
        """Page 1 of the archive walk, or the page where this walk broke in an earlier run
        (newscrawl.run.walks): the state store remembers it until a run reaches the walk's end."""
        broke = resume_point(self.crawler, self.site, self.walk) if getattr(self, "crawler", None) else None
        if not broke:
            return self.archive_request(1, first=True)
        page = broke["page"]
        self.logger.info("Resuming the archive walk at page %d (it broke there in run %s: %s)", page,
                         broke["run"], broke["reason"])
        self.crawler.stats.set_value(stat.WALK_RESUMED_AT, page)
        if self.profile.archive.method == "POST":
            return self.archive_request(page, first=True)
        request = self.listing_request(self.cms.rebase(broke["url"], self.base_url), self.parse_listing, first=True)
        request.meta["archive_page"] = page
        return request

    def listing_request(self, url: str, callback, first: bool = False, priority: int = 0) -> scrapy.Request:
        """A feed or an archive page; `first`: every listing of the run failing means the site could
        not be reached (mode=rss: each feed; mode=archive: page 1)."""
        self._count(stat.LISTINGS_OPEN)
        return scrapy.Request(url, callback=callback, errback=self.listing_failed, meta={"listing_first": first},
                              priority=priority)

    def archive_request(self, page: int, first: bool = False, priority: int = 0) -> scrapy.Request:
        """Page `page` of the archive's date range, asked the way the site's archive takes it (a GET,
        or a form POST: then the next page is asked by its number, not by the link's href)."""
        listing = self.cms.archive_request(self.profile, self.base_url, from_date=self.from_date,
                                           to_date=self.to_date, service_id=self.service_id,
                                           cat_id=self.cat_id, page=page)
        meta = {"listing_first": first, "archive_page": page}
        self._count(stat.LISTINGS_OPEN)
        if listing.method == "POST":
            return scrapy.FormRequest(listing.url, formdata=listing.form, callback=self.parse_listing,
                                      errback=self.listing_failed, meta=meta, dont_filter=True, priority=priority)
        return scrapy.Request(listing.url, callback=self.parse_listing, errback=self.listing_failed, meta=meta,
                              priority=priority)

    def listing_failed(self, failure):
        request = failure.request
        self._listing_read()
        self.answers.listing_failed(request.url, request.meta.get("listing_first", False), failure)
        self._failed(request.url, failure)
        if self.mode == "archive":
            page = request.meta.get("archive_page", 1)
            if page > 1:  # page 1 failing: the next run starts there anyway
                walk_broke(self.crawler, self.site, self.walk, page, request.url, self.failed[request.url],
                           self.run_id)
            self.logger.error("The archive walk stops at %s (page %d): the articles listed after it are not "
                              "fetched; the next run of this walk (-a from_date=%s -a to_date=%s) resumes there",
                              request.url, page, self.from_date, self.to_date)

    def article_request(self, news_id: int) -> scrapy.Request:
        # 404 reaches the callback: a missing id is counted, not retried and not an error.
        return scrapy.Request(self.cms.article_url(self.profile, news_id, self.base_url), callback=self.parse_article,
                              errback=self.article_failed,
                              meta={"handle_httpstatus_list": [404], "news_id": news_id})

    def article_failed(self, failure):
        """The download failed for good (retries spent, too large, offsite redirect, ...): counted
        and named in the stats; not in the state store, so the next run tries it again."""
        request = failure.request
        self._count(stat.ARTICLES_DONE)
        self.answers.article_failed(request.url, failure)
        self._failed(request.meta.get("news_id") or request.url, failure)

    def _failed(self, key: int | str, failure) -> None:
        request = failure.request
        response = getattr(failure.value, "response", None)  # HttpError: the status says what happened
        if response is not None and failure.check(HttpError):
            why = f"HTTP {response.status}"
        else:
            why = failure.getErrorMessage()
        self.failed[key] = f"{failure.type.__name__}: {why}"
        self.crawler.stats.inc_value(stat.FAILED)
        self.crawler.stats.inc_value(stat.FAILED_WITH(failure.type.__name__))
        self.logger.error("Failed %s: %s", request.url, self.failed[key])

    def parse_feed(self, response):
        news_ids = self.cms.parse_feed(response.body)
        self._listing_read()
        self.feed_listed.update(news_ids)
        self._known(len(self.feed_listed))
        self.answers.listing_answered(response.url, response.meta.get("listing_first", False), len(news_ids))
        for news_id in news_ids:
            yield self.article_request(news_id)

    def parse_listing(self, response):
        listing = self.cms.parse_archive(self._page_text(response), self.profile)
        # A page that lists nothing new is the archive not paging (page 2 answered as page 1): stop there.
        repeated = bool(listing.news_ids) and all(i in self.archive_listed for i in listing.news_ids)
        for news_id in listing.news_ids:
            if not self.archive_listed.add(news_id):
                self.archive_listed_count += 1
        # the next page is made (and counted open) before this one counts as read: the progress line never
        # sees the walk over while its callback is still yielding this page's articles
        following = None if repeated else self._following_page(listing, response)
        self._listing_read()
        self._known(self.archive_listed_count)
        self.answers.listing_answered(response.url, response.meta.get("listing_first", False),
                                      len(listing.news_ids), repeated=repeated)
        self.crawler.stats.inc_value(stat.ARCHIVE_PAGES)
        if repeated:
            self.logger.warning("The archive walk stops at %s: it lists only articles of earlier pages (the "
                                "archive did not page: does the profile name its page parameter?)", response.url)
            return
        for news_id in listing.news_ids:
            yield self.article_request(news_id)
        if following is not None:
            yield following
        elif listing.news_ids:  # the walk's last page: a walk that broke before is whole now
            walk_finished(self.crawler, self.site, self.walk)

    def _following_page(self, listing, response) -> scrapy.Request | None:
        """The archive's next page, or None. It waits for the articles this one lists
        (NEXT_PAGE_PRIORITY): Scrapy's LIFO queue would otherwise pop it first and the walk would run
        ahead of its articles."""
        page = response.meta.get("archive_page", 1)
        if listing.next_href and response.request.method == "POST":
            return self.archive_request(page + 1, priority=NEXT_PAGE_PRIORITY)
        if listing.next_href:
            request = self.listing_request(self.cms.rebase(response.urljoin(listing.next_href), self.base_url),
                                           self.parse_listing, priority=NEXT_PAGE_PRIORITY)
            request.meta["archive_page"] = page + 1
            return request
        return None

    def _listing_read(self) -> None:
        self._count(stat.LISTINGS_READ)
        self._count(stat.LISTINGS_OPEN, -1)

    def _page_text(self, response) -> str:
        """The page as text, decoded only now that it is read (as `response.text` would, but not kept
        on the response, which lives on while its items are written): a response waiting its turn
        holds its bytes alone (a sweep of 100 sites has ~800 pages waiting at once, and their decoded
        text held as much memory again), and a page never read (a 404) is never decoded. Re-read in the
        right encoding when the server lied about it (newscrawl.text.encoding), counted in the stats."""
        declared = response.encoding
        text = html_to_unicode(f"charset={declared}", response.body)[1]
        better = better_encoding(response.body, declared, text)
        if better is None:
            return text
        self.crawler.stats.inc_value(stat.CHARSET_REPAIRED(f"{declared}->{better}"))
        return html_to_unicode(f"charset={better}", response.body)[1]

    def parse_article(self, response):
        news_id = response.meta.get("news_id")
        self._count(stat.ARTICLES_DONE)
        self.answers.article_answered(response.status)
        if response.status == 404:
            self._missing(news_id, response.url, "404")
            return
        try:
            yield parse_page(self._page_text(response), response.url, site=self.profile, crawled_at=self.clock.now())
        except NotAnArticle as exc:
            if news_id is not None:
                self._missing(news_id, response.url, str(exc))
                return
            self.crawler.stats.inc_value(stat.NOT_AN_ARTICLE)
            self.logger.info("Not an article: %s (%s)", response.url, exc)

    def _missing(self, news_id: int | None, url: str, why: str) -> None:
        if news_id:  # None: a page asked by URL, not by id (counted, not named)
            self.missing_ids.add(news_id)
        self.crawler.stats.inc_value(stat.MISSING)
        if self.log_each_missing:  # summarised at the end; a debug call that logs nothing still costs
            self.logger.debug("Missing article %s: %s (%s)", news_id, url, why)
        self.crawler.signals.send_catch_log(article_missing, site=self.site, news_id=news_id, reason=why)

    def closed(self, reason: str) -> None:
        if self.clock.behind_seconds:
            self.crawler.stats.set_value(stat.CLOCK_BEHIND_SECONDS, self.clock.behind_seconds)
        for cause, detail in self.answers.outcomes().items():  # the run report's summary says them first
            exit_codes.set_outcome(self.crawler.stats, cause, detail)
        if self.missing_ids:
            ranges = self.missing_ids.ranges()
            self.crawler.stats.set_value(stat.MISSING_IDS, stat.id_ranges_value(ranges))
            self.logger.info("Missing articles (404 or the CMS's not-found page): %d ids: %s",
                             sum(last - first + 1 for first, last in ranges),
                             ranges_text(ranges, self.settings.getint("MISSING_IDS_LOGGED", 20)))
        if self.failed:
            self.crawler.stats.set_value(stat.FAILED_PAGES, {str(k): v for k, v in self.failed.items()})


class CmsSpider(SiteSpider):
    """The spider of a CMS (`scrapy crawl <cms> -a base_url=URL`): the site of base_url's host, the
    generic profile of the CMS when no profile names that host."""

    @classmethod
    def site_profile(cls, given: dict[str, str]) -> SiteProfile:
        url = given.get("base_url", "").strip()
        if not url:
            raise BadArgument(f"base_url: required: the site to crawl, e.g. scrapy crawl {cls.name} "
                              "-a base_url=https://www.example.ir")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise BadArgument(f"base_url: {url!r} is not an http(s) URL such as https://www.example.ir")
        profile = profile_for_url(url)
        if profile.cms != cls.site:
            raise BadArgument(f"base_url: {url} is a site of {profile.cms}, not of {cls.site}")
        return profile


def _class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_")) + "Spider"


def _spider_for(profile_name: str) -> type[SiteSpider]:
    return type(_class_name(profile_name), (SiteSpider,), {"name": profile_name, "site": profile_name,
                                                            "__module__": __name__,
                                                            "__doc__": f"`scrapy crawl {profile_name}`"})


def _cms_spider_for(cms: str) -> type[SiteSpider]:
    return type(_class_name(cms), (CmsSpider,), {"name": cms, "site": cms, "__module__": __name__,
                                                 "__doc__": f"`scrapy crawl {cms} -a base_url=URL`"})


# One spider per site profile: `scrapy list` names them, `scrapy crawl <site>` runs one; and one per CMS
# for its sites no profile names.
SPIDERS: dict[str, type[SiteSpider]] = {name: _spider_for(name) for name in PROFILES}
CMS_SPIDERS: dict[str, type[SiteSpider]] = {cms: _cms_spider_for(cms)
                                            for cms in sorted({p.cms for p in PROFILES.values()})}
globals().update({cls.__name__: cls for cls in (*SPIDERS.values(), *CMS_SPIDERS.values())})
