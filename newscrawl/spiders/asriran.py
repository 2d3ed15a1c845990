"""`scrapy crawl asriran`: finds Asriran article pages and hands each to the site parser.

Modes (-a mode=...):
  files  saved pages: -a path=DIR_OR_GLOB (default: the bundled fixtures/asriran/news)
  urls   -a urls=URL,URL or -a urls_file=PATH (one URL a line)
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import scrapy

from newscrawl.fixtures import FIXTURES_DIR
from newscrawl.sites import NotAnArticle, parse_page


class AsriranSpider(scrapy.Spider):
    name = "asriran"
    site = "asriran"
    modes = ("files", "urls")

    def __init__(self, mode: str = "files", path: str | None = None, urls: str | None = None,
                 urls_file: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if mode not in self.modes:
            raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(self.modes)}")
        self.mode = mode
        self.path = path or str(FIXTURES_DIR / self.site / "news")
        self.urls = [u.strip() for u in (urls or "").split(",") if u.strip()]
        if urls_file:
            lines = Path(urls_file).read_text(encoding="utf-8").splitlines()
            self.urls += [u.strip() for u in lines if u.strip() and not u.startswith("#")]
        if mode == "urls" and not self.urls:
            raise ValueError("mode=urls needs -a urls=URL,URL or -a urls_file=PATH")

    async def start(self):
        for url in self._start_urls():
            yield scrapy.Request(url, callback=self.parse_article)

    def _start_urls(self) -> list[str]:
        if self.mode == "urls":
            return self.urls
        base = Path(self.path)
        pages = sorted(base.glob("*.html")) if base.is_dir() else sorted(Path().glob(self.path))
        return [page.resolve().as_uri() for page in pages]

    def parse_article(self, response):
        try:
            yield parse_page(response.text, response.url, site=self.site,
                             crawled_at=datetime.now(timezone.utc))
        except NotAnArticle as exc:
            self.crawler.stats.inc_value("newscrawl/not_an_article")
            self.logger.info("Not an article: %s (%s)", response.url, exc)
