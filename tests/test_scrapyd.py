"""Deployment: a real Scrapyd on 127.0.0.1 gets the project egg and runs a scheduled crawl of the mirror."""

import base64
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.sites import PROFILES
from tests.conftest import ROOT

BIN = Path(sys.executable).parent
# As the README's Scrapyd section says: bound to 127.0.0.1, with a username and password, since
# schedule.json runs spiders with whatever arguments its caller gives.
USER, PASSWORD = "crawler", "s3cret-for-tests"
AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, endpoint: str, data: dict | list | None = None, files: bytes | None = None,
         auth: str | None = AUTH) -> dict:
    if files is not None:  # addversion.json takes the egg as a multipart upload
        boundary = "newscrawl-egg"
        fields = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in dict(data).items())
        body = (fields + f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="p.egg"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode() + files + f"\r\n--{boundary}--\r\n".encode())
        request = urllib.request.Request(f"{base}/{endpoint}", data=body,
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    elif data is not None:
        request = urllib.request.Request(f"{base}/{endpoint}", data=urllib.parse.urlencode(data).encode())
    else:
        request = urllib.request.Request(f"{base}/{endpoint}")
    if auth:
        request.add_header("Authorization", auth)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path):
    port = free_port()
    (tmp_path / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"username = {USER}\npassword = {PASSWORD}\n"
        f"http_port = {port}\neggs_dir = {tmp_path}/eggs\nlogs_dir = {tmp_path}/logs\n"
        f"dbs_dir = {tmp_path}/dbs\nitems_dir =\nmax_proc = 1\npoll_interval = 0.2\n", encoding="utf-8")
    server = subprocess.Popen([str(BIN / "scrapyd")], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            call(base, "daemonstatus.json")
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise AssertionError("Scrapyd did not start: " + (server.stderr.read() or "")) from None
            time.sleep(0.2)
    yield base, tmp_path
    server.terminate()
    server.communicate(timeout=10)


def test_scrapyd_refuses_a_schedule_without_its_password(scrapyd):
    base, _ = scrapyd
    for auth in (None, "Basic " + base64.b64encode(f"{USER}:wrong".encode()).decode()):
        with pytest.raises(urllib.error.HTTPError) as refused:
            call(base, "schedule.json", {"project": "newscrawl", "spider": "asriran"}, auth=auth)
        assert refused.value.code == 401


def deploy(base: str, workdir: Path) -> dict:
    """Build the project egg as scrapyd-deploy does and add it to the Scrapyd at `base`."""
    egg = workdir / "newscrawl.egg"
    built = subprocess.run([str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    return call(base, "addversion.json", {"project": "newscrawl", "version": "1"}, files=egg.read_bytes())


def wait_finished(base: str, jobid: str, timeout: float = 120) -> dict:
    """The job's entry in listjobs.json once Scrapyd lists it as finished."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = call(base, "listjobs.json?project=newscrawl")
        done = [j for j in jobs["finished"] if j["id"] == jobid]
        if done:
            return done[0]
        assert time.monotonic() < deadline, jobs
        time.sleep(0.5)


def test_deploy_the_egg_schedule_a_crawl_of_the_mirror_and_read_its_items(scrapyd, tmp_path):
    base, workdir = scrapyd
    added = deploy(base, workdir)
    assert added["status"] == "ok" and added["spiders"] == len(PROFILES) + len({p.cms for p in PROFILES.values()})

    output = workdir / "output"
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        job = call(base, "schedule.json", [
            ("project", "newscrawl"), ("spider", "asriran"), ("mode", "ids"),
            ("ids", "917512,862177,1150600"), ("base_url", mirror.base_url),
            ("setting", f"OUTPUT_DIR={output}"), ("setting", f"STATE_DIR={workdir / 'state'}"),
            ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=False"),
        ])
        assert job["status"] == "ok"
        wait_finished(base, job["jobid"])

    [items_file] = [p for p in output.glob("asriran/*/*.jsonl") if ".quarantine" not in p.name]
    items = [json.loads(line) for line in items_file.read_text(encoding="utf-8").splitlines()]
    assert sorted(i["news_id"] for i in items) == [862177, 917512]
    [report] = output.glob("asriran/*/*.report.json")
    assert json.loads(report.read_text(encoding="utf-8"))["missing_ids"] == [1150600]


def read_log(base: str, finished: dict) -> str:
    """The job's log as Scrapyd's web pages serve it (its log_url)."""
    request = urllib.request.Request(base + finished["log_url"], headers={"Authorization": AUTH})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode("utf-8")


def test_a_job_refused_before_the_crawl_alerts_and_its_log_says_why(scrapyd):
    """Scrapyd (1.5, 1.6) lists every ended job as finished, with no exit code (its own log alone says
    `Process died: exitstatus=2`): the webhook alert and the job's log carry the failure."""
    from tests.test_alerts import Endpoint

    base, workdir = scrapyd
    deploy(base, workdir)
    (workdir / "a-file").write_text("not a folder", encoding="utf-8")
    with Endpoint() as endpoint:
        common = [("project", "newscrawl"), ("spider", "asriran"), ("setting", f"ALERT_WEBHOOK_URL={endpoint.url}"),
                  ("setting", f"OUTPUT_DIR={workdir / 'output'}")]
        bad = call(base, "schedule.json", [*common, ("mod", "ids")])  # a typo of mode
        state = call(base, "schedule.json", [*common, ("setting", f"STATE_DIR={workdir / 'a-file' / 'state'}")])
        finished = {job["jobid"]: wait_finished(base, job["jobid"]) for job in (bad, state)}
    alerts = {alert["json"]["job"]: alert["json"] for alert in endpoint.received}
    assert set(alerts) == {bad["jobid"], state["jobid"]}
    assert alerts[bad["jobid"]]["exit_code"] == 2 and list(alerts[bad["jobid"]]["causes"]) == ["bad_arguments"]
    assert "unknown argument -a mod= (did you mean mode?)" in alerts[bad["jobid"]]["text"]
    assert alerts[state["jobid"]]["exit_code"] == 7 and list(alerts[state["jobid"]]["causes"]) == ["state_failed"]
    # the job's log, where Scrapyd's pages point, says why it "finished"
    assert "unknown argument -a mod= (did you mean mode?)" in read_log(base, finished[bad["jobid"]])
    assert "(exit code 2, before the crawl)" in read_log(base, finished[bad["jobid"]])
    assert "state_failed: the state store " in read_log(base, finished[state["jobid"]])
    assert "(exit code 7, before the crawl)" in read_log(base, finished[state["jobid"]])
