"""Progress a person can read: one line, `progress <site>: 1,204/50,000 ids (2.4%), 310 articles/min,
ETA 2h37m, 3 failed pages`. The single-process run logs it once a minute
(newscrawl.extensions.progress); `crawl-status` prints the same for a distributed crawl.

Only what is known is said: a total that may still grow (the archive walk's articles listed so far)
says so and gives no ETA; a rate not measured yet gives no ETA either.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from newscrawl import stats as stat


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None            # None: nothing known yet
    final: bool                  # the total will not grow (ETA only then)
    unit: str                    # what is counted: ids, URLs, files, articles, requests
    per_minute: float | None     # of `unit` done; None: not measured yet
    rate_unit: str = "articles"
    note: str = ""               # what is known of the listing ("archive: 4 pages read, the walk goes on")
    failures: Mapping[str, int] = field(default_factory=dict)  # "failed pages": 3, ... (zeros left out)
    also: Mapping[str, int] = field(default_factory=dict)      # not failures: "missing": 5

    @property
    def eta_seconds(self) -> float | None:
        if not self.final or self.total is None or not self.per_minute:
            return None
        return max(self.total - self.done, 0) / self.per_minute * 60


def duration(seconds: float) -> str:
    """4 -> 4s, 250 -> 4m10s, 9420 -> 2h37m, 200000 -> 2d7h."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours}h"


SINGULAR = {"failed pages": "failed page", "errors": "error"}


def progress_line(progress: Progress, who: str = "") -> str:
    p = progress
    parts = []
    if p.total is None:
        parts.append(f"{p.done:,} {p.unit} done, the total not known")
    else:
        # a share of a total that still grows would mislead: only of a final one
        share = f" ({p.done / p.total:.1%})" if p.total and p.final else ""
        so_far = "" if p.final else " known so far"
        parts.append(f"{p.done:,}/{p.total:,} {p.unit}{so_far}{share}")
    if p.note:
        parts[-1] += f" [{p.note}]"
    parts.append("rate not measured yet" if p.per_minute is None else f"{p.per_minute:,.0f} {p.rate_unit}/min")
    eta = p.eta_seconds
    if eta is not None:
        parts.append(f"ETA {duration(eta)}")
    elif p.total is not None and p.done >= p.total and p.final:
        parts.append("all done")
    else:
        parts.append("no ETA yet" if not p.final else "no ETA (no rate yet)")
    failures = [f"{n:,} {SINGULAR.get(what, what) if n == 1 else what}" for what, n in p.failures.items() if n]
    parts.append(", ".join(failures) if failures else "no failures")
    parts.extend(f"{n:,} {what}" for what, n in p.also.items() if n)
    return f"progress{' ' + who if who else ''}: " + ", ".join(parts)


class Rate:
    """The rate of a count over its last `window` samples (a sliding window, so an ETA follows the
    pace now, not the pace of the first minute)."""

    def __init__(self, window: int = 5):
        self.samples: deque[tuple[float, int]] = deque(maxlen=window + 1)

    def add(self, when: float, count: int) -> None:
        self.samples.append((when, count))

    def per_minute(self) -> float | None:
        if len(self.samples) < 2:
            return None
        (t0, c0), (t1, c1) = self.samples[0], self.samples[-1]
        return (c1 - c0) / (t1 - t0) * 60 if t1 > t0 else None


UNITS = {"ids": "ids", "urls": "URLs", "files": "files"}  # a total known from the start; else articles


def run_failures(stats: Mapping) -> dict[str, int]:
    return {"failed pages": stats.get(stat.FAILED, 0), "quarantined": stats.get(stat.QUARANTINED, 0),
            "errors": stats.get("spider_exceptions/count", 0)}


def run_progress(stats: Mapping, mode: str, per_minute: float | None) -> Progress:
    """A single-process run's progress from its stats (see newscrawl.stats: ARTICLES_KNOWN ...)."""
    known = stats.get(stat.ARTICLES_KNOWN)
    done = articles_done(stats)
    listings_read, listings_open = stats.get(stat.LISTINGS_READ, 0), stats.get(stat.LISTINGS_OPEN, 0)
    note = ""
    final = mode in UNITS
    if mode == "archive":
        final = listings_read > 0 and listings_open <= 0
        pages = f"{listings_read:,} page{'' if listings_read == 1 else 's'}"
        note = f"archive: all {pages} read" if final else f"archive: {pages} read, the walk goes on"
    elif mode == "rss":
        final = listings_read > 0 and listings_open <= 0
        asked = listings_read + max(listings_open, 0)
        note = (f"{asked} feed{'' if asked == 1 else 's'} read" if final
                else f"{listings_read} of {asked} feeds read")
    if known is not None:
        done = min(done, known)  # an article listed twice (two feeds) can be skipped twice
    return Progress(done=done, total=known, final=final, unit=UNITS.get(mode, "articles"),
                    per_minute=per_minute, note=note, failures=run_failures(stats),
                    also={"missing": stats.get(stat.MISSING, 0)})


def articles_done(stats: Mapping) -> int:
    """Articles dealt with: their page answered (an article, missing, not an article) or failed for
    good, or skipped without a request because the state knows them."""
    return stats.get(stat.ARTICLES_DONE, 0) + stats.get(stat.SKIPPED_KNOWN, 0)
