"""How a run ended, as the exit code of `scrapy crawl`, for cron, systemd and Scrapyd.

Components that find a run-level problem set a stat `newscrawl/outcome/<cause>` (any true value,
e.g. a short reason); at the end the most serious cause present gives the exit code. Data problems
(a write or the state store failed) outrank the site refusing us, which outranks an unreachable site,
which outranks drift.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from newscrawl import stats as stat

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

OK = 0
COULD_NOT_START = 1   # Scrapy could not start the crawl
USAGE = 2             # bad arguments: one line on stderr, nothing crawled
DRIFT = 3             # the drift alarm went off (content or listing drift)
UNREACHABLE = 4       # the site could not be reached, or every listing request failed
REFUSED = 5           # the site refused us: 403/451, a challenge page, 429 past the retry budget, robots.txt
WRITE_FAILED = 6      # the output could not be written (disk full, unwritable path): nothing lost, rerun
STATE_FAILED = 7      # the state store could not be read or written (locked, corrupt, gone)
BUSY = 8              # another live run holds what this run needs (its -O file, its JOBDIR): nothing done
LISTING_INCOMPLETE = 9  # a later listing page or a feed failed after its retries: the walk resumes next run
INTERRUPTED = 130     # forced down by a second Ctrl-C (128 + SIGINT; a second SIGTERM: 143)
# `selfcheck` only: the site answered, but every article its feed named is gone (404, the CMS's
# not-found page): nothing could be checked. Neither drift (3) nor an unreachable site (4).
NOTHING_CHECKED = 10

# The seriousness of exit codes, most serious first: which one a run that ends several ways exits
# with (scrapy_commands.crawl.forced_exit_code: a data failure outranks a forced stop, which outranks
# the findings of a run that did not finish), and which one a run of many sites exits with (`python
# -m newscrawl crawl --sites`: the most serious of its sites'). Data first (6, 7), then a forced stop
# (130, 143: any 128 + signal), a site that could not start (1), the site refusing us (5), an
# unreachable site (4), a site whose JOBDIR another live run holds (8: skipped this time), an
# unfinished walk (9), drift (3), a selfcheck that found no article left to check (10). Bad arguments
# (2) stop a run before anything starts.
SERIOUSNESS: tuple[int, ...] = (WRITE_FAILED, STATE_FAILED, INTERRUPTED, 128 + 15, COULD_NOT_START, REFUSED,
                                UNREACHABLE, BUSY, LISTING_INCOMPLETE, DRIFT, NOTHING_CHECKED, OK)

# cause -> exit code, most serious first
CAUSES: dict[str, int] = {
    "write_failed": WRITE_FAILED,
    "state_failed": STATE_FAILED,
    "refused": REFUSED,
    "unreachable": UNREACHABLE,
    "listing_incomplete": LISTING_INCOMPLETE,
    "drift": DRIFT,
}


def set_outcome(stats: StatsCollector, cause: str, detail: object) -> None:
    """Record a run-level problem. `detail` is what the report shows for it: a reason, or a dict
    {"reason": ..., "pages": {url: what the site answered}}. A cause found twice (listing drift and
    field drift, say) keeps both: the reasons joined, the pages merged."""
    if cause not in CAUSES:
        raise ValueError(f"unknown outcome cause {cause!r}")
    new: dict[str, Any] = detail if isinstance(detail, dict) else {"reason": str(detail), "pages": {}}
    found = stats.get_value(stat.OUTCOME(cause))
    if found:
        previous: dict[str, Any] = found if isinstance(found, dict) else {"reason": str(found), "pages": {}}
        reasons: list[str] = [r for r in (previous.get("reason"), new.get("reason")) if r]
        new = {**previous, **new, "reason": "; ".join(dict.fromkeys(reasons)),
               "pages": {**previous.get("pages", {}), **new.get("pages", {})}}
    stats.set_value(stat.OUTCOME(cause), new)


def outcomes(stats: Mapping[str, Any]) -> dict[str, object]:
    """The causes present in a run's stats, most serious first."""
    return {c: stats[stat.OUTCOME(c)] for c in CAUSES if stats.get(stat.OUTCOME(c))}


def reason_of(detail: object) -> str:
    return str(detail.get("reason")) if isinstance(detail, dict) else str(detail)


def describe(stats: Mapping[str, Any]) -> str:
    """The causes present, in one line: `drift: body empty on 100% of articles; ...`."""
    return "; ".join(f"{cause}: {reason_of(detail)}" for cause, detail in outcomes(stats).items())


def seriousness(code: int) -> int:
    """The rank of an exit code in SERIOUSNESS (0: the most serious). Bad arguments (2) rank first;
    another signal's 128 + N ranks with 130; a code the table does not know, right after them."""
    if code == USAGE:
        return -1
    if code in SERIOUSNESS:
        return SERIOUSNESS.index(code)
    return SERIOUSNESS.index(INTERRUPTED) if code > 128 else SERIOUSNESS.index(COULD_NOT_START)


def most_serious(codes: Iterable[int]) -> int:
    """The most serious of some runs' exit codes (0 for none)."""
    return min(codes, key=seriousness, default=OK)


def exit_code(stats: Mapping[str, Any]) -> int:
    """The exit code of `scrapy crawl` for a run's stats: its most serious outcome (the drift monitor
    sets the `drift` outcome itself), 0 when none."""
    present = outcomes(stats)
    return CAUSES[next(iter(present))] if present else OK
