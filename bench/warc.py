"""WARC compression: CPU per record and archive size per 1,000 articles of each deflate option on the
fixture pages (real page sizes), and the whole record write (`WarcFile.write_exchange`: digests,
headers, compression) with the default against zlib level 3 (the archive before issue 22).

    python bench/warc.py [--rounds 5]

Options are timed interleaved (one pass of each per round) in CPU time of this process; min and
median over the rounds. isal and zlib-ng are timed when installed. Prints numbers; asserts nothing."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zlib
from datetime import UTC, datetime

from common import article_fixtures

from newscrawl.output.warc import WarcFile

CHUNK = 16384  # what warcio hands the compressor at a time


def options() -> list[tuple[str, object, int]]:
    found: list[tuple[str, object, int]] = [("zlib", zlib, level) for level in (1, 3, 6)]
    try:
        from isal import isal_zlib
        found += [("isal", isal_zlib, level) for level in (0, 1, 2, 3)]
    except ImportError:
        print("isal not installed")
    try:
        from zlib_ng import zlib_ng
        found += [("zlib-ng", zlib_ng, level) for level in (1, 2, 3, 6)]
    except ImportError:
        print("zlib-ng not installed (pip install zlib-ng to compare)")
    return found


def deflate_all(module, level: int, pages: list[bytes]) -> tuple[float, int]:
    """CPU seconds and compressed bytes of one gzip member per page."""
    started, total = time.process_time(), 0
    for page in pages:
        member = module.compressobj(level, module.DEFLATED, 31)
        total += sum(len(member.compress(page[i:i + CHUNK])) for i in range(0, len(page), CHUNK))
        total += len(member.flush())
    return time.process_time() - started, total


def write_all(pages: list[tuple[bytes, str]], level: int | None) -> tuple[float, int]:
    """CPU seconds and archive bytes of one request + response pair per page through WarcFile."""
    headers = {b"Content-Type": [b"text/html; charset=utf-8"], b"Server": [b"nginx"]}
    request = {b"Accept": [b"text/html"], b"User-Agent": [b"newscrawl"], b"Accept-Encoding": [b"gzip, br"]}
    with tempfile.TemporaryDirectory() as tmp:
        archive = WarcFile(f"{tmp}/bench.warc.gz", level=level)
        started = time.process_time()
        for body, url in pages:
            archive.write_exchange(target_uri=url, fetched_from=url, when=datetime.now(UTC), method="GET",
                                   request_headers=request, status=200, response_headers=headers, body=body)
        spent = time.process_time() - started
        return spent, archive.close().stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    fixtures = [(html.encode("utf-8"), url) for _, html, url, _ in article_fixtures()]
    pages = [body for body, _ in fixtures]
    raw = sum(map(len, pages))
    print(f"{len(pages)} article fixtures, {raw / len(pages) / 1024:.0f} KB mean; {args.rounds} rounds, interleaved")
    found = options()
    times: dict[tuple[str, int], list[float]] = {(name, level): [] for name, _, level in found}
    sizes: dict[tuple[str, int], int] = {}
    writes: dict[str, list[float]] = {"zlib 3": [], "default": []}
    written: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, module, level in found:
            spent, size = deflate_all(module, level, pages)
            times[name, level].append(spent / len(pages))
            sizes[name, level] = size
        for name, level in (("zlib 3", 3), ("default", None)):
            spent, size = write_all(fixtures, level)
            writes[name].append(spent / len(pages))
            written[name] = size
    print("one gzip member per page:")
    for (name, level), spent in times.items():
        print(f"  {name:<8} level {level}  CPU min {min(spent) * 1000:6.3f} "
              f"median {statistics.median(spent) * 1000:6.3f} ms per record  "
              f"{sizes[name, level] / raw:6.1%} of the page  "
              f"{sizes[name, level] / len(pages) * 1000 / 2**20:5.1f} MB per 1,000 articles")
    print("WarcFile.write_exchange (request + response, digests, headers):")
    for name, spent in writes.items():
        print(f"  {name:<8} CPU min {min(spent) * 1000:6.3f} median {statistics.median(spent) * 1000:6.3f} ms "
              f"per page  {written[name] / len(pages) * 1000 / 2**20:5.1f} MB per 1,000 articles")


if __name__ == "__main__":
    main()
