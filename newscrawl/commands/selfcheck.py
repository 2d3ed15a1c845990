"""`python -m newscrawl selfcheck [--site SITE | --sites all|A,B] [-n 5]`: a first look at the live site(s).

Fetches each site's feed and its newest N articles through the crawl's own spider and settings (polite
delays, robots.txt, retries), prints every field of every article with the source that filled it,
and says, per site, which of these it found (the exit code is the most serious over the sites):

- the markup is read: every required field filled (exit 0);
- an article the feed names is gone (404, or the CMS's not-found page): deleted articles are normal on a
  live site, so it is skipped, named in the output, and the next article of the feed is taken;
- every article of the feed is gone: nothing could be checked (exit 10), the site answered;
- the site is unreachable: the feed or every article failed to connect (refused, DNS, timeout; exit 4);
  the site refused us (403, a challenge page, robots.txt; exit 5);
- the markup is not read: a required field empty, a page with no article markup, or a feed with no
  article links (exit 3, and only for this).

Sites run side by side in one process, each with its own politeness. Writes nothing to the output or
the state store. `--base-url URL` (one site) or `--base-url SITE=URL` (repeatable) checks another
address of a site, a mirror on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy.spidermiddlewares.httperror import HttpError

from newscrawl import exit_codes
from newscrawl.exceptions import BadArgument
from newscrawl.items import Article
from newscrawl.run.answers import network_cause
from newscrawl.sites import DEFAULT_SITE, PROFILES, SiteProfile, not_registered, profile_for_url
from newscrawl.sites.groups import resolve_sites
from newscrawl.spiders.site import SPIDERS, SiteSpider

REQUIRED = ("news_id", "url", "title", "body", "published_at")
SHOWN = ("news_id", "url", "title", "supertitle", "lead", "published_at", "service", "category", "tags",
         "lead_image", "short_url", "body", "images", "comments")
VALUE_WIDTH = 60
GONE_STATUSES = (404, 410)
GONE_FACTOR = 3   # an article that is gone is replaced by the feed's next, for up to GONE_FACTOR x N of them
NAMED = 10        # gone articles named one per line; the rest counted


class SelfcheckSpider(SiteSpider):
    """The crawl's spider on its feed, cut to the newest `limit` articles; an article that is gone is
    replaced by the next one the feed names."""

    name = f"{DEFAULT_SITE}-selfcheck"
    site = DEFAULT_SITE

    def __init__(self, limit: str = "5", **kwargs):
        super().__init__(mode="rss", **kwargs)
        self.limit = int(limit)
        self.waiting: list = []                      # the feed's further article requests, in its order
        self.gone: dict[str, str] = {}               # article URL (the real site's) -> what the site said
        self.replaced: set[str] = set()              # gone articles for which the next of the feed was taken
        self.unread: dict[str, str] = {}             # answered, but no article markup read
        self.unreachable: dict[str, str] = {}        # URL -> network cause (refused, DNS, timed out, ...)

    def parse_feed(self, response):
        requests = list(super().parse_feed(response))
        self.waiting.extend(requests[self.limit:])
        yield from requests[: self.limit]

    def _real_url(self, news_id: int | None, url: str) -> str:
        return self.cms.article_url(self.profile, news_id) if news_id else url

    def _missing(self, news_id: int | None, url: str, why: str) -> None:
        super()._missing(news_id, url, why)
        if why == "404" or "not-found page" in why:  # the site said the article is not there
            self.gone[self._real_url(news_id, url)] = "404" if why == "404" else "the CMS's not-found page"
        else:
            self.unread[self._real_url(news_id, url)] = why

    def parse_article(self, response):
        yield from super().parse_article(response)
        url = self._real_url(response.meta.get("news_id"), response.url)
        if url in self.gone:
            yield from self._next_instead_of(url)

    def _next_instead_of(self, url: str) -> list:
        if not self.waiting or len(self.replaced) >= GONE_FACTOR * self.limit:
            return []
        self.replaced.add(url)
        return [self.waiting.pop(0)]

    def article_failed(self, failure):
        super().article_failed(failure)
        request = failure.request
        response = getattr(failure.value, "response", None)
        if failure.check(HttpError) and response is not None and response.status in GONE_STATUSES:
            url = self._real_url(request.meta.get("news_id"), request.url)
            self.gone[url] = str(response.status)
            return self._next_instead_of(url)
        return []

    def _failed(self, key, failure) -> None:
        super()._failed(key, failure)
        if cause := network_cause(failure.value):
            self.unreachable[failure.request.url] = cause


class CollectArticles:
    """Keeps every article the parser returned, before validation can drop it, per site."""

    found: dict[str, list[Article]] = {}

    def __init__(self, site: str):
        self.articles = CollectArticles.found.setdefault(site, [])

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.spidercls.site)

    def process_item(self, item: Article) -> Article:
        self.articles.append(item)
        return item


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("selfcheck", help="fetch the newest articles of the live site(s) and "
                                                     "show every field with its source")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--site", choices=sorted(SPIDERS), help="the site (default: the host of --base-url, "
                        f"else {DEFAULT_SITE})")
    chosen.add_argument("--sites", help="several sites at once: all, or names separated by commas")
    parser.add_argument("-n", type=int, default=5, help="newest articles of each feed to fetch (default 5)")
    parser.add_argument("--base-url", action="append", default=[],
                        help="the site's address: with --site another address of that site (a mirror on "
                        "127.0.0.1); alone, the site of its host (one no profile names is read with its CMS's "
                        "generic reader); with --sites, SITE=URL, once per site")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting, as with scrapy crawl (e.g. -s RETRY_TIMES=1)")
    parser.set_defaults(run=run)


def _shown(value) -> str:
    if isinstance(value, list):
        named = value and isinstance(value[0], str)
        text = f"{len(value)} item(s)" + (f": {', '.join(map(str, value[:3]))}" if named else "")
    else:
        text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def table(article: Article) -> list[str]:
    lines = [f"== {article.url or article.source_url} ({article.parser_version})"]
    for name in SHOWN:
        value = getattr(article, name)
        missing = "  MISSING" if name in REQUIRED and not value else ""
        source = article.field_sources.get(name, "-" if value in (None, "", []) else "markup")
        if name == "url" and value:
            source = "news_id"  # the canonical URL is made from the id
        lines.append(f"  {name:<13} {source:<22} {_shown(value)}{missing}")
    for note in (*article.defects, *article.warnings):
        lines.append(f"  ! {note}")
    return lines


def _targets(args: argparse.Namespace) -> list[tuple[SiteProfile, str | None]]:
    """(profile, base URL or None) per site to check; BadArgument for a name or address not understood."""
    if not args.sites:
        if len(args.base_url) > 1:
            raise BadArgument("--base-url: one address with --site (SITE=URL with --sites)")
        base = args.base_url[0] if args.base_url else None
        if args.site:
            return [(PROFILES[args.site], base)]
        return [(profile_for_url(base) if base else PROFILES[DEFAULT_SITE], base)]
    names = resolve_sites(args.sites)  # all, a group, or names
    bases: dict[str, str] = {}
    for given in args.base_url:
        site, sep, url = given.partition("=")
        if not sep or site not in names:
            raise BadArgument(f"--base-url: {given!r}: with --sites give SITE=URL for a site of --sites")
        bases[site] = url
    return [(PROFILES[name], bases.get(name)) for name in dict.fromkeys(names)]


@dataclass
class SiteCheck:
    """What one site's selfcheck found, and its verdict."""

    site: str
    articles: list[Article]
    gone: dict[str, str]
    replaced: set[str]
    unread: dict[str, str]
    unreachable: dict[str, str]
    outcomes: dict = field(default_factory=dict)

    @property
    def incomplete(self) -> list[Article]:
        return [a for a in self.articles if any(not getattr(a, name) for name in REQUIRED)]

    def verdict(self) -> tuple[int, str]:
        """(exit code, one line) for this site."""
        if self.incomplete or self.unread:
            if self.incomplete:
                return exit_codes.DRIFT, ("the parser does not read the site's current markup: see the MISSING "
                                          "fields")
            url, why = next(iter(self.unread.items()))
            return exit_codes.DRIFT, f"the parser does not read the site's current markup: {url}: {why}"
        if "refused" in self.outcomes:
            return exit_codes.REFUSED, f"the site refused us: {exit_codes.reason_of(self.outcomes['refused'])}"
        if self.articles:
            return exit_codes.OK, "the markup is read"
        if self.unreachable and not self.gone:
            url, cause = next(iter(self.unreachable.items()))
            return exit_codes.UNREACHABLE, (f"the site is unreachable: {cause} ({urlsplit(url).netloc}); nothing "
                                            "was checked (python -m newscrawl preflight)")
        if "drift" in self.outcomes:
            return exit_codes.DRIFT, (f"the parser does not read the site's feed: "
                                      f"{exit_codes.reason_of(self.outcomes['drift'])}")
        if "unreachable" in self.outcomes:
            return exit_codes.UNREACHABLE, (f"the site is unreachable: "
                                            f"{exit_codes.reason_of(self.outcomes['unreachable'])}")
        if self.gone:
            return exit_codes.NOTHING_CHECKED, (f"the site answered, but the {len(self.gone)} article(s) of its feed "
                                                "asked for are all gone (404 or its not-found page): nothing to "
                                                "check; try again later or with a larger -n")
        return exit_codes.NOTHING_CHECKED, "the feed named no article: nothing to check"

    def lines(self) -> list[str]:
        out = [line for article in self.articles for line in table(article)]
        out += [f"skipped {url}: gone (the site answered {why}); "
                + ("took the next article of the feed instead" if url in self.replaced else "no next one taken")
                for url, why in list(self.gone.items())[:NAMED]]
        if len(self.gone) > NAMED:
            out.append(f"skipped {len(self.gone) - NAMED} more gone article(s)")
        out += [f"not read {url}: {why}" for url, why in self.unread.items()]
        out.append(f"\n{len(self.articles)} article(s) checked, {len(self.incomplete)} with a required field empty "
                   f"({', '.join(REQUIRED)}), {len(self.unread)} feed article(s) not read as an article, "
                   f"{len(self.gone)} gone (skipped)")
        return out


