"""Pipeline 5: never write an article twice, across runs that overlap too.

A run skips known articles before requesting them, but runs overlap (the feed every few minutes, the
archive nightly, a backfill by hand): another run may be writing, or have written, an article since
this run listed it. So, right before writing, this run takes the article's claim in the state store
(an atomic claim: one run at a time may write an article; see newscrawl.state), and, holding it,
asks the store again: in a normal run a known article is dropped; in a refresh run (-a refresh=1)
it is dropped only when its content hash is unchanged, and a changed one is written as a new line
with the same news_id and a later crawled_at. An article whose claim another live run holds is left
to that run (counted as left_to_other_runs). The claim ends when the article is recorded, once its
line is in the file (newscrawl.extensions.recording_exporter.RecordingFeedExporter), or when this run ends.

This is the one claim per article per write, in a single run, in overlapping runs and in a
distributed crawl alike: only the store differs (newscrawl.state.StateBackend). In a distributed
crawl the owner is the worker (newscrawl.run.store.owner_for), whose liveness Redis knows from its
heartbeat, and the Redis store's `claim` is where a dead worker's claim is taken over: only after
that worker's output file was read for the article (it may have died between writing the line and
recording it; once its lease expired the request was given to another worker). The distributed
crawl once had a claim pipeline of its own after this one: two claims per write, by two owners, and
no second look at the state once the claim was held; it went when the two designs were merged.
An article left to another live owner is dropped with ClaimHeld: a distributed worker puts its
request back in the queue (the holder may still die before writing it). A store with
`claim_unwritten` (Redis) does the look, the claim and the look again in one atomic step (one round
trip per article instead of three); the SQLite store takes the three steps.

A run whose `skip_known` is false (ids/urls with -o/-O, or -a skip_known=0) writes every article it
gets: then this pipeline is not configured. `refresh` and `skip_known` are the run's configuration,
taken when the pipeline is built (newscrawl.run.config), and so is the claim owner. The cheap read
comes first, so that a known article costs no write to the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem, NotConfigured

from newscrawl import stats as stat
from newscrawl.exceptions import ClaimHeld, StateError
from newscrawl.items import Article, content_hash, exported
from newscrawl.run.config import run_config
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import owner_for, store_for
from newscrawl.state import StateBackend

if TYPE_CHECKING:
    pass


class WrittenArticlesPipeline:
    crawl_only = True  # needs a crawl's state; saved-page extraction skips it

    def __init__(self, store: StateBackend, stats, refresh: bool, owner: str = "this-run", crawler=None):
        self.store = store
        self.stats = stats
        self.refresh = refresh
        self.owner = owner
        self.crawler = crawler  # to stop the run when the state fails; None: the StateError is raised

    @classmethod
    def from_crawler(cls, crawler):
        config = run_config(crawler)
        if config is None or not config.skip_known:
            raise NotConfigured  # every article is written (no message: Scrapy would log it as a warning)
        return cls(store_for(crawler), crawler.stats, refresh=config.refresh, owner=owner_for(crawler),
                   crawler=crawler)

    def process_item(self, item: Article) -> Article:
        try:
            return self._check(item)
        except StateError as exc:
            if self.crawler is None:
                raise
            stop_run(self.crawler, "state_failed", str(exc))
            raise DropItem(f"not written: {item.site} news_id {item.news_id}: {exc}", log_level="INFO") from exc

    def _check(self, item: Article) -> Article:
        if item.news_id is None:  # validation quarantines such an item first: never one for the store
            raise DropItem(f"not written: {item.site} {item.url or item.source_url} has no news_id")
        key = (item.site, item.news_id)
        digest = content_hash(exported(item)) if self.refresh else None
        claim_unwritten = getattr(self.store, "claim_unwritten", None)
        if claim_unwritten is not None:  # a store that does the three steps below in one (Redis)
            return self._check_at_once(item, key, digest, claim_unwritten)
        self._drop_if_written(item, key, self.store.content_hash(*key), digest)
        if not self.store.claim(*key, self.owner):
            self.stats.inc_value(stat.LEFT_TO_OTHER_RUNS)
            raise ClaimHeld(f"left to another run: {item.site} news_id {item.news_id} is being written by "
                           f"{self.store.claim_holder(*key) or 'a run that just finished'}", log_level="INFO")
        previous = self.store.content_hash(*key)
        try:
            self._drop_if_written(item, key, previous, digest)
        except DropItem:
            self.store.release(*key, self.owner)
            raise
        if previous is not None:
            self.stats.inc_value(stat.CHANGED)
        return item

    def _check_at_once(self, item: Article, key: tuple[str, int], digest: str | None, claim_unwritten) -> Article:
        outcome, detail = claim_unwritten(*key, self.owner, digest)
        if outcome == "held":
            self.stats.inc_value(stat.LEFT_TO_OTHER_RUNS)
            raise ClaimHeld(f"left to another run: {item.site} news_id {item.news_id} is being written by "
                            f"{detail}", log_level="INFO")
        if outcome == "unchanged":  # touched by the store already
            self.stats.inc_value(stat.UNCHANGED)
            raise DropItem(f"unchanged: {item.site} news_id {item.news_id}", log_level="DEBUG")
        if outcome == "written":  # not claimed
            self._drop_if_written(item, key, detail, digest)
        try:
            self._drop_if_written(item, key, detail, digest)
        except DropItem:
            self.store.release(*key, self.owner)
            raise
        if detail is not None:
            self.stats.inc_value(stat.CHANGED)
        return item

    def _drop_if_written(self, item: Article, key: tuple[str, int], previous: str | None, digest: str | None) -> None:
        if previous is None:
            return
        if not self.refresh:
            self.stats.inc_value(stat.ALREADY_WRITTEN)
            raise DropItem(f"already written: {item.site} news_id {item.news_id} (by another run since "
                           "this one listed it)", log_level="INFO")
        if previous == digest:
            self.store.touch(*key)
            self.stats.inc_value(stat.UNCHANGED)
            raise DropItem(f"unchanged: {item.site} news_id {item.news_id}", log_level="DEBUG")
