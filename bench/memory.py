"""Memory in the size of the work (issue 22): peak RSS of one crawl process for ids crawls of growing
size and for an archive walk, on a local mirror; fails (exit 1) when RSS grows with the size.

    python bench/memory.py [--ids 50000,200000,1000000] [--archive 1000000] [--state 1000000]
    python bench/memory.py --ids '' --archive '' --state 0 --redis-seed 50000,200000,1000000 [--compare-with CHECKOUT]

- ids crawls: `scrapy crawl asriran -a mode=ids -a ids=1-N` against the fixtures' mirror (a few real
  articles, the rest answered 404 with the CMS's not-found page: "mostly missing", which is what
  lets 1,000,000 requests run in minutes).
- archive walk: `-a mode=archive` against a mirror whose archive pages are generated on the fly
  (100 ids a page, newest first, N listed in all); the listed articles are answered as above.
- state store: the SQLite store filled with N articles: its size on disk and the cost of a look-up.
- the scale-out frontier (--redis-seed): `python -m newscrawl seed` of an ids crawl of N ids into a
  redis-server of its own: Redis used_memory after seeding (over the empty server's; the Lua scripts
  included) and the crawl's keys' MEMORY USAGE (sampled for large ones), per id, the
  seeding's wall and CPU time (the seed process's user+sys, and redis-server's own from INFO cpu);
  --compare-with CHECKOUT seeds with that checkout too (before), interleaved size by size. FAIL
  when this checkout's Redis memory grows with the number of ids by more than --redis-tolerance-mb.

Each crawl runs in its own process; its peak RSS is that process's own (`wait4`), its CPU time
user+sys (load on the shared machine hardly changes either). Prints one line per run, then the
verdict: FAIL (exit 1) when a larger run's peak RSS exceeds the smallest's by more than
--tolerance-mb, or any run exceeds --limit-mb.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.mirror.server import MirrorHandler, running_mirror  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="newscrawl.settings", PYTHONPATH=str(ROOT))
MIRROR = ROOT / "fixtures" / "asriran"
PAGE_SIZE = 100
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=16",
        "CONCURRENT_REQUESTS_PER_DOMAIN=16", "LOG_LEVEL=INFO", "LOGSTATS_INTERVAL=600",
        "MEMUSAGE_ENABLED=True", "TELNETCONSOLE_ENABLED=False")


class GeneratedArchive(MirrorHandler):
    """The fixtures' mirror, with an archive of `listed` articles generated page by page."""

    listed = 0

    def _serve(self, head: bool) -> None:
        url = urlsplit(self.path)
        if url.path.rstrip("/") != "/fa/archive":
            super()._serve(head)
            return
        page = int((parse_qs(url.query).get("p") or ["1"])[-1])
        pages = -(-self.listed // PAGE_SIZE)
        first = self.listed - (page - 1) * PAGE_SIZE  # newest first
        rows = "".join(f'<div class="linear_news"><a class="title5" href="/fa/news/{i}/x" title="08:00 - 2020/01/01">'
                       f"{html.escape(f'خبر شماره {i}')}</a></div>"
                       for i in range(first, max(first - PAGE_SIZE, 0), -1))
        pager = f"page {page} of {pages}"
        if page < pages:
            pager += f' <a class="next" href="/fa/archive?rpp=100&amp;p={page + 1}">next</a>'
        body = ('<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>archive</title></head>'
                f'<body id="archive"><div id="pager">{pager}</div><div class="archive_content">{rows}</div>'
                "</body></html>").encode()
        self._send(200, "text/html; charset=utf-8", body, head)


def crawl(base_url: str, workdir: Path, *args: str, settings: tuple[str, ...] = ()) -> dict:
    """One `scrapy crawl asriran` process: its own peak RSS and CPU time, and its report's stats."""
    report = workdir / "report.json"
    command = [sys.executable, "-m", "scrapy", "crawl", "asriran", "-a", f"base_url={base_url}"]
    for arg in args:
        command += ["-a", arg]
    for setting in (*FAST, f"RUN_REPORT_PATH={report}", f"OUTPUT_DIR={workdir / 'output'}",
                    f"STATE_DIR={workdir / 'state'}", f"QUARANTINE_PATH={workdir / 'q.jsonl'}", *settings):
        command += ["-s", setting]
    started = time.perf_counter()
    with open(workdir / "crawl.log", "wb") as log:
        process = subprocess.Popen(command, env=ENV, cwd=workdir, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: the run's own verdict (drift, missing...)
        tail = (workdir / "crawl.log").read_text(errors="replace")[-2000:]
        raise SystemExit(f"the crawl failed (exit {os.waitstatus_to_exitcode(status)}):\n{tail}")
    process.returncode = os.waitstatus_to_exitcode(status)
    report_data = json.loads(report.read_text(encoding="utf-8"))
    stats = report_data["stats"]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
            "pages": stats.get("response_received_count", 0), "missing": stats.get("newscrawl/missing", 0),
            "items": stats.get("item_scraped_count", 0), "report_bytes": report.stat().st_size,
            "pending_max": stats.get("newscrawl/scheduler_pending_max"), "exit": process.returncode}


def show(label: str, result: dict) -> None:
    per_page = result["cpu"] / result["pages"] * 1000 if result["pages"] else float("nan")
    print(f"{label:<26} peak RSS {result['peak_rss_mb']:6.0f} MB  {result['pages']:>8} pages  "
          f"{result['pages'] / result['wall']:6.0f} pages/s  CPU {result['cpu']:7.1f} s ({per_page:.2f} ms/page)  "
          f"pending max {result['pending_max']}  report {result['report_bytes'] / 1024:.0f} KB", flush=True)


def ids_runs(sizes: list[int]) -> list[tuple[str, dict]]:
    results = []
    with running_mirror(MIRROR) as mirror:
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                result = crawl(mirror.base_url, Path(tmp), "mode=ids", f"ids=1-{size}")
            show(f"ids 1-{size}", result)
            results.append((f"ids {size}", result))
    return results


def archive_runs(sizes: list[int]) -> list[tuple[str, dict]]:
    results = []
    for size in sizes:
        handler = type("Archive", (GeneratedArchive,), {"listed": size})
        with running_mirror(MIRROR, handler=handler, site="asriran") as mirror, \
                tempfile.TemporaryDirectory() as tmp:
            result = crawl(mirror.base_url, Path(tmp), "mode=archive", "from_date=1384/01/01", "to_date=1404/12/29")
        show(f"archive walk {size}", result)
        results.append((f"archive {size}", result))
    return results


def state_store(size: int) -> None:
    """The SQLite state store at `size` articles: size on disk and the cost of one look-up."""
    from newscrawl.state.sqlite import StateStore

    with tempfile.TemporaryDirectory() as tmp:
        store = StateStore(Path(tmp) / "state.sqlite3")
        batch = 10_000
        for start in range(1, size + 1, batch):
            store.record({"site": "asriran", "news_id": i, "url": f"https://www.asriran.com/fa/news/{i}",
                          "title": "t", "crawled_at": "2026-01-01T00:00:00Z"}
                         for i in range(start, min(start + batch, size + 1)))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        on_disk = sum(p.stat().st_size for p in Path(tmp).iterdir() if p.is_file())
        probes = 20_000
        cpu = time.process_time()
        for n in range(probes):
            store.known("asriran", 1 + (n * 7919) % (2 * size))  # half known, half not
        per = (time.process_time() - cpu) / probes
        store.close()
    print(f"state store, {size} articles: {on_disk / 2**20:.0f} MB on disk "
          f"({on_disk / size:.0f} bytes an article), known() {per * 1e6:.0f} µs CPU a look-up", flush=True)


def verdict(results: list[tuple[str, dict]], tolerance: float, limit: float, failures: list[str] | None = None) -> int:
    failures = list(failures or [])
    for kind in ("ids", "archive"):
        runs = [(label, r) for label, r in results if label.startswith(kind)]
        if len(runs) < 2:
            continue
        base_label, base = runs[0]
        for label, result in runs[1:]:
            growth = result["peak_rss_mb"] - base["peak_rss_mb"]
            if growth > tolerance:
                failures.append(f"{label}: peak RSS {result['peak_rss_mb']:.0f} MB, {growth:+.0f} MB over "
                                f"{base_label} (tolerance {tolerance:.0f} MB): memory grows with the work")
    failures += [f"{label}: peak RSS {r['peak_rss_mb']:.0f} MB over the {limit:.0f} MB limit"
                 for label, r in results if r["peak_rss_mb"] > limit]
    for failure in failures:
        print("FAIL", failure, file=sys.stderr)
    if not failures and results:
        print(f"OK: peak RSS flat within {tolerance:.0f} MB and under {limit:.0f} MB")
    return 1 if failures else 0


def redis_seed(checkout: Path, size: int) -> dict:
    """One `newscrawl seed` of ids 1..size by `checkout`'s code into a fresh redis-server."""
    from tests.redis_helpers import RedisServer

    with tempfile.TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp) / "redis")
        redis.start()
        try:
            client = redis.client()
            empty, cpu0 = client.info("memory")["used_memory"], client.info("cpu")
            command = [sys.executable, "-m", "newscrawl", "seed", "bench", "--redis-url", redis.url, "-a", "mode=ids",
                       "-a", f"ids=1-{size}", "-a", "base_url=http://127.0.0.1:1"]
            started, children = time.perf_counter(), os.times()
            process = subprocess.run(command, env=dict(ENV, PYTHONPATH=str(checkout)), cwd=checkout,
                                     capture_output=True)
            wall, after = time.perf_counter() - started, os.times()  # the seed process is reaped: its user+sys
            cpu = after.children_user - children.children_user + after.children_system - children.children_system
            out, err = process.stdout, process.stderr
            if process.returncode:
                raise SystemExit(f"seed failed ({checkout}): {err.decode()[-2000:]}")
            cpu1 = client.info("cpu")
            used = client.info("memory")["used_memory"] - empty
            keys = sum(client.memory_usage(key) or 0 for key in client.scan_iter("newscrawl:{bench}:*"))
            seeded = json.loads(out.decode().splitlines()[-1])
        finally:
            redis.stop()
    redis_cpu = sum(cpu1[k] - cpu0[k] for k in ("used_cpu_user", "used_cpu_sys"))
    return {"used": used, "keys": keys, "wall": wall, "cpu": cpu, "redis_cpu": redis_cpu, "pending": seeded["pending"]}


