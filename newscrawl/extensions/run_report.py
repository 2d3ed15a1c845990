"""At the end of a run, write Scrapy's stats as a JSON report (setting RUN_REPORT_PATH; off when
empty). %(name)s is the spider, %(time)s the UTC start of the run."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured


def _jsonable(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


class RunReport:
    def __init__(self, crawler, path_template: str):
        self.crawler = crawler
        self.path_template = path_template
        self.started = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H-%M-%SZ")

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("RUN_REPORT_PATH")
        if not path:
            raise NotConfigured
        extension = cls(crawler, path)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        path = Path(self.path_template % {"name": spider.name, "time": self.started})
        path.parent.mkdir(parents=True, exist_ok=True)
        stats = {key: _jsonable(value) for key, value in sorted(self.crawler.stats.get_stats().items())}
        report = {"spider": spider.name, "finish_reason": reason, "stats": stats}
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
