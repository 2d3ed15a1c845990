"""On a full disk every file a run leaves holds only whole lines, the quarantine and the report
included, and no traceback reaches the log (issue 21, case 8).

A scheduled run whose every article page lost its body (so each article goes to the quarantine, a
few KB a record) writes on a 256 KB disk: the quarantine fills it."""

import json
import sqlite3

import pytest

from newscrawl import exit_codes
from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import synthesize
from tests.conftest import run, scheduled_command
from tests.edge_helpers import mounted_small_disk

N = 200


@pytest.fixture
def small_disk(tmp_path):
    yield from mounted_small_disk(tmp_path)


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    synthesize(root, N, seed=8)
    return root


def tracebacks(log):
    """The Python tracebacks in a log, each as its last line (the exception), leaving out Spidermon's
    reports of failed monitors (an `AssertionError` of a monitor that says the run failed: that is
    how Spidermon words a finding, not a crash)."""
    found, lines = [], log.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):"):
            end = next((m for m in range(n + 1, len(lines)) if lines[m] and not lines[m].startswith(" ")), None)
            if end is not None and not lines[end].startswith("AssertionError"):
                found.append(lines[end])
    return found


def whole_json_lines(path):
    """The records of a JSON-lines file; fails on a torn or partial line."""
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n"), f"{path.name} ends in a torn line: {data[-80:]!r}"
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def test_a_full_disk_leaves_a_whole_quarantine_a_whole_report_or_none_and_no_traceback(
        small_disk, synthetic_site, tmp_path):
    output = small_disk / "output"
    with running_mirror(synthetic_site, faults={"/fa/news/*": {"lose_body": True}}) as mirror:
        full = run(*scheduled_command(tmp_path, "mode=archive", f"base_url={mirror.base_url}",
                                      settings=(f"OUTPUT_DIR={output}", f"STATE_DIR={tmp_path / 'state'}",
                                                "WARC_ENABLED=False")), cwd=tmp_path)
    assert full.returncode == exit_codes.WRITE_FAILED, full.stderr[-3000:]
    assert "No space left on device" in full.stderr
    [quarantine] = output.rglob("*.quarantine.jsonl")
    records = whole_json_lines(quarantine)
    assert 0 < len(records) < N
    assert tracebacks(full.stderr) == [], full.stderr[-5000:]
    for report in output.rglob("*.report.json*"):  # a report that could not be written is not left half
        assert report.name.endswith(".report.json")
        assert json.loads(report.read_text(encoding="utf-8"))["exit_code"] == exit_codes.WRITE_FAILED
    for path in output.rglob("*.jsonl*"):  # nor any other file with a torn line
        whole_json_lines(path)
    # a page the state calls quarantined (not asked for again for a day) is in the quarantine file
    db = sqlite3.connect(tmp_path / "state" / "state.sqlite3")
    told = {r[0] for r in db.execute("SELECT news_id FROM bad_pages WHERE outcome = 'quarantined'")}
    db.close()
    assert told <= {r["news_id"] for r in records}
