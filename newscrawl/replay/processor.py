"""Parser + item pipelines without a crawl: what the extract and fixtures commands, the tests and the
benchmarks run. The pipelines are the ones settings.ITEM_PIPELINES lists, in the same order, so a
saved page goes through exactly what a crawled page goes through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object

from newscrawl import settings
from newscrawl.exceptions import NotAnArticle
from newscrawl.items import Article
from newscrawl.output.quarantine import QuarantineList
from newscrawl.pipelines.validation import ValidationPipeline
from newscrawl.sites import parse_page


@dataclass
class Outcome:
    """What became of one page: an article, a quarantine record, or a note that it is no article."""

    article: Article | None = None
    quarantined: dict | None = None
    not_an_article: str | None = None
    dropped: str | None = None  # e.g. a duplicate within the same run


@dataclass
class Processor:
    quarantine: QuarantineList = field(default_factory=QuarantineList)
    strict: bool = False  # a field reader's exception is raised, not a defect (extract --strict)

    def __post_init__(self):
        self.pipelines = []
        for path, _ in sorted(settings.ITEM_PIPELINES.items(), key=lambda kv: kv[1]):
            cls = load_object(path)
            if getattr(cls, "crawl_only", False):
                continue
            kwargs = {"quarantine": self.quarantine} if cls is ValidationPipeline else {}
            self.pipelines.append(cls(**kwargs))

    def process(self, html: str, url: str | None = None, *, site: str | None = None,
                crawled_at: datetime | None = None) -> Outcome:
        try:
            item = parse_page(html, url, site=site, crawled_at=crawled_at, strict=self.strict)
        except NotAnArticle as exc:
            return Outcome(not_an_article=str(exc))
        before = len(self.quarantine.records)
        try:
            for pipeline in self.pipelines:
                item = pipeline.process_item(item)
        except DropItem as exc:
            if len(self.quarantine.records) > before:
                return Outcome(quarantined=self.quarantine.records[-1])
            return Outcome(dropped=str(exc))
        return Outcome(article=item)
