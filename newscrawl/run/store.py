"""The run's one connection to the state store, shared by every component that needs it (the
skip-known middleware, the written-articles pipeline, the recording feed exporter, the recorders),
and the claim owner that names this run in it. Which store is the STATE_BACKEND setting: SQLite in
STATE_DIR by default (the owner `<run id>-pid<pid>`), the crawl's Redis store when the scale-out
add-on switched it (the owner is the worker, whose liveness Redis knows from its heartbeat). The
connection is closed, and the run's remaining claims released, when the engine has stopped (after the
feeds are stored)."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.utils.misc import load_object

from newscrawl.exceptions import StateError
from newscrawl.state import StateBackend

logger = logging.getLogger(__name__)

_ATTRIBUTE = "_newscrawl_state"


def open_store(settings) -> StateBackend:
    """The store the settings name (STATE_BACKEND: a class with `for_settings(settings)`)."""
    return load_object(settings["STATE_BACKEND"]).for_settings(settings)


class _RunState:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = open_store(crawler.settings)
        self._owner: str | None = None
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @property
    def owner(self) -> str:
        if self._owner is None:
            self._owner = self.store.owner_for(self.crawler.spider)
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