def run(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    try:
        targets = _targets(args)
    except BadArgument as exc:
        print(f"newscrawl selfcheck: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    settings = get_project_settings()
    scratch = tempfile.mkdtemp(prefix="newscrawl-selfcheck-")
    settings.set("OUTPUT_DIR", scratch, priority="cmdline")
    settings.set("LOG_LEVEL", "ERROR", priority="cmdline")  # the table is the output
    # a look, not a run: no drift history, no alert, no run report (the verdict here says it all)
    settings.set("SPIDERMON_ENABLED", False, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["newscrawl.extensions.run_report.RunReport"] = None
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    for given in args.settings:
        name, sep, value = given.partition("=")
        if not sep:
            print(f"newscrawl selfcheck: -s {given}: give NAME=VALUE", file=sys.stderr)
            return exit_codes.USAGE
        settings.set(name, value, priority="cmdline")
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines[f"{__name__}.CollectArticles"] = 290  # after the text policy, before validation
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for profile, base in targets:
        if notice := not_registered(profile):
            print(notice, file=sys.stderr)
        spider_args = {"limit": str(args.n), **({"base_url": base} if base else {})}
        spidercls = type("SelfcheckSpider", (SelfcheckSpider,), {
            "site": profile.name, "name": f"{profile.name}-selfcheck",
            "site_profile": classmethod(lambda cls, given, profile=profile: profile),
            # each site its own (empty) state: side by side, they share nothing
            "custom_settings": {"STATE_DIR": os.path.join(scratch, "state", profile.name)}})
        crawler = process.create_crawler(spidercls)
        process.crawl(crawler, **spider_args)
        crawlers.append((profile.name, crawler))
    try:
        process.start()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # the run files of a look: nothing is kept

    several = len(crawlers) > 1
    verdicts = []
    for site, crawler in crawlers:
        spider = crawler.spider
        assert isinstance(spider, SelfcheckSpider)
        check = SiteCheck(site, CollectArticles.found.get(site, []), spider.gone, spider.replaced, spider.unread,
                          spider.unreachable, exit_codes.outcomes(crawler.stats.get_stats()))
        code, line = check.verdict()
        if several:
            print(f"\n#### {site}")
        print("\n".join(check.lines()))
        if code:
            print(f"selfcheck: {site + ': ' if several else ''}{line}", file=sys.stderr)
        verdicts.append((site, code, line))
    if several:
        print("\nsite" + " " * 20 + "verdict")
        for site, code, line in verdicts:
            print(f"{site:<24}{'ok' if code == 0 else f'exit {code}'}: {line}")
    return exit_codes.most_serious([code for _, code, _ in verdicts])
