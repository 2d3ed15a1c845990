"""At the end of every run: a JSON report beside the output (RUN_REPORT_PATH) and a one-screen
summary in the log. What an operator reads first: whether the run failed and why (the exit code, its
cause, the URLs and what the site answered), then what was fetched and written, what was skipped
(with the way to fetch it anyway), quarantined (by reason), missing or failed, how fast, how empty
each watched field came out, and whether the drift alarm went off. Scrapy's full stats follow."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.items import utc_stamp
from newscrawl.output.parts import write_whole_file
from newscrawl.output.paths import run_path
from newscrawl.run.config import run_config

logger = logging.getLogger(__name__)


def _jsonable(value):
    if isinstance(value, datetime):
        return utc_stamp(value)
    return value


def summarize(stats: dict, reason: str) -> dict:
    duration = stats.get("elapsed_time_seconds") or 0
    pages = stats.get("response_received_count", 0)
    prefix = stat.QUARANTINED_FOR.prefix
    outcome = exit_codes.outcomes(stats)
    return {
        "exit_code": exit_codes.exit_code(stats),
        "outcome": outcome,
        "finish_reason": reason,
        "pages_fetched": pages,
        # lines that reached the output (item_scraped_count also counts items whose write failed)
        "items_written": stats.get(stat.WRITTEN, 0),
        "not_written": stats.get(stat.NOT_WRITTEN, 0),  # the output or the state failed
        # known to the state store: not requested, or (written by another run meanwhile) not written
        "skipped_known": stats.get(stat.SKIPPED_KNOWN, 0) + stats.get(stat.ALREADY_WRITTEN, 0),
        "left_to_other_runs": stats.get(stat.LEFT_TO_OTHER_RUNS, 0),  # claimed by a live run
        "unchanged": stats.get(stat.UNCHANGED, 0),
        "quarantined": stats.get(stat.QUARANTINED, 0),
        "quarantined_by_reason": {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)},
        # ranges (newscrawl.stats.id_ranges_value): a lone id, or [first, last]; stats.ids_in reads them
        "missing_ids": stats.get(stat.MISSING_IDS, []),
        "failed": stats.get(stat.FAILED_PAGES, {}),
        "retries": stats.get("retry/count", 0),
        "duration_seconds": round(duration, 1),
        "pages_per_second": round(pages / duration, 1) if duration else None,
        "articles_seen": stats.get(stat.SEEN, 0),
        "empty_share": {f: round(v, 3) for f, v in stat.empty_shares(stats, stat.WATCHED_FIELDS).items()},
        "drift_alarm": stats.get(stat.DRIFT, {}),
        **extraction_summary(stats),
    }


CAUSE_TITLES = {
    "write_failed": "the output could not be written",
    "state_failed": "the state store failed",
    "refused": "the site refused us",
    "unreachable": "the site could not be reached",
    "listing_incomplete": "the walk could not finish",
    "drift": "drift",
}
FETCH_KNOWN_ANYWAY = "-a skip_known=0"
SHOWN_PAGES = 5  # per cause on the screen; the report names up to newscrawl.run.answers.MAX_NAMED


def _outcome_lines(summary: dict) -> list[str]:
    lines = []
    for cause, detail in summary["outcome"].items():
        reason, pages = (detail.get("reason"), detail.get("pages", {})) if isinstance(detail, dict) else (detail, {})
        lines.append(f"RUN FAILED (exit {exit_codes.CAUSES[cause]}): {CAUSE_TITLES.get(cause, cause)}: {reason}")
        shown = list(pages.items())[:SHOWN_PAGES]
        lines += [f"  {url}: {answer}" for url, answer in shown]
        if len(pages) > len(shown):
            lines.append("  … and more in the report")
    return lines


def _prefixed(stats: dict, prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def extraction_summary(stats: dict) -> dict:
    """Where each field came from, which markup generations were read, which sources disagreed."""
    sources: dict[str, dict[str, int]] = {}
    for key, count in _prefixed(stats, stat.FIELD_SOURCE.prefix).items():
        field, _, source = key.partition("/")
        sources.setdefault(field, {})[source] = count
    return {"field_sources": sources, "generations": _prefixed(stats, stat.GENERATION.prefix),
            "warnings_by_field": _prefixed(stats, stat.WARNINGS.prefix), "topics": topic_summary(stats)}


def topic_summary(stats: dict) -> dict:
    """Articles with no topic, and the words the topic mapping does not know: {site: {kind: {word: n}}}."""
    words: dict[str, dict[str, dict[str, int]]] = {}
    for key, count in _prefixed(stats, stat.TOPIC_UNMAPPED.prefix).items():
        site, _, rest = key.partition("/")
        kind, _, word = rest.partition("/")
        words.setdefault(site, {}).setdefault(kind, {})[word] = count
    return {"no_topic": stats.get(stat.NO_TOPIC, 0), "unmapped": words}


SHOWN_WORDS = 5  # unmapped words on the screen; the report holds them all


def extraction_lines(summary: dict) -> list[str]:
    """The one-screen block of extraction_summary: fields not all from one source, generations."""
    lines = []
    if summary.get("generations"):
        lines.append("  markup: " + ", ".join(f"{g} {n}" for g, n in summary["generations"].items()))
    mixed = {f: s for f, s in summary.get("field_sources", {}).items() if len(s) > 1 or "markup" not in s}
    if mixed:
        lines.append("  sources: " + "; ".join(
            f"{f} " + ", ".join(f"{src} {n}" for src, n in s.items()) for f, s in mixed.items()))
    if summary.get("warnings_by_field"):
        lines.append("  sources disagree: " + ", ".join(f"{f} {n}" for f, n in summary["warnings_by_field"].items()))
    topics = summary.get("topics") or {}
    if topics.get("no_topic"):
        found = sorted(((n, site, kind, word) for site, kinds in topics["unmapped"].items()
                        for kind, words in kinds.items() for word, n in words.items()), key=lambda w: (-w[0], w[1:]))
        shown = ", ".join(f"{site} {kind} «{word}» {n}" for n, site, kind, word in found[:SHOWN_WORDS])
        lines.append(f"  no topic {topics['no_topic']}" + (f"; words the topic mapping does not know: {shown}"
                                                            + (" …" if len(found) > SHOWN_WORDS else "")
                                                            if found else ""))
    return lines


def one_screen(summary: dict) -> str:
    lines = _outcome_lines(summary)
    lines += [
        f"Run finished ({summary['finish_reason']}) in {summary['duration_seconds']} s: "
        f"{summary['pages_fetched']} pages ({summary['pages_per_second']} /s), "
        f"{summary['items_written']} written, {summary['unchanged']} unchanged, "
        f"{summary['left_to_other_runs']} left to other runs"
        + (f", {summary['not_written']} NOT WRITTEN" if summary["not_written"] else ""),
        f"  skipped as known {summary['skipped_known']}"
        + (f" (written or tried by earlier runs; to fetch them anyway: {FETCH_KNOWN_ANYWAY})"
           if summary["skipped_known"] else ""),
        f"  quarantined {summary['quarantined']} {summary['quarantined_by_reason'] or ''}".rstrip(),
        f"  missing ids {stat.id_count(summary['missing_ids'])}, failed {len(summary['failed'])}, "
        f"retries {summary['retries']}",
        "  empty: " + (", ".join(f"{f} {v:.0%}" for f, v in summary["empty_share"].items()) or "no articles"),
    ]
    lines.extend(extraction_lines(summary))
    if summary["drift_alarm"]:
        lines.append(f"  DRIFT ALARM: {summary['drift_alarm']}: the site's markup may have changed")
    return "\n".join(lines)


def crawl_of(settings) -> dict:
    """A distributed crawl's worker says which crawl and which state in Redis it belongs to (not the
    Redis URL: it may hold a password), so that `dataset verify` can say how to compare with it."""
    if not (settings.get("REDIS_URL") and settings.get("CRAWL_NAME")):
        return {}
    name = settings["CRAWL_NAME"]
    return {"crawl": {"name": name, "state_name": settings.get("STATE_NAME") or name}}


class RunReport:
    def __init__(self, crawler, path_template: str):
        self.crawler = crawler
        self.path_template = path_template
        self.config = run_config(crawler)  # the run's id and mode; None: not a site spider's run

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("RUN_REPORT_PATH")
        if not path:
            raise NotConfigured
        extension = cls(crawler, path)
        # engine_stopped: after every spider_closed handler (Spidermon's monitors included) has run
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_closed(self, spider, reason):
        self.spider, self.reason = spider, reason

    def engine_stopped(self):
        stats = self.crawler.stats.get_stats()
        summary = summarize(stats, self.reason)
        path = run_path(self.path_template, self.spider)
        report = {"spider": self.spider.name, "run_id": self.config.run_id if self.config else None,
                  "mode": self.config.mode if self.config else None, **crawl_of(self.crawler.settings), **summary,
                  "stats": {k: _jsonable(v) for k, v in sorted(stats.items())}}
        try:
            write_whole_file(path, json.dumps(report, ensure_ascii=False, indent=2, default=str).encode("utf-8"))
        except OSError as exc:  # the output's disk or folder failed: say it where a person sees it
            outcomes = {k: v for k, v in stats.items() if k.startswith(stat.OUTCOME.prefix)}
            print(f"newscrawl: the run report could not be written ({exc}); the run's outcome: "
                  f"{json.dumps(outcomes, ensure_ascii=False, default=str)}\n{one_screen(summary)}",
                  file=sys.stderr)
            return
        (logger.error if summary["exit_code"] else logger.info)("%s\n  report: %s", one_screen(summary), path)
