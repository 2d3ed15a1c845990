"""Every exception newscrawl's components raise or catch, in one leaf module (as scrapy.exceptions).

Each names one expected failure; the code that catches it turns it into one line for a person and an
exit code (newscrawl.exit_codes), never a traceback. Add no exception elsewhere without documenting it
here: the one that lives elsewhere is the scale-out plug-in's RedisUnavailable
(newscrawl.distributed.guard), a StateError, caught as one. tests/test_exceptions.py holds this.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.exceptions import DropItem, IgnoreRequest
    from scrapy.http import Response


class NotAnArticle(ValueError):
    """The page is not an article page (the CMS's not-found page, a listing, the home page)."""


class DateParseError(ValueError):
    """The text is not a Jalali date-time the date parser (newscrawl.text.jalali) knows, or names a day
    that does not exist; a field reader makes it the date's defect."""


class StateError(RuntimeError):
    """The state store could not be read or written (locked, corrupt, unwritable, unreachable). The
    run stops with exit code 7 (state_failed)."""


# The three below subclass Scrapy's exceptions, so they are made when first imported (PEP 562: the
# module's __getattr__), not with this module: `dataset build` and the other commands that never
# crawl import this module but not Scrapy (0.3 s of CPU, a sixth of a small incremental rebuild).
# tests/test_exceptions.py holds them to one class each, made once, named as here.
_SCRAPY_BASED = ("ClaimHeld", "ChallengePage", "OffsiteRedirect")
_MAKING = threading.Lock()  # two threads importing them at once get the same classes


def _scrapy_based() -> None:
    from scrapy.exceptions import DropItem, IgnoreRequest

    class ClaimHeld(DropItem):
        """Another live run (or worker) holds the article's claim: it writes the article, this run does not."""

    class ChallengePage(IgnoreRequest):
        """The site answered with a WAF challenge or CAPTCHA page instead of the page asked for."""

        def __init__(self, kind: str, response: Response) -> None:
            super().__init__(f"a {kind} page (HTTP {response.status}) instead of the page")
            self.kind = kind
            self.response = response

    class OffsiteRedirect(IgnoreRequest):
        """A redirect to another site: not followed, counted as a failed page."""

    for made in (ClaimHeld, ChallengePage, OffsiteRedirect):
        made.__qualname__ = made.__name__
        globals()[made.__name__] = made


if TYPE_CHECKING:  # what type checkers see of them (the classes are _scrapy_based's)
    class ClaimHeld(DropItem): ...

    class ChallengePage(IgnoreRequest):
        kind: str
        response: Response

        def __init__(self, kind: str, response: Response) -> None: ...

    class OffsiteRedirect(IgnoreRequest): ...
else:
    def __getattr__(name: str) -> type:
        if name not in _SCRAPY_BASED:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        with _MAKING:
            if name not in globals():
                _scrapy_based()
        return globals()[name]


class BadArgument(ValueError):
    """A spider argument that cannot be right; the message is one line for a person (exit code 2)."""


class Busy(RuntimeError):
    """Another live run holds what this run needs (its -o/-O file, its JOBDIR): this run does
    nothing (exit code 8). `what` names it for a person, `pid` is the holder's when known."""

    def __init__(self, what: str, pid: int | None = None):
        holder = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"{what} is in use by another live run ({holder})")
        self.what = what
        self.pid = pid


class DamagedArchive(ValueError):
    """A WARC archive that cannot be read whole: a record cut short (a truncated copy, a killed
    writer), a digest that does not match, or bytes that are no record. Everything before `offset`
    was read; nothing from there on is."""

    def __init__(self, offset: int, record: int, uri: str | None, what: str):
        where = f"record {record}" + (f", {uri}" if uri else "")
        super().__init__(f"damaged at byte {offset} ({where}): {what}")
        self.offset, self.record, self.uri, self.what = offset, record, uri, what


class BuildError(RuntimeError):
    """The dataset could not be built from the run files (the message says why)."""


class DatasetWriteError(OSError):
    """The dataset could not be written (a full disk, its index, a partition): the build published
    nothing and the previous dataset is unchanged (exit code 6). The message names the folder."""


class Refused(SystemExit):
    """`scrapy crawl` (or `crawl --sites`) stops before the crawl: `message` is said on stderr (and in
    the job's log and the alert), `code` is its exit code (newscrawl.exit_codes)."""

    def __init__(self, message: str, code: int):
        super().__init__(code)
        self.message = message
