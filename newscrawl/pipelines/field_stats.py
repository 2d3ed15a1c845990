"""Counts, over every article a run sees (written or about to be quarantined), how often each
watched field is empty: the run report prints the shares and the drift monitor alarms on them. A
site that changes its markup shows up here first, as a field that suddenly comes out empty, or as
a field whose source moves (`newscrawl/field_source/<field>/<source>`: the toolbar gave way to
JSON-LD), a new markup generation (`newscrawl/generation/<name>`), or sources that disagree
(`newscrawl/warnings/<field>`). An article with no topic is counted (`newscrawl/no_topic`), and each
service or category word the topic mapping does not know (`newscrawl/topic_unmapped/<site>/<kind>/<word>`),
so that the mapping (newscrawl/sites/topics.py) can be completed."""

from __future__ import annotations

import logging

from newscrawl import stats as stat
from newscrawl.items import Article
from newscrawl.sites import profile_named
from newscrawl.sites.topics import SiteTopics, unmapped

logger = logging.getLogger(__name__)


class FieldStatsPipeline:
    crawl_only = True  # needs a crawl's stats or state; saved-page extraction skips it

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: Article) -> Article:
        self.stats.inc_value(stat.SEEN)
        for name in stat.WATCHED_FIELDS:
            if not getattr(item, name):
                self.stats.inc_value(stat.EMPTY(name))
        for name, source in item.field_sources.items():
            self.stats.inc_value(stat.FIELD_SOURCE(name, source))
        if item.parser_version:
            self.stats.inc_value(stat.GENERATION(item.parser_version.rsplit(':', 1)[-1]))
        if item.topic is None:
            self.stats.inc_value(stat.NO_TOPIC)
            profile = profile_named(item.site, item.url)
            for kind, word in unmapped(profile.topics if profile else SiteTopics(), item.service, item.category):
                self.stats.inc_value(stat.TOPIC_UNMAPPED(item.site, kind, word))
        for warning in item.warnings:
            self.stats.inc_value(stat.WARNINGS(warning.split(':', 1)[0]))
        if item.warnings:
            logger.info("Sources disagree on %s: %s", item.url or item.source_url, "; ".join(item.warnings))
        return item
