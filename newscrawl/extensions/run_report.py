"""At the end of every run: a JSON report beside the output (RUN_REPORT_PATH) and a one-screen
summary in the log. What an operator reads first: what was fetched and written, what was skipped,
quarantined (by reason), missing or failed, how fast, how empty each watched field came out, and
whether the drift alarm went off. Scrapy's full stats follow."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl.monitors import DRIFT_STAT, empty_shares
from newscrawl.pipelines.field_stats import WATCHED_FIELDS
from newscrawl.run_paths import run_path

logger = logging.getLogger(__name__)


def _jsonable(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def summarize(stats: dict, reason: str) -> dict:
    duration = stats.get("elapsed_time_seconds") or 0
    pages = stats.get("response_received_count", 0)
    prefix = "newscrawl/quarantined/"
    return {
        "finish_reason": reason,
        "pages_fetched": pages,
        # lines that reached the output (item_scraped_count also counts items whose write failed)
        "items_written": stats.get("newscrawl/written", 0),
        "not_written": stats.get("newscrawl/not_written", 0),  # the output or the state failed
        "skipped_known": stats.get("newscrawl/skipped_known", 0),
        "left_to_other_runs": stats.get("newscrawl/left_to_other_runs", 0),  # claimed by a live run
        "unchanged": stats.get("newscrawl/unchanged", 0),
        "quarantined": stats.get("newscrawl/quarantined", 0),
        "quarantined_by_reason": {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)},
        "missing_ids": stats.get("newscrawl/missing_ids", []),
        "failed": stats.get("newscrawl/failed_pages", {}),
        "retries": stats.get("retry/count", 0),
        "duration_seconds": round(duration, 1),
        "pages_per_second": round(pages / duration, 1) if duration else None,
        "articles_seen": stats.get("newscrawl/seen", 0),
        "empty_share": {f: round(v, 3) for f, v in empty_shares(stats, WATCHED_FIELDS).items()},
        "drift_alarm": stats.get(DRIFT_STAT, {}),
    }


def one_screen(summary: dict) -> str:
    lines = [
        f"Run finished ({summary['finish_reason']}) in {summary['duration_seconds']} s: "
        f"{summary['pages_fetched']} pages ({summary['pages_per_second']} /s), "
        f"{summary['items_written']} written, {summary['skipped_known']} skipped as known, "
        f"{summary['unchanged']} unchanged, {summary['left_to_other_runs']} left to other runs"
        + (f", {summary['not_written']} NOT WRITTEN" if summary["not_written"] else ""),
        f"  quarantined {summary['quarantined']} {summary['quarantined_by_reason'] or ''}".rstrip(),
        f"  missing ids {len(summary['missing_ids'])}, failed {len(summary['failed'])}, "
        f"retries {summary['retries']}",
        "  empty: " + (", ".join(f"{f} {v:.0%}" for f, v in summary["empty_share"].items()) or "no articles"),
    ]
    if summary["drift_alarm"]:
        lines.append(f"  DRIFT ALARM: {summary['drift_alarm']}: the site's markup may have changed")
    return "\n".join(lines)


class RunReport:
    def __init__(self, crawler, path_template: str):
        self.crawler = crawler
        self.path_template = path_template

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
        report = {"spider": self.spider.name, "run_id": getattr(self.spider, "run_id", None),
                  "mode": getattr(self.spider, "mode", None), **summary,
                  "stats": {k: _jsonable(v) for k, v in sorted(stats.items())}}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        except OSError as exc:  # the output's disk or folder failed: say it where a person sees it
            outcomes = {k: v for k, v in stats.items() if k.startswith("newscrawl/outcome/")}
            print(f"newscrawl: the run report could not be written ({exc}); the run's outcome: "
                  f"{json.dumps(outcomes, ensure_ascii=False, default=str)}\n{one_screen(summary)}",
                  file=sys.stderr)
            return
        (logger.error if summary["drift_alarm"] else logger.info)("%s\n  report: %s", one_screen(summary), path)
