"""Helpers of the edge tests (issue 21): a gate that holds a live run at a known point, a small disk
to fill, and a child process whose log is read as it comes."""

import asyncio
import queue
import shutil
import subprocess
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from scrapy import signals


class PauseAtGate:
    """A test-only item pipeline, placed after the written-articles pipeline: past the first
    PAUSE_AFTER_ITEMS items, each item waits while the file PAUSE_GATE exists. Once the first
    PAUSE_AFTER_ITEMS items are exported (its `item_scraped` handler runs after the feed exporter's),
    it creates `<PAUSE_GATE>.reached`. A test holds a live run with a known number of lines written
    (its output file open, its claims held) for as long as it needs, then deletes the gate and the
    run finishes normally."""

    def __init__(self, after: int, gate: str):
        self.after = after
        self.gate = Path(gate)
        self.reached = Path(f"{gate}.reached")
        self.passed = self.scraped = 0

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.getint("PAUSE_AFTER_ITEMS", 40), crawler.settings.get("PAUSE_GATE"))
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        return pipeline

    async def process_item(self, item):
        if self.passed >= self.after:
            while self.gate.exists():
                await asyncio.sleep(0.05)
        self.passed += 1
        return item

    def item_scraped(self, item):
        self.scraped += 1
        if self.scraped == self.after:
            self.reached.touch()


def wait_until(condition, timeout: float = 120, what: str = "the condition"):
    """Poll `condition` (a state on disk a live run reaches) until it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what}: not reached in {timeout} s")


class LogReader:
    """The stderr of a child process, read by a thread as it comes, so that a test can wait for a
    line without blocking on the pipe."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(process.stderr,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} not in the log in {timeout} s:\n{self.text()[-3000:]}")
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"the process ended before {text!r}:\n{self.text()[-3000:]}")
            self.lines.append(line)

    def rest(self, timeout: float = 120) -> str:
        """Everything, once the process closed its stderr."""
        self._thread.join(timeout)
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.lines.append(line)
        return self.text()

    def text(self) -> str:
        return "".join(self.lines)


@contextmanager
def small_disk(folder: Path, size: str = "256k"):
    """A real filesystem of `size` (tmpfs) mounted on `folder` for a disk that fills up; the test is
    skipped where mounting is not allowed. The one tmpfs helper of the tests."""
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command: cannot create a small filesystem to fill")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", f"newscrawl-test-{uuid.uuid4().hex[:6]}",
                              str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (not root, or no CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def mounted_small_disk(tmp_path):
    """For a fixture (`yield from`): a 256 KB tmpfs at tmp_path/disk for the test."""
    with small_disk(tmp_path / "disk") as disk:
        yield disk


def resize(disk: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(disk)], check=True)
