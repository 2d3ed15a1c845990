"""The stats vocabulary: every `newscrawl/...` key the package sets in or reads from a crawl's stats,
in one place (a leaf module, like scrapy-redis's defaults.py). Components, the run report, the
monitors and the scale-out heartbeat name keys through this module only; tests/test_stats_names.py
keeps string literals of them out of every other module. Keys with a part that varies (a field, a
cause, a source) are built by the small functions below; the run report and the monitors read them
back through the matching *_PREFIX.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Articles: every article a run sees goes through the field stats (written or about to be quarantined).
SEEN = "newscrawl/seen"
WRITTEN = "newscrawl/written"                    # lines that reached the output
NOT_WRITTEN = "newscrawl/not_written"            # the output or the state failed for it
STATE_RECORDED = "newscrawl/state_recorded"
QUARANTINED = "newscrawl/quarantined"
DUPLICATES = "newscrawl/duplicates"
NO_TOPIC = "newscrawl/no_topic"                  # articles whose service and category map to no topic
# What the state store said about an article: known, claimed by a live run, (un)changed on refresh.
SKIPPED_KNOWN = "newscrawl/skipped_known"        # not requested: the state knows it
ALREADY_WRITTEN = "newscrawl/already_written"    # fetched, but another run wrote it meanwhile
LEFT_TO_OTHER_RUNS = "newscrawl/left_to_other_runs"
CHANGED = "newscrawl/changed"
UNCHANGED = "newscrawl/unchanged"
# Pages: what the spider and the middlewares could not turn into an article.
FAILED = "newscrawl/failed"
FAILED_PAGES = "newscrawl/failed_pages"          # {news id: why}
MISSING = "newscrawl/missing"
MISSING_IDS = "newscrawl/missing_ids"          # id ranges: an id, or [first, last] (ids_in reads them)
NOT_AN_ARTICLE = "newscrawl/not_an_article"
ARCHIVE_PAGES = "newscrawl/archive_pages"
CHALLENGE_PAGES = "newscrawl/challenge_pages"
SCHEDULER_PENDING_MAX = "newscrawl/scheduler_pending_max"  # the most requests the scheduler held at once
OFFSITE_REDIRECTS = "newscrawl/offsite_redirects"
# Progress (newscrawl.run.progress): what the run knows of its whole and how much of it is done.
ARTICLES_KNOWN = "newscrawl/progress/articles_known"  # ids/URLs/files asked for, or listed so far
ARTICLES_DONE = "newscrawl/progress/articles_done"    # article pages answered or failed for good
LISTINGS_READ = "newscrawl/progress/listings_read"    # feeds or archive pages answered or failed
LISTINGS_OPEN = "newscrawl/progress/listings_open"    # listing requests made and not yet read
# Drift: the fields the monitor named, and the window of runs its verdict rests on.
DRIFT = "newscrawl/drift"
DRIFT_WINDOW = "newscrawl/drift_window"
# Recovery after a crash.
RECOVERED_FILES = "newscrawl/recovered_files"
CLAIMS_OF_DEAD_RUNS_RELEASED = "newscrawl/claims_of_dead_runs_released"
STATE_REBUILT_ARTICLES = "newscrawl/state_rebuilt_articles"  # an empty store rebuilt from the run files
WALK_RESUMED_AT = "newscrawl/walk_resumed_at"      # the archive page a broken walk resumed at
CLOCK_BEHIND_SECONDS = "newscrawl/clock_behind_seconds"  # the wall clock behind the state's latest
DEAD_WORKERS_FINALIZED = "newscrawl/dead_workers_finalized"
UNCLEAN_JOBDIR_RECOVERED = "newscrawl/unclean_jobdir_recovered"
JOBDIR_CLEARED = "newscrawl/jobdir_cleared"
# The WARC archive.
WARC_RECORDS = "newscrawl/warc/records"
WARC_BYTES = "newscrawl/warc/bytes"
WARC_FILE = "newscrawl/warc/file"
WARC_RECOVERED_FILES = "newscrawl/warc/recovered_files"
WARC_WRITER_CPU = "newscrawl/warc/writer_cpu_seconds"  # CPU of the thread that builds and writes the records
WARC_REVISITS = "newscrawl/warc/revisits"  # non-2xx responses kept as revisit records (a body archived already)
# Scale-out: Redis round trips, leases, the shared rate limit.
REDIS_ROUND_TRIPS = "newscrawl/redis/round_trips"
REDIS_QUEUE_ROUND_TRIPS = "newscrawl/redis/queue_round_trips"
REDIS_RATE_ROUND_TRIPS = "newscrawl/redis/rate_round_trips"
REDIS_CPU_SECONDS = "newscrawl/redis/cpu_seconds"  # the worker's CPU time spent coordinating (guard.timed)
LEASES_LET_GO = "newscrawl/leases/let_go"
LEASES_CONFIRMED = "newscrawl/leases/confirmed"
LEASES_DEAD_LETTERED = "newscrawl/leases/dead_lettered"
RATE_LIMIT_WAITED_SECONDS = "newscrawl/rate_limit/waited_seconds"
RATE_LIMIT_BACKOFFS = "newscrawl/rate_limit/backoffs"


@dataclass(frozen=True)
class Family:
    """Keys with a varying part (a field, a cause, a source): `family("body")` is one key of it,
    `family.prefix` finds them all again in a run's stats."""

    prefix: str

    def __call__(self, *parts: str) -> str:
        return self.prefix + "/".join(parts)