def redis_seed_runs(sizes_: list[int], other: Path | None) -> list[tuple[str, str, int, dict]]:
    sides = ([("before", other)] if other else []) + [("after", ROOT)]
    results = []
    for size in sizes_:
        for side, checkout in sides:
            result = redis_seed(checkout, size)
            print(f"redis seed {side:<6} {size:>8} ids: Redis used_memory {result['used'] / 2**20:8.2f} MB "
                  f"({result['used'] / size:7.1f} bytes an id; the crawl's keys {result['keys'] / 1024:9.1f} KB), "
                  f"seeding {result['wall']:6.1f} s wall, CPU seed "
                  f"{result['cpu']:6.1f} s + redis-server {result['redis_cpu']:5.1f} s, pending {result['pending']}",
                  flush=True)
            results.append((side, checkout.name, size, result))
    return results


def redis_verdict(results: list[tuple[str, str, int, dict]], tolerance_mb: float) -> list[str]:
    """This checkout's Redis memory after seeding must not grow with the number of ids."""
    after = [(size, r["used"]) for side, _, size, r in results if side == "after"]
    if len(after) < 2:
        return []
    (small, base), (large, most) = after[0], max(after[1:], key=lambda run: run[1])
    growth = (most - base) / 2**20
    if growth > tolerance_mb:
        return [f"redis seed: used_memory {growth:+.2f} MB from {small} to {large} ids (tolerance "
                f"{tolerance_mb} MB): Redis memory grows with the number of ids"]
    print(f"OK: Redis used_memory after seeding flat within {tolerance_mb} MB from {small} to {after[-1][0]} ids")
    return []


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ids", default="50000,200000,1000000", help="sizes of the ids crawls ('' for none)")
    parser.add_argument("--archive", default="1000000", help="articles listed by the archive walk(s)")
    parser.add_argument("--state", type=int, default=1_000_000, help="articles in the state store (0: skip)")
    parser.add_argument("--tolerance-mb", type=float, default=30.0)
    parser.add_argument("--limit-mb", type=float, default=300.0)
    parser.add_argument("--redis-seed", default="", help="sizes of the ids crawls seeded into Redis ('': none)")
    parser.add_argument("--compare-with", metavar="CHECKOUT", help="--redis-seed with this checkout too (before)")
    parser.add_argument("--redis-tolerance-mb", type=float, default=1.0)
    args = parser.parse_args()
    other = Path(args.compare_with).resolve() if args.compare_with else None
    seeded = redis_seed_runs(sizes(args.redis_seed), other)
    results = ids_runs(sizes(args.ids)) + archive_runs(sizes(args.archive))
    if args.state:
        state_store(args.state)
    return verdict(results, args.tolerance_mb, args.limit_mb, redis_verdict(seeded, args.redis_tolerance_mb))


if __name__ == "__main__":
    sys.exit(main())
