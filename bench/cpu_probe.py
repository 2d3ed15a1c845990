"""bench/missing.py --crawl: the crawl process's CPU time (user+sys, every thread) between two
responses of the same crawl, its steady state: start-up, the first requests and the close are left
out, and the WARC writer's backlog is about the same at both ends. Loaded through EXTENSIONS_BASE in
the project's crawl and in bare Scrapy's alike (one signal receiver more in both).

    -s BENCH_CPU_FROM=200 -s BENCH_CPU_TO=1900 -s BENCH_CPU_FILE=PATH
"""

from __future__ import annotations

import json
import resource
from pathlib import Path

from scrapy import signals


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuProbe:
    def __init__(self, first: int, last: int, path: str):
        self.first, self.last, self.path = first, last, Path(path)
        self.count = 0
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        probe = cls(settings.getint("BENCH_CPU_FROM"), settings.getint("BENCH_CPU_TO"), settings["BENCH_CPU_FILE"])
        crawler.signals.connect(probe.response_received, signal=signals.response_received)
        return probe

    def response_received(self, response, request, spider=None):
        self.count += 1
        if self.count == self.first:
            self.started = cpu_seconds()
        elif self.count == self.last:
            self.path.write_text(json.dumps({"cpu": cpu_seconds() - self.started, "responses": self.last - self.first}))
