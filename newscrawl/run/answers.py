"""What the site answered to a run's listing and article requests, and the run-level outcome that
adds up to (newscrawl.exit_codes), so that a site that is down, refuses us or changed its listings
never looks like a quiet night.

Each request that reached its end is classified once:
- refused: 403 or 451, 429 past the retry budget, a challenge or captcha page, robots.txt forbids it
- unreachable: a transport failure after every retry (Scrapy's RETRY_EXCEPTIONS: refused connection,
  DNS, timeout, reset, data loss), or 5xx/408 after every retry
- gone: 404 or 410 (for a listing, it moved; for an article, it is missing, which is normal)
- answered: a response the callback read; for a listing, with how many article links it gave
- other: anything else that failed (too large, an offsite redirect, another status)

The run's outcome:
- refused: any listing refused, or more than half of the article requests refused
- unreachable: every listing request failed (mode=rss: every feed; mode=archive: the first page),
  or article requests were made and none was answered
- listing_incomplete: some listing failed after its retries (5xx, 408, transport) but not every one:
  a later archive page (the walk resumes there next run, newscrawl.run.walks), or some feeds of the set
- drift (listing drift): a listing answered 200 but gave no article links, or answered 404/410, or
  left the site, whatever the number of articles; or an archive page listed only articles that earlier
  pages of the walk listed (the site did not page: page 2 answered as page 1, say)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus

from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.misc import load_object
from twisted.internet import error as tx_errors
from twisted.web.client import ResponseFailed

from newscrawl.exceptions import ChallengePage

REFUSED_STATUSES = {403, 429, 451}
GONE_STATUSES = {404, 410}
MAX_NAMED = 10  # URLs named per cause in the report; the rest are counted


def _status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def classify_status(status: int) -> str:
    if status in REFUSED_STATUSES:
        return "refused"
    if status in GONE_STATUSES:
        return "gone"
    if status >= 500 or status == 408:
        return "unreachable"
    return "answered" if 200 <= status < 300 else "other"


# Expected network failures, in a person's words (Scrapy's exceptions and the Twisted ones under them).
_NETWORK_CAUSES: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((scrapy_errors.DownloadConnectionRefusedError, tx_errors.ConnectionRefusedError), "connection refused"),
    ((scrapy_errors.CannotResolveHostError, tx_errors.DNSLookupError), "DNS lookup failed"),
    ((scrapy_errors.DownloadTimeoutError, tx_errors.TimeoutError, tx_errors.TCPTimedOutError), "timed out"),
    ((scrapy_errors.ResponseDataLossError,), "the answer was cut short"),
    ((scrapy_errors.DownloadFailedError, ResponseFailed, tx_errors.ConnectionLost, tx_errors.ConnectionDone),
     "the connection was lost"),
    ((tx_errors.ConnectError,), "could not connect"),
)


def network_cause(error: BaseException | None) -> str | None:
    """`connection refused`, `DNS lookup failed`, `timed out`, ... for an expected network failure (one
    line says it all: its traceback tells nothing); None for anything else, a bug included."""
    for types, words in _NETWORK_CAUSES:
        if isinstance(error, types):
            return words
    return None


def network_cause_named(text: str) -> str | None:
    """The same words for a failure as a run report keeps it, `DownloadConnectionRefusedError: …`
    (newscrawl.run.answers.classify_failure's `what`); None for anything else."""
    name = text.split(":", 1)[0].strip()
    for types, words in _NETWORK_CAUSES:
        if any(t.__name__ == name for t in types):
            return words
    return None


def classify_failure(failure, transport_errors: tuple[type[BaseException], ...]) -> tuple[str, str]:
    """(kind, what the site answered) for a request whose errback got `failure`."""
    error = failure.value
    if isinstance(error, ChallengePage):
        return "refused", str(error)
    if isinstance(error, HttpError):
        status = error.response.status
        return classify_status(status), _status_text(status)
    if isinstance(error, IgnoreRequest) and "robots.txt" in str(error):  # RobotsTxtMiddleware's words
        return "refused", "forbidden by robots.txt"
    what = f"{type(error).__name__}: {error}"
    if isinstance(error, transport_errors):
        return "unreachable", what
    return "other", what


@dataclass
class _Listing:
    url: str
    first: bool      # mode=rss: every feed is first; mode=archive: page 1 only
    kind: str
    answer: str
    links: int = 0


@dataclass
class SiteAnswers:
    transport_errors: tuple[type[BaseException], ...] = ()
    listings: list[_Listing] = field(default_factory=list)
    articles: Counter = field(default_factory=Counter)
    article_examples: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def for_settings(cls, settings) -> SiteAnswers:
        errors = tuple(load_object(e) if isinstance(e, str) else e for e in settings.getlist("RETRY_EXCEPTIONS"))
        return cls(transport_errors=errors)

    # what the spider tells it
    def listing_answered(self, url: str, first: bool, links: int, repeated: bool = False) -> None:
        """`repeated`: an archive page whose every article an earlier page of the walk listed."""
        self.listings.append(_Listing(url, first, "repeated" if repeated else "answered", "200 OK", links))

    def listing_failed(self, url: str, first: bool, failure) -> None:
        kind, answer = classify_failure(failure, self.transport_errors)
        self.listings.append(_Listing(url, first, kind, answer))

    def article_answered(self, status: int) -> None:
        self.articles[classify_status(status)] += 1

    def article_failed(self, url: str, failure) -> None:
        kind, answer = classify_failure(failure, self.transport_errors)
        self.articles[kind] += 1
        examples = self.article_examples.setdefault(kind, {})
        if len(examples) < MAX_NAMED:
            examples[url] = answer

    # what it adds up to
    def outcomes(self) -> dict[str, dict]:
        """cause -> detail ({"reason": one line, "pages": {url: answer}}) for every cause present."""
        found: dict[str, dict] = {}
        refused = [x for x in self.listings if x.kind == "refused"]
        if refused:
            found["refused"] = _detail("the site refused the listing", refused)
        elif self._most_articles_refused():
            total = sum(self.articles.values())
            found["refused"] = {"reason": f"the site refused {self.articles['refused']} of {total} article "
                                          "requests", "pages": self.article_examples.get("refused", {})}
        first = [x for x in self.listings if x.first]
        all_failed = bool(first) and all(x.kind == "unreachable" for x in first)
        if all_failed:
            found["unreachable"] = _detail("every listing request failed", first)
        elif self.articles and not (self.articles["answered"] + self.articles["gone"]) \
                and self.articles["unreachable"]:
            found["unreachable"] = {"reason": f"none of {sum(self.articles.values())} article requests was "
                                              "answered", "pages": self.article_examples.get("unreachable", {})}
        incomplete = [x for x in self.listings if x.kind == "unreachable" and not (x.first and all_failed)]
        if incomplete:
            found["listing_incomplete"] = _detail("a listing failed after its retries; what it lists was not "
                                                  "fetched (an archive walk resumes there next run)", incomplete)
        drifted = [x for x in self.listings if (x.kind == "answered" and not x.links) or x.kind in ("gone", "other")]
        if drifted:
            found["drift"] = _detail("a listing gave no article links (listing drift: the site may have "
                                     "moved or changed its listings)", drifted)
        repeated = [x for x in self.listings if x.kind == "repeated"]
        if repeated:
            detail = _detail("an archive page listed only the articles of earlier pages: the archive did not "
                             "page (does the profile name its page parameter?), the walk stopped", repeated)
            if "drift" in found:
                found["drift"] = {"reason": f"{found['drift']['reason']}; {detail['reason']}",
                                  "pages": {**found["drift"]["pages"], **detail["pages"]}}
            else:
                found["drift"] = detail
        return found

    def _most_articles_refused(self) -> bool:
        return self.articles["refused"] * 2 > sum(self.articles.values())


def _detail(reason: str, listings: list[_Listing]) -> dict:
    said = {"answered": ", no article links", "repeated": ", only articles of earlier pages"}
    pages = {x.url: x.answer + said.get(x.kind, "") for x in listings[:MAX_NAMED]}
    if len(listings) > MAX_NAMED:
        pages["…"] = f"{len(listings) - MAX_NAMED} more"
    return {"reason": reason, "pages": pages}
