"""A run that fails tells a person: Spidermon actions send it off the machine (here to a fake
webhook endpoint on 127.0.0.1)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import synthesize
from tests.conftest import last_report, run, scheduled_command


class Endpoint:
    """A webhook receiver on a free port of 127.0.0.1 that keeps what it was sent."""

    def __init__(self, status: int = 200):
        self.received: list[dict] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.received.append({"path": self.path, "type": self.headers["Content-Type"],
                                          "json": json.loads(body)})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/newscrawl"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("alert-site")
    synthesize(root, 25, seed=9)
    return root


def archive_run(workdir, site, faults=None, settings=()):
    with running_mirror(site, faults=faults) as mirror:
        result = run(*scheduled_command(workdir, "mode=archive", f"base_url={mirror.base_url}",
                                        settings=settings), cwd=workdir)
    return result, last_report(workdir)


def test_a_drifted_run_posts_to_the_webhook(site, tmp_path):
    with Endpoint() as endpoint:
        result, report = archive_run(tmp_path, site, faults={"/fa/news/*": {"lose_body": True}},
                                     settings=(f"ALERT_WEBHOOK_URL={endpoint.url}",))
    assert result.returncode == 3
    [alert] = endpoint.received
    assert alert["path"] == "/hooks/newscrawl" and alert["type"].startswith("application/json")
    message = alert["json"]
    assert message["exit_code"] == 3 and list(message["causes"]) == ["drift"]
    assert "body empty on 100% of articles" in message["causes"]["drift"]
    assert message["text"].startswith(f"newscrawl asriran run {report['run_id']} failed with exit code 3: drift: ")
    assert message["run_id"] == report["run_id"] and message["mode"] == "archive"
    assert message["quarantined"] == 25 and message["items_written"] == 0
    assert message["report"].endswith(f"{report['run_id']}.report.json")
    assert "Alert sent to the webhook" in result.stderr


def test_a_healthy_run_sends_nothing(site, tmp_path):
    with Endpoint() as endpoint:
        result, report = archive_run(tmp_path, site, settings=(f"ALERT_WEBHOOK_URL={endpoint.url}",))
    assert result.returncode == 0 and report["items_written"] == 25
    assert endpoint.received == []


def test_an_alert_that_cannot_be_delivered_is_logged_and_the_exit_code_still_tells(site, tmp_path):
    with Endpoint(status=500) as endpoint:
        result, _ = archive_run(tmp_path, site, faults={"/fa/news/*": {"lose_body": True}},
                                settings=(f"ALERT_WEBHOOK_URL={endpoint.url}",))
    assert result.returncode == 3 and len(endpoint.received) == 1
    assert f"Alert not delivered to the webhook {endpoint.url}: HTTP Error 500" in result.stderr


def test_alert_actions_come_from_settings():
    from scrapy.settings import Settings

    from newscrawl.monitoring.alerts import WebhookAlert, configured_actions
    from newscrawl.monitoring.drift import DriftAlarm

    assert configured_actions(Settings({"ALERT_ACTIONS": []})) == []
    assert configured_actions(Settings({"ALERT_WEBHOOK_URL": "http://127.0.0.1:9/x"})) == [WebhookAlert]
    both = Settings({"ALERT_ACTIONS": "newscrawl.monitoring.drift.DriftAlarm,newscrawl.monitoring.alerts.WebhookAlert",
                     "ALERT_WEBHOOK_URL": "http://127.0.0.1:9/x"})
    assert configured_actions(both) == [DriftAlarm, WebhookAlert]  # listed once


def test_any_failing_outcome_is_sent_with_its_exit_code():
    from types import SimpleNamespace

    from newscrawl import exit_codes
    from newscrawl.monitoring.alerts import WebhookAlert
    from newscrawl.run.config import RunConfig, publish

    class Stats(dict):
        def set_value(self, key, value):
            self[key] = value

        def get_value(self, key, default=None):
            return self.get(key, default)

        def get_stats(self):
            return dict(self)

    stats = Stats({"item_scraped_count": 4})
    exit_codes.set_outcome(stats, "unreachable", "every listing request failed")
    exit_codes.set_outcome(stats, "drift", "body empty on 40% of articles")
    # the run's id and mode come from the configuration the run was built with (run.config), not from
    # spider attributes; the spider's attributes are only the report path's %(...)s parameters
    spider = SimpleNamespace(name="asriran", output_dir="/o", run_id="20261201T010203Z-rss-abcdef")
    crawler = SimpleNamespace(stats=stats)
    publish(crawler, RunConfig(site="asriran", mode="rss", run_id="20261201T010203Z-rss-abcdef",
                               base_url="https://www.asriran.com"))
    with Endpoint() as endpoint:
        action = WebhookAlert(endpoint.url, report_template="%(output_dir)s/%(run_id)s.report.json")
        action.data = SimpleNamespace(crawler=crawler, spider=spider)
        action.run_action()
    [alert] = endpoint.received
    assert alert["json"]["run_id"] == "20261201T010203Z-rss-abcdef" and alert["json"]["mode"] == "rss"
    assert alert["json"]["exit_code"] == exit_codes.UNREACHABLE
    assert alert["json"]["causes"] == {"unreachable": "every listing request failed",
                                       "drift": "body empty on 40% of articles"}
    assert alert["json"]["report"] == "/o/20261201T010203Z-rss-abcdef.report.json"
    assert alert["json"]["text"] == ("newscrawl asriran run 20261201T010203Z-rss-abcdef failed with exit code 4: "
                                     "unreachable: every listing request failed; drift: body empty on 40% of articles")


def test_a_failed_monitor_is_one_log_line_with_its_name_and_reason(site, tmp_path):
    with Endpoint() as endpoint:
        result, _ = archive_run(tmp_path, site, faults={"/fa/news/*": {"lose_body": True}},
                                settings=(f"ALERT_WEBHOOK_URL={endpoint.url}",))
    assert result.returncode == 3 and len(endpoint.received) == 1  # the alert still fires
    log = result.stderr
    assert "Traceback" not in log and "AssertionError" not in log and "FAIL:" not in log, log[-3000:]
    failed = [line.split("] ", 1)[1] for line in log.splitlines() if "Monitor failed:" in line]
    assert len(failed) == 3, log[-3000:]
    drift, alike, outcome = failed
    assert drift.startswith("ERROR: Monitor failed: Markup drift — body empty on 100% of articles (the last run: "
                            "25 articles;")
    assert drift.endswith(": the site's markup may have changed")
    assert alike == ("ERROR: Monitor failed: Markup drift — body: every one of the 25 articles of this run "
                     "quarantined for it: the site's markup may have changed")
    assert outcome.startswith("ERROR: Monitor failed: Run outcome — exit code 3: drift: body empty on 100%")
    assert "[Spidermon] FAILED" not in log and "... FAIL" not in log  # the step report is at DEBUG


def test_a_monitor_that_raises_and_a_failing_action_are_one_error_line_each(caplog):
    import logging

    from spidermon import Monitor, MonitorSuite
    from spidermon.core.actions import Action

    from newscrawl.monitoring.runner import OperatorMonitorRunner

    class Broken(Monitor):
        def test_lookup(self):
            raise KeyError("newscrawl/seen")

    class Unreachable(Action):
        def run_action(self):
            raise OSError("connection refused")

    class Spider:
        logger = logging.getLogger("broken-spider")

    with caplog.at_level(logging.DEBUG, logger="broken-spider"):
        OperatorMonitorRunner(spider=Spider()).run(MonitorSuite(monitors=[Broken],
                                                                monitors_failed_actions=[Unreachable]))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert errors == ["Monitor error: Broken — KeyError: 'newscrawl/seen'",
                      "Monitor action failed: Unreachable — OSError: connection refused"]
    assert any("Traceback" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
