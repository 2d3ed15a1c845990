"""Telling a person: when a run ends with a non-zero exit code (drift, unreachable, refused, a write
or the state store failed; newscrawl.exit_codes), Spidermon actions send a notification off the
machine. This suite runs once the engine stopped, after every component reported its outcome.

Actions come from settings:
- ALERT_WEBHOOK_URL: WebhookAlert POSTs a JSON message to it (`text` is a one-line summary, as Slack,
  Mattermost and Rocket.Chat incoming webhooks take it; the other keys give the details).
- ALERT_ACTIONS: any other Spidermon action classes, configured by Spidermon's own settings, e.g.
  `spidermon.contrib.actions.slack.notifiers.SendSlackMessageSpiderFinished` (SPIDERMON_SLACK_*),
  `spidermon.contrib.actions.telegram.notifiers.SendTelegramMessageSpiderFinished`
  (SPIDERMON_TELEGRAM_*); those need `pip install 'spidermon[monitoring]'` (jinja2 above all) and
  are not covered by the project's tests. Two are known not to fit a process that ends right after:
  SendSentryMessage captures its event on a client it never flushes (the event is lost; seen
  against a fake endpoint), and SendSmtpEmail hands the mail to Twisted without waiting for it.

A run refused before the crawl (bad arguments: exit 2; the state store: 7; busy: 8; the -o file: 6)
never reaches Spidermon: `scrapy crawl` posts the same message to ALERT_WEBHOOK_URL itself
(alert_before_crawl), so that such a job under Scrapyd, which lists every ended job as "finished"
whatever its exit code, still tells someone. ALERT_ACTIONS need a crawl and do not run then.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.request

from scrapy.utils.misc import load_object
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.core.actions import Action

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.output.paths import run_path
from newscrawl.run.config import run_config

logger = logging.getLogger(__name__)


@monitors.name("Run outcome")
class RunOutcomeMonitor(Monitor):
    @monitors.name("The run ends with exit code 0")
    def test_exit_code(self):
        stats = self.data.crawler.stats.get_stats()  # now, not at the suite's start
        code = exit_codes.exit_code(stats)
        self.assertEqual(code, exit_codes.OK, msg=f"exit code {code}: {exit_codes.describe(stats)}")


class WebhookAlert(Action):
    """POST the run's outcome as JSON to ALERT_WEBHOOK_URL."""

    def __init__(self, url: str, timeout: float = 10.0, report_template: str | None = None):
        super().__init__()
        self.url = url
        self.timeout = timeout
        self.report_template = report_template

    @classmethod
    def from_crawler_kwargs(cls, crawler):
        settings = crawler.settings
        return {"url": settings.get("ALERT_WEBHOOK_URL"), "timeout": settings.getfloat("ALERT_WEBHOOK_TIMEOUT", 10.0),
                "report_template": settings.get("RUN_REPORT_PATH")}

    def message(self) -> dict:
        stats = self.data.crawler.stats.get_stats()
        spider = self.data.spider
        code = exit_codes.exit_code(stats)
        causes = {cause: exit_codes.reason_of(detail) for cause, detail in exit_codes.outcomes(stats).items()}
        config = run_config(self.data.crawler)  # None: not a site spider's run
        run_id = config.run_id if config else None
        report = str(run_path(self.report_template, spider)) if self.report_template else None
        return {
            "text": f"newscrawl {spider.name} run {run_id} failed with exit code {code}: "
                    + exit_codes.describe(stats),
            "spider": spider.name,
            "job": getattr(spider, "_job", None),  # Scrapyd's job id
            "run_id": run_id,
            "mode": config.mode if config else None,
            "exit_code": code,
            "causes": causes,
            "items_written": stats.get("item_scraped_count", 0),
            "quarantined": stats.get(stat.QUARANTINED, 0),
            "failed_pages": stats.get(stat.FAILED, 0),
            "report": report,
        }

    def run_action(self):
        try:
            post_json(self.url, self.message(), self.timeout)
        except OSError as exc:  # URLError, HTTPError, timeouts: the exit code still tells
            logger.error("Alert not delivered to the webhook %s: %s", self.url, exc)
            raise
        logger.info("Alert sent to the webhook %s", self.url)


def post_json(url: str, message: dict, timeout: float) -> None:
    body = json.dumps(message, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


# why a run was refused before the crawl, by its exit code (the crawl's own causes: exit_codes.CAUSES)
BEFORE_CRAWL_CAUSES = {exit_codes.USAGE: "bad_arguments", exit_codes.BUSY: "busy",
                       **{code: cause for cause, code in exit_codes.CAUSES.items()}}


def alert_before_crawl(settings, spider: str, spargs: dict[str, str], code: int, line: str) -> None:
    """Post a run refused before the crawl to ALERT_WEBHOOK_URL, in the message WebhookAlert sends
    (nothing crawled: no run id, no report); an alert that cannot be delivered is one line on stderr."""
    url = settings.get("ALERT_WEBHOOK_URL")
    if not url:
        return
    message = {
        "text": f"newscrawl {spider} run failed before the crawl with exit code {code}: {line}",
        "spider": spider, "job": spargs.get("_job"), "run_id": None, "mode": spargs.get("mode", "rss"),
        "exit_code": code, "causes": {BEFORE_CRAWL_CAUSES.get(code, "refused_before_crawl"): line},
        "items_written": 0, "quarantined": 0, "failed_pages": 0, "report": None, "before_crawl": True,
    }
    try:
        post_json(url, message, settings.getfloat("ALERT_WEBHOOK_TIMEOUT", 10.0))
    except OSError as exc:
        print(f"scrapy crawl: alert not delivered to the webhook {url}: {exc}", file=sys.stderr, flush=True)


def configured_actions(settings) -> list:
    actions = [load_object(path) if isinstance(path, str) else path for path in settings.getlist("ALERT_ACTIONS")]
    if settings.get("ALERT_WEBHOOK_URL") and WebhookAlert not in actions:
        actions.append(WebhookAlert)
    return actions


class RunOutcomeSuite(MonitorSuite):
    monitors = [RunOutcomeMonitor]

    def __init__(self, *args, crawler=None, **kwargs):
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is not None:
            self.add_monitors_failed_actions(configured_actions(crawler.settings))
