"""`python -m newscrawl selfcheck [--site SITE] [-n 5]`: a first look at the live site.

Fetches the feed and its newest N articles through the crawl's own spider and settings (polite
delays, robots.txt, retries), prints every field of every article with the source that filled it,
and exits non-zero when a required field is empty on any of them: the command to run the first time
the machine has a route to the site. Writes nothing to the output or the state store.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.items import Article
from newscrawl.sites import DEFAULT_SITE, PROFILES, SiteProfile, not_registered, profile_for_url
from newscrawl.spiders.site import SPIDERS, SiteSpider

REQUIRED = ("news_id", "url", "title", "body", "published_at")
SHOWN = ("news_id", "url", "title", "supertitle", "lead", "published_at", "service", "category", "tags",
         "lead_image", "short_url", "body", "images", "comments")
VALUE_WIDTH = 60


class SelfcheckSpider(SiteSpider):
    """The crawl's spider on its feed, cut to the newest `limit` articles."""

    name = f"{DEFAULT_SITE}-selfcheck"
    site = DEFAULT_SITE

    def __init__(self, limit: str = "5", **kwargs):
        super().__init__(mode="rss", **kwargs)
        self.limit = int(limit)

    def parse_feed(self, response):
        for number, request in enumerate(super().parse_feed(response)):
            if number >= self.limit:
                return
            yield request


class CollectArticles:
    """Keeps every article the parser returned, before validation can drop it."""

    articles: list[Article] = []

    def process_item(self, item: Article) -> Article:
        CollectArticles.articles.append(item)
        return item


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("selfcheck", help="fetch the newest articles of the live site and "
                                                     "show every field with its source")
    parser.add_argument("--site", choices=sorted(SPIDERS), help="the site (default: the host of --base-url, "
                        f"else {DEFAULT_SITE})")
    parser.add_argument("-n", type=int, default=5, help="newest articles of the feed to fetch (default 5)")
    parser.add_argument("--base-url", help="the site's address: with --site another address of that site (a "
                        "mirror on 127.0.0.1); alone, the site of its host (one no profile names is read "
                        "with its CMS's generic reader)")
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


def _profile(args: argparse.Namespace) -> SiteProfile:
    if args.site:
        return PROFILES[args.site]
    return profile_for_url(args.base_url) if args.base_url else PROFILES[DEFAULT_SITE]


def run(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    settings = get_project_settings()
    scratch = tempfile.mkdtemp(prefix="newscrawl-selfcheck-")
    settings.set("OUTPUT_DIR", scratch, priority="cmdline")
    settings.set("STATE_DIR", os.path.join(scratch, "state"), priority="cmdline")
    settings.set("LOG_LEVEL", "ERROR", priority="cmdline")  # the table is the output
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines[f"{__name__}.CollectArticles"] = 290  # after the text policy, before validation
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    spider_args = {"limit": str(args.n)}
    if args.base_url:
        spider_args["base_url"] = args.base_url
    profile = _profile(args)
    if notice := not_registered(profile):
        print(notice, file=sys.stderr)
    process = CrawlerProcess(settings)
    spider = type("SelfcheckSpider", (SelfcheckSpider,), {"site": profile.name, "name": f"{profile.name}-selfcheck",
                                                          "site_profile": classmethod(lambda cls, given: profile)})
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **spider_args)
    process.start()

    articles = CollectArticles.articles
    for article in articles:
        print("\n".join(table(article)))
    stats = crawler.stats.get_stats()
    unread = stats.get(stat.MISSING, 0)
    incomplete = [a for a in articles if any(not getattr(a, name) for name in REQUIRED)]
    print(f"\n{len(articles)} article(s) checked, {len(incomplete)} with a required field empty "
          f"({', '.join(REQUIRED)}), {unread} feed article(s) not read as an article")
    if not articles:
        print("selfcheck: no article was fetched: is the site reachable (python -m newscrawl preflight)?",
              file=sys.stderr)
        return exit_codes.exit_code(stats) or exit_codes.UNREACHABLE
    if incomplete or unread:
        print("selfcheck: the parser does not read the site's current markup: see the MISSING fields",
              file=sys.stderr)
        return exit_codes.DRIFT
    return exit_codes.OK