OUTCOME = Family("newscrawl/outcome/")                # (cause): newscrawl.exit_codes.CAUSES
QUARANTINED_FOR = Family("newscrawl/quarantined/")    # (field the item was quarantined for)
EMPTY = Family("newscrawl/empty/")                    # (watched field)
FIELD_SOURCE = Family("newscrawl/field_source/")      # (field, source)
GENERATION = Family("newscrawl/generation/")          # (markup generation)
WARNINGS = Family("newscrawl/warnings/")              # (field whose sources disagree)
FAILED_WITH = Family("newscrawl/failed/")             # (exception class name)
CHARSET_REPAIRED = Family("newscrawl/charset_repaired/")  # ("declared->used")
# (site, "service" or "category", the word): a word the topic mapping does not know (sites/topics.py)
TOPIC_UNMAPPED = Family("newscrawl/topic_unmapped/")


# The fields whose empty share the run report prints and the drift monitor watches.
WATCHED_FIELDS = ("title", "lead", "body", "published_at", "category", "tags", "lead_image")


def empty_shares(stats: Mapping[str, Any], fields: Iterable[str]) -> dict[str, float]:
    """The share of the articles seen that came out with each field empty ({} when none was seen)."""
    seen = stats.get(SEEN, 0)
    return {f: stats.get(EMPTY(f), 0) / seen for f in fields} if seen else {}


def id_ranges_value(ranges: Iterable[tuple[int, int]]) -> list[int | list[int]]:
    """MISSING_IDS's value (also the run report's `missing_ids`): sorted ranges, a lone id as itself
    and a run of ids as [first, last], so a contiguous gap is one entry; a report written before
    ranges (ids only) reads the same way."""
    return [first if first == last else [first, last] for first, last in ranges]


def ids_in(value: Iterable[Any] | None) -> Iterable[int]:
    """The ids of a MISSING_IDS value (id_ranges_value's, or a plain list of ids)."""
    for entry in value or ():
        if isinstance(entry, int) and not isinstance(entry, bool):
            yield entry
        elif isinstance(entry, list) and len(entry) == 2 and all(isinstance(i, int) for i in entry):
            yield from range(entry[0], entry[1] + 1)


def id_count(value: Iterable[Any] | None) -> int:
    """How many ids a MISSING_IDS value names, without listing them."""
    return sum(1 if isinstance(e, int) else e[1] - e[0] + 1 for e in value or ()
               if isinstance(e, int) or (isinstance(e, list) and len(e) == 2))


# A worker's figures in its scale-out heartbeat (name -> stats key); crawl-status adds them up.
REPORTED_STATS = {
    "pages": "response_received_count", "items": "item_scraped_count",
    "skipped_known": SKIPPED_KNOWN, "already_written": ALREADY_WRITTEN,
    "quarantined": QUARANTINED, "missing": MISSING, "failed": FAILED,
    "retries": "retry/count", "claim_held": LEFT_TO_OTHER_RUNS,
}
