"""Scrapy's OffsiteMiddleware, except that a redirect to another site is a failed page, not a
silence. Scrapy drops an offsite request when it is scheduled, without calling its errback, so an
article whose page redirects elsewhere would vanish from the run: here the request's errback is
called with an OffsiteRedirect failure (the spider counts and names it in the report, and the next
run asks for the page again), and a request without an errback is counted and logged."""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from newscrawl import stats as stat
from newscrawl.exceptions import OffsiteRedirect

logger = logging.getLogger(__name__)



class OffsiteRedirectMiddleware(OffsiteMiddleware):
    def request_scheduled(self, request, spider) -> None:
        try:
            super().request_scheduled(request, spider)
        except IgnoreRequest:
            if request.meta.get("redirect_urls"):
                self._redirect_failed(request)
            raise

    def _redirect_failed(self, request) -> None:
        origin = request.meta["redirect_urls"][0]
        error = OffsiteRedirect(f"redirected to another site: {request.url} (not followed)")
        self.stats.inc_value(stat.OFFSITE_REDIRECTS)
        if request.errback is not None:
            failure = Failure(error)
            # Scrapy's errbacks read failure.request; Scrapy sets it on the Failure the same way.
            failure.request = request.replace(url=origin)  # type: ignore[attr-defined]
            request.errback(failure)
        else:
            self.stats.inc_value(stat.FAILED)
            logger.error("Failed %s: %s", origin, error)
