"""Spidermon monitors run at the end of every crawl.

The drift monitor is how an operator learns that the site changed its markup: once a run has seen
enough articles, a field that comes out empty on too many of them (every article seen counts,
quarantined ones included: a lost `div.body` quarantines them all) fails the monitor. The alarm action
names the fields in the stats (`newscrawl/drift`), the run report and the log, and the project's
`scrapy crawl` then exits with code 3.
"""

from __future__ import annotations

import logging

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.core.actions import Action

logger = logging.getLogger(__name__)
DRIFT_STAT = "newscrawl/drift"


def empty_shares(stats: dict, fields) -> dict[str, float]:
    seen = stats.get("newscrawl/seen", 0)
    return {f: stats.get(f"newscrawl/empty/{f}", 0) / seen for f in fields} if seen else {}


@monitors.name("Markup drift")
class DriftMonitor(Monitor):
    @monitors.name("Share of articles with an empty field stays under its limit")
    def test_empty_field_shares(self):
        settings = self.data.crawler.settings
        limits = settings.getdict("DRIFT_MAX_EMPTY_SHARE")
        seen = self.data.stats.get("newscrawl/seen", 0)
        if seen < settings.getint("DRIFT_MIN_ARTICLES"):
            self.skipTest(f"only {seen} articles seen: too few to judge")
        shares = empty_shares(self.data.stats, limits)
        drifted = {f: round(shares[f], 3) for f, limit in limits.items() if shares[f] > float(limit)}
        if drifted:
            self.data.crawler.stats.set_value(DRIFT_STAT, drifted)
        self.assertFalse(drifted, msg=f"fields empty on too many of {seen} articles: {drifted} "
                                      f"(limits {limits}); the site's markup may have changed")


class DriftAlarm(Action):
    def run_action(self):
        drifted = self.data.crawler.stats.get_value(DRIFT_STAT, {})
        logger.error("DRIFT ALARM: %s", ", ".join(f"{f} empty on {share:.0%} of articles"
                                                  for f, share in drifted.items()))


class DriftMonitorSuite(MonitorSuite):
    monitors = [DriftMonitor]
    monitors_failed_actions = [DriftAlarm]
