"""A crawl process listens on no port by default, seen from the operating system: the TCP sockets
in LISTEN state of /proc/<pid>/net/tcp{,6} whose inodes are among the process's own open files."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import MIRROR_SETTINGS, ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc")

TCP_LISTEN = "0A"
IDS = "1077602,1098765,1120033,337590,369845,719860"


def listening_ports(pid: int) -> set[int]:
    """Ports the process `pid` listens on (TCP, IPv4 and IPv6)."""
    try:
        inodes = set()
        for fd in os.listdir(f"/proc/{pid}/fd"):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[len("socket:["):-1])
    except (FileNotFoundError, ProcessLookupError):
        return set()
    ports = set()
    for table in ("tcp", "tcp6"):
        try:  # the process may end between two reads: then it listens on nothing any more
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except (FileNotFoundError, ProcessLookupError):
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == TCP_LISTEN and inode in inodes:
                ports.add(int(local.rsplit(":", 1)[1], 16))
    return ports


def ports_during_crawl(tmp_path: Path, mirror, *settings: str) -> tuple[set[int], int, str]:
    """Run a crawl of the mirror (slowed so that it lasts a few seconds), polling its listening
    ports from start to end; returns (ports seen, exit code, log)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "asriran", "-O", str(tmp_path / "items.jsonl"),
               "-a", f"base_url={mirror.base_url}", "-a", "mode=ids", "-a", f"ids={IDS}"]
    for setting in (*MIRROR_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN=1", f"OUTPUT_DIR={tmp_path / 'output'}",
                    f"STATE_DIR={tmp_path / 'state'}", f"REMOTE_CONTROL_JOBS_DIR={tmp_path / 'jobs'}",
                    *settings):
        command += ["-s", setting]
    env = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="newscrawl.settings",
               HOME=str(tmp_path))  # anything written "to the user's profile" lands in tmp_path
    log = tmp_path / "crawl.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        seen: set[int] = set()
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            seen |= listening_ports(process.pid)
            time.sleep(0.05)
        process.kill() if process.poll() is None else None
        process.wait()
    return seen, process.returncode, log.read_text()


@pytest.fixture(scope="module")
def slow_mirror():
    # every article page takes 0.4 s: the crawl lasts a few seconds, long enough to be watched
    with running_mirror(FIXTURES_DIR / "asriran", faults={"/fa/news/*": {"delay": 0.4}}) as server:
        yield server


def test_a_crawl_listens_on_no_port_by_default(slow_mirror, tmp_path):
    ports, code, log = ports_during_crawl(tmp_path, slow_mirror)
    assert code == 0, log[-3000:]
    # it really crawled while being watched: every article asked for
    assert len((tmp_path / "items.jsonl").read_text(encoding="utf-8").splitlines()) == 6
    assert ports == set()
    assert "Telnet console listening" not in log


def test_the_telnet_console_opens_when_asked(slow_mirror, tmp_path):
    ports, code, log = ports_during_crawl(tmp_path, slow_mirror, "TELNETCONSOLE_ENABLED=1")
    assert code == 0, log[-3000:]
    assert len(ports) == 1 and 6023 <= next(iter(ports)) <= 6073  # Scrapy's TELNETCONSOLE_PORT range


def test_remote_control_opens_when_asked(slow_mirror, tmp_path):
    ports, code, log = ports_during_crawl(tmp_path, slow_mirror, "REMOTE_CONTROL_ENABLED=1")
    assert code == 0, log[-3000:]
    assert len(ports) == 1  # a random localhost port (its bearer token in a job file while it runs)
