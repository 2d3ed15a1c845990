"""A challenge or captcha page instead of the page asked for: the site refuses us.

Such a page is turned into a failed request (ChallengePage, which the request's errback gets), never
handed to a callback: parsed, it would make every article look missing. It is not retried (a
challenge does not pass without a browser). Reads the bytes only, and sits before the retry
middleware, so that a challenge served as 503 is not retried either.
"""

from __future__ import annotations

from scrapy.http import HtmlResponse

from newscrawl import stats as stat
from newscrawl.exceptions import ChallengePage
from newscrawl.run.config import run_config
from newscrawl.sites import SiteProfile, profile_named
from newscrawl.sites.challenge import challenge_marker


class ChallengePageMiddleware:
    def __init__(self, crawler, profile: SiteProfile | None = None):
        self.crawler = crawler
        self.profile = profile  # the site crawled: its article links (None: the CMS's)

    @classmethod
    def from_crawler(cls, crawler):
        config = run_config(crawler)
        return cls(crawler, profile_named(config.site, config.base_url) if config else None)

    def process_response(self, request, response):
        if not isinstance(response, HtmlResponse):
            return response
        kind = challenge_marker(response.body, self.profile)
        if kind is None:
            return response
        self.crawler.stats.inc_value(stat.CHALLENGE_PAGES)
        raise ChallengePage(kind, response)
