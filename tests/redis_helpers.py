"""A real redis-server for the distributed tests: each test starts its own on a free 127.0.0.1 port,
with AOF on in a temporary folder (as production should run it), and stops it afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from newscrawl.mirror.server import MirrorHandler, running_mirror

ROOT = Path(__file__).resolve().parent.parent  # as tests.conftest.ROOT (which imports this module)

REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (Debian: apt-get install redis-server; "
                                 ".ci/run installs it)")
ENV = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="newscrawl.settings")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "yes",
             "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """As an operator's restart: SIGTERM, Redis writes its AOF and exits."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)
        self.process = None

    def client(self):
        from newscrawl.distributed import connect
        return connect(self.url)


@pytest.fixture
def redis_server(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


class CountingHandler(MirrorHandler):
    """Notes when each request arrived, to measure the rate the site sees."""

    def _serve(self, head: bool) -> None:
        if self.path == "/robots.txt" and self.server.together:
            with self.server.lock:
                self.server.robots += 1
                if self.server.robots >= self.server.together:
                    self.server.all_started.set()
            self.server.all_started.wait(timeout=120)
        with self.server.lock:
            self.server.hits.append((time.monotonic(), self.path))
        super()._serve(head)


@contextmanager
def counting_mirror(root: Path, faults: dict | None = None, together: int = 0):
    """`together`: hold each worker's robots.txt (the first request it makes) until that many workers
    asked for it, so that they start crawling at the same moment however long each took to start up
    (seconds apart on a loaded machine); the hits are noted from then on."""
    with running_mirror(root, faults=faults, handler=CountingHandler) as server:
        server.hits, server.lock = [], threading.Lock()  # before any request: the test has not begun
        server.together, server.robots, server.all_started = together, 0, threading.Event()
        yield server


def newscrawl(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newscrawl", *args], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=timeout)


WORKER_SETTINGS = ("LEASE_VISIBILITY_SECONDS=4", "LEASE_HEARTBEAT_SECONDS=0.5", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
                   "RETRY_BACKOFF_BASE=0.1", "LOG_LEVEL=INFO")


def start_worker(redis: RedisServer, crawl: str, workdir: Path, *settings: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "newscrawl", "worker", crawl, "--redis-url", redis.url,
               "-s", f"OUTPUT_DIR={workdir / 'output'}", "-s", f"STATE_DIR={workdir / 'state'}"]
    for setting in (*WORKER_SETTINGS, *settings):
        command += ["-s", setting]
    log = (workdir / f"worker-{time.monotonic_ns()}.log").open("w")
    return subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT)
