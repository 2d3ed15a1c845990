"""One thread per process writes the records of every WARC file open in it (newscrawl.output.warc).

Deflate (ISA-L or zlib) and hashlib release the GIL, so records are compressed and written off the
crawl's thread. The crawl hands records over in batches (waking a thread for each response cost the
crawl as much CPU as compressing it), and what waits is bounded for the whole process, not per file:
a batch being filled and QUEUE_SIZE records queued behind the thread, past which the crawl waits for
the disk. With one writer per file, a run of 100 sites in one process held up to a batch per site
(~100 MB of pages waiting in a sweep of 100 sites' feeds) and ran 100 threads. A file's records are
written in the order they were added; `ArchiveChannel.drain` returns once all of them are.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from newscrawl.output.warc import WarcFile

QUEUE_SIZE = 64  # records queued behind the writer thread, in the whole process


class ArchiveChannel:
    """One WARC file's way into the process's writer thread. `failed`: the first error writing it
    (the records after it are dropped, the file is incomplete); `cpu`: the thread's CPU seconds
    spent on this file's records."""

    def __init__(self, writer: WarcWriterThread, file: WarcFile, batch: int) -> None:
        self.writer = writer
        self.file = file
        self.batch = max(1, batch)
        self.failed: Exception | None = None
        self.cpu = 0.0

    def add(self, exchange: dict[str, Any]) -> None:
        """Queue one request + response pair (WarcFile.write_exchange's arguments)."""
        self.writer.add(self, exchange)

    def drain(self) -> None:
        """Return once every pair added so far is written to the file (or dropped after a failure)."""
        self.writer.drain()


class WarcWriterThread:
    def __init__(self, queue_size: int = QUEUE_SIZE, batch: int = 16) -> None:
        self.pending: list[tuple[ArchiveChannel, dict[str, Any]]] = []  # the batch being filled
        # batches, and the drain marks between them
        self.queue: queue.Queue[list[tuple[ArchiveChannel, dict[str, Any]]] | threading.Event] = queue.Queue(
            maxsize=max(1, queue_size // max(1, batch)))
        self.lock = threading.Lock()  # the pending batch; the crawl's threads add, one at a time
        self.thread: threading.Thread | None = None

    def channel(self, file: WarcFile, batch: int = 16) -> ArchiveChannel:
        return ArchiveChannel(self, file, batch)

    def add(self, channel: ArchiveChannel, exchange: dict[str, Any]) -> None:
        with self.lock:
            self.pending.append((channel, exchange))
            full = len(self.pending) >= channel.batch
        if full:
            self.hand_over()

    def hand_over(self) -> None:
        """The batch being filled goes to the thread (started the first time)."""
        with self.lock:
            batch, self.pending = self.pending, []
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._write_all, name="warc-writer", daemon=True)
                self.thread.start()
        if batch:
            self.queue.put(batch)

    def drain(self) -> None:
        """Return once everything added so far is written."""
        self.hand_over()
        done = threading.Event()
        self.queue.put(done)
        done.wait()

    def _write_all(self) -> None:
        while True:
            batch = self.queue.get()
            if isinstance(batch, threading.Event):
                batch.set()
                continue
            for channel, exchange in batch:
                if channel.failed is not None:
                    continue
                started = time.thread_time()
                try:
                    channel.file.write_exchange(**exchange)
                except Exception as exc:  # noqa: BLE001 - the thread must go on writing the other files
                    channel.failed = exc  # reported by the crawl's thread when its spider closes
                channel.cpu += time.thread_time() - started


_shared: WarcWriterThread | None = None
_shared_lock = threading.Lock()


def shared_writer() -> WarcWriterThread:
    """The process's writer thread (made the first time it is asked for)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = WarcWriterThread()
        return _shared
