"""Spidermon monitors run at the end of every crawl.

The drift monitor is how an operator learns that the site changed its markup, on any schedule:
- a field that comes out empty on too many of the articles of the recent runs (the window of
  newscrawl.state.drift: the newest runs holding DRIFT_MIN_ARTICLES articles; every article seen
  counts, quarantined ones included: a lost article body quarantines them all), when this run shows it
  too (so a run after the fix does not alarm on what the runs before it saw);
- at once, every article of this run (at least DRIFT_SAME_FAILURE_MIN_ARTICLES) quarantined for the
  same field.
Either sets the run's outcome `drift` (newscrawl.exit_codes: `scrapy crawl` exits 3) and names the
fields in the stats (`newscrawl/drift`), the run report and the log.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.core.actions import Action

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.run.config import run_config
from newscrawl.state.drift import DriftHistory, RunCounts

logger = logging.getLogger(__name__)


def run_counts(stats: dict, run_id: str, fields) -> RunCounts:
    return RunCounts(run_id, stats.get(stat.SEEN, 0),
                     {f: stats.get(stat.EMPTY(f), 0) for f in fields})


def raise_drift(crawler, drifted: dict[str, float], detail: str) -> None:
    """Name the drifted fields in the stats and set the run's outcome (exit code 3)."""
    stats = crawler.stats
    stats.set_value(stat.DRIFT, {**(stats.get_value(stat.DRIFT) or {}), **drifted})
    exit_codes.set_outcome(stats, "drift", detail)


def _runs(window) -> str:
    return "run" if len(window.runs) == 1 else f"{len(window.runs)} runs"


@monitors.name("Markup drift")
class DriftMonitor(Monitor):
    @monitors.name("Share of articles with an empty field stays under its limit")
    def test_empty_field_shares(self):
        settings, stats, spider = self.data.crawler.settings, self.data.stats, self.data.spider
        limits = {f: float(v) for f, v in settings.getdict("DRIFT_MAX_EMPTY_SHARE").items()}
        minimum = settings.getint("DRIFT_MIN_ARTICLES")
        hours = settings.getfloat("DRIFT_WINDOW_HOURS")
        config = run_config(self.data.crawler)  # None: not a site spider's run
        site = config.site if config else spider.name
        seen = stats.get(stat.SEEN, 0)
        history = DriftHistory.for_settings(settings)
        try:
            if seen:
                history.add(site, run_counts(stats, config.run_id if config else datetime.now(UTC).isoformat(),
                                             limits))
            history.forget_before(site, datetime.now(UTC) - timedelta(hours=2 * hours))
            window = history.window(site, minimum, hours)
        finally:
            history.close()
        # What the verdict rests on, for the report (Spidermon's own lines are at DEBUG when all is well).
        judged = bool(seen) and window.seen >= minimum
        self.data.crawler.stats.set_value(stat.DRIFT_WINDOW, {"runs": len(window.runs), "articles": window.seen,
                                                        "judged": judged})
        if not seen:
            self.skipTest("no articles seen in this run")
        if window.seen < minimum:
            self.skipTest(f"only {window.seen} articles in the last {_runs(window)} within "
                          f"{hours:g} h: too few to judge (DRIFT_MIN_ARTICLES {minimum})")
        shares, own = window.empty_shares(limits), stat.empty_shares(stats, limits)
        drifted = {f: round(shares[f], 3) for f, limit in limits.items() if shares[f] > limit and own[f] > limit}
        detail = (", ".join(f"{f} empty on {share:.0%} of articles" for f, share in drifted.items())
                  + f" (the last {_runs(window)}: {window.seen} articles; limits {limits})")
        if drifted:
            raise_drift(self.data.crawler, drifted, detail)
        self.assertFalse(drifted, msg=f"{detail}: the site's markup may have changed")

    @monitors.name("Not every article of the run was quarantined for the same field")
    def test_not_all_quarantined_alike(self):
        settings, stats = self.data.crawler.settings, self.data.stats
        seen = stats.get(stat.SEEN, 0)
        if seen < settings.getint("DRIFT_SAME_FAILURE_MIN_ARTICLES"):
            self.skipTest(f"only {seen} articles seen")
        common = sorted(k[len(stat.QUARANTINED_FOR.prefix):] for k, v in stats.items()
                        if k.startswith(stat.QUARANTINED_FOR.prefix) and v == seen)
        detail = ", ".join(f"{f}: every one of the {seen} articles of this run quarantined for it" for f in common)
        if common:
            raise_drift(self.data.crawler, dict.fromkeys(common, 1.0), detail)
        self.assertFalse(common, msg=f"{detail}: the site's markup may have changed")


class DriftAlarm(Action):
    def run_action(self):
        detail = self.data.crawler.stats.get_value(stat.OUTCOME("drift"))
        if detail:
            logger.error("DRIFT ALARM: %s", detail["reason"])


class DriftMonitorSuite(MonitorSuite):
    monitors = [DriftMonitor]
    monitors_failed_actions = [DriftAlarm]
