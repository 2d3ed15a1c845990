"""How Spidermon's verdict reads in the log: a failed monitor is one ERROR line, its name and its reason
(`Monitor failed: Run outcome — exit code 5: write_failed: ...`), never unittest's FAIL block with a
traceback, which in a cron mail reads like a crawler crash. A monitor that raised (a bug, not a verdict)
and an action that failed are one ERROR line too, their traceback at DEBUG (`-s LOG_LEVEL=DEBUG`).

Spidermon's step report (titles, `... ok`, `FAILED (failures=1)`, counts) goes to DEBUG. The suites,
their actions (alerts), the results the actions read, the run report and the exit code are Spidermon's
own: only the result's writing is replaced. Spidermon builds its runner in `Spidermon._run_suites` with
no setting to choose it, so OperatorSpidermon (EXTENSIONS, in its place) builds this one.
"""

from __future__ import annotations

import logging

from spidermon import settings as spidermon_settings
from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.runners import SpiderMonitorResult, SpiderMonitorRunner

_UNITTEST_PREFIX = " : "  # unittest's longMessage: "<standard message> : <msg given to the assert>"


def failure_reason(test, reason: str) -> str:
    """The message the monitor gave its assertion, without unittest's `5 != 0 : ` in front."""
    if getattr(test, "longMessage", False) and _UNITTEST_PREFIX in reason:
        return reason.split(_UNITTEST_PREFIX, 1)[1]
    return reason


def _last_line(error) -> str:
    """`KeyError: 'x'` from a formatted traceback (or the exception itself)."""
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


class OperatorMonitorResult(SpiderMonitorResult):
    def log_info(self, msg):
        self.log(msg, level=logging.DEBUG)

    def write_errors(self):
        for status in self.step.error_statuses:
            for item in self.step.items_for_status(status):
                self.log_error(self.one_line(status, item))
                if status != spidermon_settings.MONITOR.STATUS.FAILURE:
                    self.log(f"{item.item.name}:\n{item.error}", level=logging.DEBUG)

    def one_line(self, status, item) -> str:
        if self.step.item_result_class.name == "action":
            return f"Monitor action failed: {item.item.name} — {_last_line(item.error)}"
        monitor = item.item
        name = getattr(monitor, "monitor_name", monitor.name)
        if status == spidermon_settings.MONITOR.STATUS.FAILURE:
            return f"Monitor failed: {name} — {failure_reason(monitor, item.reason)}"
        return f"Monitor {status.lower()}: {name} — {_last_line(item.error)}"

    def log(self, msg, level=logging.DEBUG):
        # The spider's logger, as Spidermon's own result does, without Spider.log()'s deprecation.
        self.spider.logger.log(level, msg if level >= logging.ERROR else f"[Spidermon] {msg}")


class OperatorMonitorRunner(SpiderMonitorRunner):
    def create_result(self):
        return OperatorMonitorResult(self.spider)


class OperatorSpidermon(Spidermon):
    """Spidermon's extension, its suites run by OperatorMonitorRunner."""

    def _run_suites(self, spider, suites):
        data = self._generate_data_for_spider(spider)
        for suite in suites:
            OperatorMonitorRunner(spider=spider).run(suite, **data)
