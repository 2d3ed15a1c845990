"""A run-level failure that makes going on pointless (the output or the state store cannot be
written): report its cause (newscrawl.exit_codes gives the exit code) and stop taking new work, the
way a CloseSpider does; what is already in flight drains and is not written."""

from __future__ import annotations

import logging

from scrapy.utils.defer import deferred_from_coro

from newscrawl import exit_codes
from newscrawl import stats as stat

logger = logging.getLogger(__name__)


def stop_run(crawler, cause: str, detail: str) -> None:
    """Once per cause: set the outcome, log why at ERROR, close the spider with reason `cause`."""
    if crawler.stats.get_value(stat.OUTCOME(cause)):
        return
    exit_codes.set_outcome(crawler.stats, cause, detail)
    logger.error("%s: %s. The run stops; nothing it did not write is recorded.", cause, detail)
    engine = getattr(crawler, "engine", None)
    if engine is not None and getattr(engine, "spider", None) is not None:
        deferred_from_coro(engine.close_spider_async(reason=cause))
