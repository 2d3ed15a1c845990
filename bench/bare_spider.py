"""The floor under a missing id (bench/missing.py --crawl): bare Scrapy asking for the same URLs with
the same settings, a 404 handed to a callback that does nothing. Run with `scrapy runspider` outside
the project (Scrapy's default components: robots.txt, retries, stats, the dupefilter...).

    scrapy runspider bench/bare_spider.py -a urls=FILE [-s NAME=VALUE ...]
"""

from __future__ import annotations

from pathlib import Path

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: str, **kwargs):
        super().__init__(**kwargs)
        self.urls = Path(urls).read_text(encoding="utf-8").split()

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, meta={"handle_httpstatus_list": [404]})

    def parse(self, response):
        self.crawler.stats.inc_value("bare/404" if response.status == 404 else "bare/other")
