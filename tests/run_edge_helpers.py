"""What the edge tests of issue 21 share: a mirror that holds chosen pages back until the test lets
them go (so that a run is caught mid-way by a signal or a deleted file, deterministically, without
sleeps racing the crawl), a mirror that notes every request with its query, a small disk, runs
started in the background with their log in a file, and checks that name every broken promise of
a scenario at once instead of only the first.

Nothing here imports a module of newscrawl that the package's layout may move (state, feeds, run
state, reparse, warc): the tests drive the project as a user does, through `scrapy crawl` and
`python -m newscrawl` in subprocesses.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.mirror.server import MirrorHandler, running_mirror
from tests.conftest import ROOT, scheduled_command
from tests.edge_helpers import small_disk  # noqa: F401 - the tests' one tmpfs helper, re-exported

ENV = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="newscrawl.settings")


class Promises:
    """Checks of one scenario: each broken one is noted, and `hold()` fails with all of them, so
    that a failing test says everything the issue's case still gets wrong."""

    def __init__(self) -> None:
        self.broken: list[str] = []

    def check(self, ok, what: str) -> bool:
        if not ok:
            self.broken.append(what)
        return bool(ok)

    def hold(self) -> None:
        assert not self.broken, "broken promises:\n- " + "\n- ".join(self.broken)


class _EdgeHandler(MirrorHandler):
    """Notes every request (path and query, in order of arrival) and holds back the paths the test
    gated until it opens their gate."""

    def _serve(self, head: bool) -> None:
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.log.append(self.path)
        gate = self.server.gates.get(path)
        if gate is not None:
            self.server.arrived[path].set()
            gate.wait(timeout=300)
        try:
            super()._serve(head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a run killed while its page was held back: nobody is listening any more


@contextmanager
def edge_mirror(root: Path, held: tuple[str, ...] = (), faults: dict | None = None):
    """A mirror of `root` whose pages at `held` paths are answered only once `server.gates[path]`
    is set (`server.arrived[path]` is set when one is asked for); `server.log` lists every request
    path with its query. Every gate opens when the block ends."""
    with running_mirror(root, faults=faults, handler=_EdgeHandler) as server:
        server.log, server.lock = [], threading.Lock()
        server.gates = {path: threading.Event() for path in held}
        server.arrived = {path: threading.Event() for path in held}
        try:
            yield server
        finally:
            for gate in server.gates.values():
                gate.set()


def wait_until(predicate, what: str, timeout: float = 120, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process ended (exit {process.returncode}) before {what}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting until {what}")


def lines_in_parts(output: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in output.rglob("*.jsonl.part"))


def start_scheduled(workdir: Path, *spider_args: str, settings: tuple[str, ...] = (),
                    env: dict | None = None) -> subprocess.Popen:
    """`scrapy crawl asriran` as cron runs it, in the background; its log goes to a file (a pipe
    nobody reads would fill and stop the crawl)."""
    log = (workdir / f"crawl-{time.monotonic_ns()}.log").open("w")
    process = subprocess.Popen([sys.executable, *scheduled_command(workdir, *spider_args, settings=settings)],
                               cwd=workdir, env=env or ENV, stdout=log, stderr=subprocess.STDOUT)
    process.log_path = Path(log.name)
    return process


def log_of(process: subprocess.Popen) -> str:
    return process.log_path.read_text(encoding="utf-8", errors="replace")


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def finished_files(output: Path, site: str = "asriran") -> list[Path]:
    """The finished article files under `output` (crawls and reparses), oldest first."""
    return sorted(p for p in (output / site).glob("*/*.jsonl") if not p.name.endswith(".quarantine.jsonl"))


def ids_in(files) -> list[int]:
    """The news_id of every line of these files, each line parsed (a torn one fails)."""
    return [json.loads(line)["news_id"] for path in files for line in path.read_text(encoding="utf-8").splitlines()]


def reports(output: Path, site: str = "asriran") -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((output / site).glob("*/*.report.json"))]


def fill(disk: Path) -> Path:
    """Fill the disk to the last byte with one file; returns it (remove it to free the space)."""
    filler = disk / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4k"], capture_output=True, check=False)
    return filler
