"""A run refused before the crawl (bad arguments: exit 2; the state store: exit 7) still tells a person:
the webhook alert, and its line in LOG_FILE (under Scrapyd, the job's log). tests/test_scrapyd.py runs the
same through a real Scrapyd."""

from newscrawl import exit_codes
from tests.conftest import run, scheduled_command
from tests.test_alerts import Endpoint


def test_bad_arguments_post_the_alert_and_write_the_log_file(tmp_path):
    log = tmp_path / "job.log"
    with Endpoint() as endpoint:
        result = run(*scheduled_command(tmp_path, "mod=ids", "_job=job-1",
                                        settings=(f"ALERT_WEBHOOK_URL={endpoint.url}", f"LOG_FILE={log}")),
                     cwd=tmp_path)
    assert result.returncode == exit_codes.USAGE
    line = "unknown argument -a mod= (did you mean mode?); known arguments: "
    assert result.stderr.startswith(f"scrapy crawl: {line}") and "Traceback" not in result.stderr
    [alert] = endpoint.received
    message = alert["json"]
    assert (message["exit_code"], message["job"], message["spider"], message["before_crawl"]) == (2, "job-1", "asriran",
                                                                                                   True)
    assert list(message["causes"]) == ["bad_arguments"] and message["causes"]["bad_arguments"].startswith(line)
    assert message["text"].startswith(f"newscrawl asriran run failed before the crawl with exit code 2: {line}")
    [logged] = log.read_text(encoding="utf-8").splitlines()
    assert logged.endswith("(exit code 2, before the crawl)") and f"ERROR: scrapy crawl: {line}" in logged


def test_a_state_store_that_cannot_be_used_posts_the_alert(tmp_path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    with Endpoint() as endpoint:
        result = run(*scheduled_command(tmp_path, settings=(f"ALERT_WEBHOOK_URL={endpoint.url}",
                                                            f"STATE_DIR={tmp_path / 'a-file' / 'state'}")),
                     cwd=tmp_path)
    assert result.returncode == exit_codes.STATE_FAILED, result.stderr
    [alert] = endpoint.received
    assert alert["json"]["exit_code"] == 7 and list(alert["json"]["causes"]) == ["state_failed"]
    assert alert["json"]["causes"]["state_failed"].startswith("state_failed: the state store ")


def test_an_alert_that_cannot_be_delivered_is_one_line(tmp_path):
    with Endpoint(status=500) as endpoint:
        result = run(*scheduled_command(tmp_path, "mod=ids", settings=(f"ALERT_WEBHOOK_URL={endpoint.url}",)),
                     cwd=tmp_path)
    assert result.returncode == exit_codes.USAGE
    assert result.stderr.splitlines()[1] == (f"scrapy crawl: alert not delivered to the webhook {endpoint.url}: "
                                             "HTTP Error 500: Internal Server Error")
    assert "Traceback" not in result.stderr
