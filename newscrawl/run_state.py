"""The run's one connection to the state store, shared by every component that needs it (the
skip-known middleware, the written-articles pipeline, the recording feed exporter, the recorders),
and the claim owner that names this run: `<run id>-pid<pid>` (newscrawl.state), or in a distributed
crawl the worker's id, whose liveness Redis knows from its heartbeat (newscrawl.distributed.state
voids the claims of a worker that stopped beating). The connection is closed, and the run's remaining claims
released, when the engine has stopped (after the feeds are stored)."""

from __future__ import annotations

import logging

from scrapy import signals

from newscrawl.distributed import is_distributed, worker_id
from newscrawl.state import StateBackend, StateError, StateStore, run_owner

logger = logging.getLogger(__name__)

_ATTRIBUTE = "_newscrawl_state"


class _RunState:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = StateStore.for_settings(crawler.settings)
        self._owner: str | None = None
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @property
    def owner(self) -> str:
        if self._owner is None:
            spider = self.crawler.spider
            if is_distributed(self.crawler.settings):
                self._owner = worker_id(spider)
            else:
                self._owner = run_owner(getattr(spider, "run_id", None) or spider.name)
        return self._owner

    def engine_stopped(self) -> None:
        try:
            if self._owner is not None:
                self.store.release_claims(self._owner)
        except StateError as exc:
            logger.warning("This run's claims stay until another run finds it gone (%s)", exc)
        finally:
            self.store.close()


def _run_state(crawler) -> _RunState:
    state = getattr(crawler, _ATTRIBUTE, None)
    if state is None:
        state = _RunState(crawler)
        setattr(crawler, _ATTRIBUTE, state)
    return state


def store_for(crawler) -> StateBackend:
    return _run_state(crawler).store


def owner_for(crawler) -> str:
    return _run_state(crawler).owner
