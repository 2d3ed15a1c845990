"""Every exception newscrawl's components raise or catch, in one leaf module (as scrapy.exceptions).

Each names one expected failure; the code that catches it turns it into one line for a person and an
exit code (newscrawl.exit_codes), never a traceback.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem, IgnoreRequest


class NotAnArticle(ValueError):
    """The page is not an article page (the CMS's not-found page, a listing, the home page)."""


class StateError(RuntimeError):
    """The state store could not be read or written (locked, corrupt, unwritable, unreachable). The
    run stops with exit code 7 (state_failed)."""


class ClaimHeld(DropItem):
    """Another live run (or worker) holds the article's claim: it writes the article, this run does not."""


class ChallengePage(IgnoreRequest):
    """The site answered with a WAF challenge or CAPTCHA page instead of the page asked for."""

    def __init__(self, kind: str, response):
        super().__init__(f"a {kind} page (HTTP {response.status}) instead of the page")
        self.kind = kind
        self.response = response


class OffsiteRedirect(IgnoreRequest):
    """A redirect to another site: not followed, counted as a failed page."""


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


class BuildError(RuntimeError):
    """The dataset could not be built from the run files (the message says why)."""


class DatasetWriteError(OSError):
    """The dataset could not be written (a full disk, its index, a partition): the build published
    nothing and the previous dataset is unchanged (exit code 6). The message names the folder."""
