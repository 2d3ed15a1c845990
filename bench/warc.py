"""WARC compression: CPU per record and archive size per 1,000 articles of each deflate option on the
fixture pages (real page sizes, each deflated in one call as the writer does), one SHA-1 per page, and
the whole record write (`WarcFile.write_exchange`: digests, headers, compression) with the default
against zlib level 3 (the archive before issue 22), and the default's floor (its deflate + 2 SHA-1).

    python bench/warc.py [--rounds 5] [--before TREE]

Options are timed interleaved (one pass of each per round) in CPU time of this process; min and
median over the rounds. isal and zlib-ng are timed when installed. `--before TREE` also times the
whole record write of another source tree (e.g. a `git archive` of an older commit) at its default,
interleaved. Prints numbers; asserts nothing."""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import statistics
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime

from common import article_fixtures

from newscrawl.output import warc


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
    """CPU seconds and compressed bytes of one gzip member per page, deflated in one call (as the
    writer does)."""
    started, total = time.process_time(), 0
    for page in pages:
        member = module.compressobj(level, module.DEFLATED, 31)
        total += len(member.compress(page)) + len(member.flush())
    return time.process_time() - started, total


def sha1_all(pages: list[bytes]) -> float:
    """CPU seconds of one SHA-1 over each page (a record carries two: its payload and its block)."""
    started = time.process_time()
    for page in pages:
        hashlib.sha1(page).digest()
    return time.process_time() - started


def older_warc(tree: str):
    """The module newscrawl.output.warc of another source tree, under another name."""
    spec = importlib.util.spec_from_file_location("before_warc", f"{tree}/newscrawl/output/warc.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["before_warc"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def write_all(pages: list[tuple[bytes, str]], level: int | None, module=warc) -> tuple[float, int]:
    """CPU seconds and archive bytes of one request + response pair per page through WarcFile."""
    headers = {b"Content-Type": [b"text/html; charset=utf-8"], b"Server": [b"nginx"]}
    request = {b"Accept": [b"text/html"], b"User-Agent": [b"newscrawl"], b"Accept-Encoding": [b"gzip, br"]}
    with tempfile.TemporaryDirectory() as tmp:
        archive = module.WarcFile(f"{tmp}/bench.warc.gz", level=level)
        started = time.process_time()
        for body, url in pages:
            archive.write_exchange(target_uri=url, fetched_from=url, when=datetime.now(UTC), method="GET",
                                   request_headers=request, status=200, response_headers=headers, body=body)
        spent = time.process_time() - started
        return spent, archive.close().stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", help="another source tree whose default record write is timed too")
    args = parser.parse_args()
    fixtures = [(html.encode("utf-8"), url) for _, html, url, _ in article_fixtures()]
    pages = [body for body, _ in fixtures]
    raw = sum(map(len, pages))
    print(f"{len(pages)} article fixtures, {raw / len(pages) / 1024:.0f} KB mean; {args.rounds} rounds, interleaved")
    found = options()
    times: dict[tuple[str, int], list[float]] = {(name, level): [] for name, _, level in found}
    sizes: dict[tuple[str, int], int] = {}
    variants = [("zlib 3", 3, warc), ("default", None, warc)]
    if args.before:
        variants.append(("before", None, older_warc(args.before)))
    writes: dict[str, list[float]] = {name: [] for name, _, _ in variants}
    written: dict[str, int] = {}
    hashes: list[float] = []
    for _ in range(args.rounds):
        hashes.append(sha1_all(pages) / len(pages))
        for name, module, level in found:
            spent, size = deflate_all(module, level, pages)
            times[name, level].append(spent / len(pages))
            sizes[name, level] = size
        for name, level, module in variants:
            spent, size = write_all(fixtures, level, module)
            writes[name].append(spent / len(pages))
            written[name] = size
    print("one gzip member per page:")
    for (name, level), spent in times.items():
        print(f"  {name:<8} level {level}  CPU min {min(spent) * 1000:6.3f} "
              f"median {statistics.median(spent) * 1000:6.3f} ms per record  "
              f"{sizes[name, level] / raw:6.1%} of the page  "
              f"{sizes[name, level] / len(pages) * 1000 / 2**20:5.1f} MB per 1,000 articles")
    print(f"one SHA-1 per page: CPU min {min(hashes) * 1000:6.3f} median {statistics.median(hashes) * 1000:6.3f} ms")
    print("WarcFile.write_exchange (request + response, digests, headers):")
    for name, spent in writes.items():
        print(f"  {name:<8} CPU min {min(spent) * 1000:6.3f} median {statistics.median(spent) * 1000:6.3f} ms "
              f"per page  {written[name] / len(pages) * 1000 / 2**20:5.1f} MB per 1,000 articles")
    if ("isal", warc.FAST_LEVEL) in times:  # the floor of the default: its deflate and two digests
        floor = min(times["isal", warc.FAST_LEVEL]) + 2 * min(hashes)
        print(f"  the default's floor (ISA-L level {warc.FAST_LEVEL} + 2 SHA-1, min): {floor * 1000:6.3f} ms; "
              f"the rest of its write (warcio's record building, the request record, the file): "
              f"{(min(writes['default']) - floor) * 1000:6.3f} ms")


if __name__ == "__main__":
    main()
