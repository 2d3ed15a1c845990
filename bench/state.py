"""What the state store costs per written article: the write path before claims (read the hash,
record) beside the write path with claims (read, claim, read again, record and end the claim), on a
store that already holds --rows articles, in a temporary folder on this disk.

    python bench/state.py [--rows 20000] [--items 5000]

Prints microseconds per item (the median of rounds that alternate between the two, since the
machine's load varies); asserts nothing."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscrawl.state import StateStore  # noqa: E402


def item(news_id: int) -> dict:
    return {"site": "asriran", "news_id": news_id, "url": f"https://www.asriran.com/fa/news/{news_id}",
            "title": "عنوان", "body": "متن " * 400}


def per_item(store: StateStore, ids: range, with_claims: bool) -> float:
    started = time.perf_counter()
    for news_id in ids:
        store.content_hash("asriran", news_id)
        if with_claims:
            store.claim("asriran", news_id, "bench-run")
            store.content_hash("asriran", news_id)
            store.record([item(news_id)], owner="bench-run")
        else:
            store.record([item(news_id)])
    return (time.perf_counter() - started) / len(ids) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    size = args.items // args.rounds
    times: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as tmp:
        store = StateStore(Path(tmp) / "state.sqlite3")
        store.record(item(i) for i in range(args.rows))
        next_id = args.rows
        for _ in range(args.rounds):
            for with_claims in (False, True):
                times[with_claims].append(per_item(store, range(next_id, next_id + size), with_claims))
                next_id += size
        store.release_claims("bench-run")
        store.close()
    before, after = statistics.median(times[False]), statistics.median(times[True])
    print(f"state store with {args.rows} articles, {args.items} items each way:")
    print(f"  write path without claims  {before:8.1f} us/item")
    print(f"  write path with claims     {after:8.1f} us/item  (claim overhead {after - before:+.1f} us/item)")


if __name__ == "__main__":
    main()
