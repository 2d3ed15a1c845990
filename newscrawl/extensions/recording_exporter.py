"""The feed exporter that tells the state store about an article once its line is in the run's own
file (under OUTPUT_DIR: what the dataset reads; a file of -o/-O is an extra copy)."""

from __future__ import annotations

import logging

from scrapy.extensions.feedexport import FeedExporter

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.exceptions import StateError
from newscrawl.items import Article, exported
from newscrawl.output.jsonl import RUN_FILE, AtomicFileFeedStorage
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import owner_for, store_for

logger = logging.getLogger(__name__)


class RecordingFeedExporter(FeedExporter):
    """Scrapy's FeedExporter (settings.EXTENSIONS puts it in its place), which tells the state store
    about an article once its line is in the file (written and handed to the OS, as above), and stops
    the run when writing fails.

    Why the recording is here and not in an `item_scraped` handler of its own: Scrapy calls every
    `item_scraped` handler through send_catch_log, so when the FeedExporter's write raised (disk
    full, unwritable path) the error was logged and the next handler recorded the article anyway: no
    file held it and every later run skipped it. Wrapping the exporter's own `item_scraped` keeps
    Scrapy's feed machinery whole (FEEDS, formats, storages, batches, -o/-O) and knows the write's
    outcome before anything is recorded. After a failed write the run writes nothing more: each
    later item counts as not written (its claim is released at the end, so a rerun writes it)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.stopped_by: str | None = None
        # The state store goes by the run's own file (what the dataset reads), not by a file the user
        # named with -o/-O, which is theirs to move, overwrite or delete: a line in the run file is
        # what makes an article written. Scrapy writes the user's file first, so it holds it too.
        self.records = any(options.get(RUN_FILE) for options in self.feeds.values())
        if not self.records:
            logger.warning("An ad-hoc export: no run file (RUN_OUTPUT_PATH is empty), so the state store "
                           "records none of this run's articles")

    def item_scraped(self, item, spider) -> None:
        stats = self.crawler.stats
        if self.stopped_by is not None:
            stats.inc_value(stat.NOT_WRITTEN)
            return
        try:
            super().item_scraped(item, spider)
        except OSError as exc:
            self.stopped_by = "write_failed"
            stats.inc_value(stat.NOT_WRITTEN)
            stop_run(self.crawler, "write_failed", f"the output could not be written: {exc}")
            return
        stats.inc_value(stat.WRITTEN)
        if not isinstance(item, Article) or not self.records:
            return
        try:
            store_for(self.crawler).record([exported(item)], owner=owner_for(self.crawler))
        except StateError as exc:
            self.stopped_by = "state_failed"
            stop_run(self.crawler, "state_failed", str(exc))
            return
        stats.inc_value(stat.STATE_RECORDED)

    async def close_spider(self, spider) -> None:
        if self.crawler.stats.get_value(stat.OUTCOME("state_failed")):
            for slot in self.slots:  # the state failed somewhere during the run: let recovery record
                if isinstance(slot.storage, AtomicFileFeedStorage):
                    slot.storage.keep_part = True
        await super().close_spider(spider)
        stats = self.crawler.stats.get_stats()
        failed = sum(v for k, v in stats.items() if k.startswith("feedexport/failed_count/"))
        if failed and not stats.get(stat.OUTCOME("write_failed")):
            exit_codes.set_outcome(self.crawler.stats, "write_failed",
                                   "the output file could not be completed at the end of the run (see "
                                   "'Error storing' in the log); the next run finalizes its .part file")
