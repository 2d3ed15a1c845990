"""Scale-out: 1, 2 and 4 workers of one crawl over a synthetic mirror on 127.0.0.1, coordinated by
a redis-server of their own, beside the single-process crawl and `scrapy bench`; then 3 workers
under a shared budget, the rate the mirror saw against it; then where workers pay off: a
politeness-bound crawl, 1, 2 and 4 workers against a slow site under a shared budget.

    python bench/distributed.py [--articles 20000] [--workers 1,2,4] [--budget 20] [--no-scrapy-bench]
        [--polite-only] [--polite-articles 400] [--latency 0.5] [--polite-rate 24] [--polite-concurrency 4]
    python bench/distributed.py --compare-with CHECKOUT [--articles 3000] [--rounds 3]

Prints, per run: pages/s, items/s, the CPU seconds of the workers, the mirror and Redis (this
machine's cores are shared by all three), Redis round trips per request (counted by each worker where
the bytes leave: newscrawl.distributed.CountingConnection; by kind), Redis commands per request
(INFO stats, those inside the Lua scripts included), and the coordination CPU per request: the
workers' own count of their thread CPU time in Redis calls and the scheduler's bookkeeping
(newscrawl/redis/cpu_seconds: a CPU-time count, not wall time, so the load of this shared machine
moves it little), with Redis's CPU per request beside it; and, as before, worker CPU per request
beyond the single-process crawl's (a difference of two noisy totals).

The politeness-bound crawl stands in for a crawl of many hosts (the multi-site mirror is not on
main): one mirror host answering each page after --latency seconds, as a far site does, and a
shared budget of --polite-rate requests per second, as H hosts at r requests per second each give
H * r; each worker keeps --polite-concurrency requests in flight per host (its politeness). One
worker is then bound by latency, not by CPU, and more workers add throughput until the budget is
reached. Asserts nothing."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl import ENV, scrapy_bench, synthetic_site  # noqa: E402

from newscrawl.mirror.server import running_mirror  # noqa: E402
from newscrawl.mirror.synth import FIRST_ID  # noqa: E402
from tests.redis_helpers import CountingHandler, RedisServer, counting_mirror  # noqa: E402


class SlowHandler(CountingHandler):
    """A far site: every page after `server.latency` seconds (the server is threaded)."""

    def _serve(self, head: bool) -> None:
        time.sleep(getattr(self.server, "latency", 0.0))
        super()._serve(head)

COMMON = ["-s", "LOG_LEVEL=INFO", "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
          "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pid_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def single_process(site: Path, articles: int, tmp: Path) -> dict:
    with counting_mirror(site) as mirror:
        cpu0, mirror0, started = children_cpu(), time.process_time(), time.perf_counter()
        subprocess.run([sys.executable, "-m", "scrapy", "crawl", "asriran", "-a", "mode=ids",
                        "-a", f"ids={FIRST_ID}-{FIRST_ID + articles - 1}", "-a", f"base_url={mirror.base_url}",
                        "-s", f"OUTPUT_DIR={tmp}/single", "-s", f"STATE_DIR={tmp}/single/state", *COMMON],
                       env=ENV, cwd=ROOT, check=True, capture_output=True)
        wall = time.perf_counter() - started
        cpu, mirror_cpu = children_cpu() - cpu0, time.process_time() - mirror0
    report = json.loads(next(Path(tmp, "single").rglob("*.report.json")).read_text())
    return {"workers": "single process", "wall": wall, "pages": report["pages_fetched"],
            "items": report["items_written"], "worker_cpu": cpu, "mirror_cpu": mirror_cpu, "redis_cpu": 0.0}


def distributed(site: Path, articles: int, workers: int, tmp: Path, redis: RedisServer, budget: float = 0,
                latency: float = 0.0, settings: tuple[str, ...] = (), env: dict | None = None) -> dict:
    """One crawl by `workers` workers; `env`: run the workers of another checkout (--compare-with)."""
    env = env or ENV
    name = f"bench-{workers}-{budget}-{time.monotonic_ns()}"
    out = tmp / name
    client = redis.client()
    with running_mirror(site, handler=SlowHandler) as mirror:
        mirror.hits, mirror.lock, mirror.latency = [], threading.Lock(), latency
        subprocess.run([sys.executable, "-m", "newscrawl", "seed", name, "--redis-url", redis.url, "-a", "mode=ids",
                        "-a", f"ids={FIRST_ID}-{FIRST_ID + articles - 1}", "-a", f"base_url={mirror.base_url}"],
                       env=env, cwd=env["PYTHONPATH"], check=True, capture_output=True)
        commands0 = client.info("stats")["total_commands_processed"]
        cpu0, mirror0, redis0 = children_cpu(), time.process_time(), pid_cpu(redis.process.pid)
        started = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "newscrawl", "worker", name, "--redis-url", redis.url,
                                   "-s", f"OUTPUT_DIR={out}", "-s", f"STATE_DIR={out}/state",
                                   "-s", f"DISTRIBUTED_RATE={budget}", *COMMON, *settings],
                                  env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
                 for _ in range(workers)]
        codes = [p.wait() for p in procs]
        wall = time.perf_counter() - started
        cpu, mirror_cpu = children_cpu() - cpu0, time.process_time() - mirror0
        redis_cpu = pid_cpu(redis.process.pid) - redis0
        commands = client.info("stats")["total_commands_processed"] - commands0
        hits = sorted(t for t, path in mirror.hits if "/fa/news/" in path)
        # what a worker costs with nothing to do (start-up, imports, shutdown): not coordination
        idle0 = children_cpu()
        subprocess.run([sys.executable, "-m", "newscrawl", "worker", name, "--redis-url", redis.url,
                        "-s", f"OUTPUT_DIR={out}/idle", "-s", f"STATE_DIR={out}/idle/state", *COMMON, *settings],
                       env=env, cwd=env["PYTHONPATH"], check=True, capture_output=True)
        startup_cpu = children_cpu() - idle0
    stats = [json.loads(p.read_text())["stats"] for p in out.rglob("*.report.json") if "idle" not in p.parts]
    pages = sum(s.get("response_received_count", 0) for s in stats)
    total = {k: sum(s.get(f"newscrawl/redis/{k}", 0) for s in stats)
             for k in ("round_trips", "queue_round_trips", "rate_round_trips", "cpu_seconds")}
    row = {"workers": workers, "workers_started": workers, "exit_codes": codes, "wall": wall, "pages": pages,
           "items": sum(s.get("item_scraped_count", 0) for s in stats), "worker_cpu": cpu,
           "mirror_cpu": mirror_cpu, "redis_cpu": redis_cpu, "startup_cpu": startup_cpu,
           "round_trips_per_request": total["round_trips"] / pages,
           "queue_round_trips_per_request": total["queue_round_trips"] / pages,
           "rate_round_trips_per_request": total["rate_round_trips"] / pages,
           "redis_commands_per_request": commands / pages,
           "coordination_cpu_per_request": total["cpu_seconds"] / pages, "redis_cpu_per_request": redis_cpu / pages}
    if budget and len(hits) > 1:
        row["budget"] = budget
        row["measured_rate"] = (len(hits) - 1) / (hits[-1] - hits[0])
    return row


def show(row: dict, baseline: dict | None) -> None:
    line = (f"{str(row['workers']):>14}: {row['pages'] / row['wall']:7.1f} pages/s {row['items'] / row['wall']:7.1f} "
            f"items/s  ({row['pages']} pages in {row['wall']:.1f} s)  CPU s: workers {row['worker_cpu']:.1f}, "
            f"mirror {row['mirror_cpu']:.1f}, redis {row['redis_cpu']:.1f}")
    if "round_trips_per_request" in row:
        line += (f"\n{'':16}Redis round trips/request {row['round_trips_per_request']:.2f} (queue "
                 f"{row['queue_round_trips_per_request']:.2f}, budget {row['rate_round_trips_per_request']:.2f}, "
                 f"state the rest); Redis commands/request {row['redis_commands_per_request']:.2f}")
        line += " (counting those inside the Lua scripts)"
        line += (f"\n{'':16}coordination CPU/request: workers {row['coordination_cpu_per_request'] * 1000:.2f} ms "
                 f"(thread CPU in Redis calls and lease bookkeeping), redis-server "
                 f"{row['redis_cpu_per_request'] * 1000:.2f} ms")
        if baseline:
            # per request, beyond the single process; each process's fixed start-up cost taken out
            startup = row["startup_cpu"]
            work = (row["worker_cpu"] - row["workers_started"] * startup) / row["pages"]
            single = (baseline["worker_cpu"] - startup) / baseline["pages"]
            line += (f"\n{'':16}worker CPU per request beyond the single process: {(work - single) * 1000:+.2f} ms "
                     f"(a worker's start-up and shutdown, {startup:.1f} s CPU each, taken out)")
    if "measured_rate" in row:
        line += f"\n{'':16}budget {row['budget']} req/s, measured at the mirror {row['measured_rate']:.2f} req/s"
    print(line, flush=True)


def compare(site: Path, args, other: Path) -> None:
    """Before and after, interleaved in one run so that the load of this shared machine falls on
    both alike: round trips and commands are counts; CPU is user+sys of the worker processes and of
    redis-server (not wall time). The round trips of a checkout are its workers' own count
    (newscrawl/redis/round_trips: counted where the bytes leave since the counting connection)."""
    sides = {"before": dict(ENV, PYTHONPATH=str(other)), "after": ENV}
    rows: dict[str, list[dict]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp) / "redis")
        redis.start()
        try:
            for _ in range(args.rounds):
                for side, env in sides.items():
                    row = distributed(site, args.articles, 1, Path(tmp), redis, env=env)
                    rows[side].append(row)
                    print(f"{side:>7}: {row['round_trips_per_request']:.2f} round trips/request, "
                          f"{row['redis_commands_per_request']:.1f} commands/request, worker CPU "
                          f"{(row['worker_cpu'] - row['startup_cpu']) / row['pages'] * 1000:.2f} ms/request, "
                          f"redis CPU {row['redis_cpu_per_request'] * 1000:.3f} ms/request, coordination CPU "
                          f"(its own count) {row['coordination_cpu_per_request'] * 1000:.2f} ms/request", flush=True)
        finally:
            redis.stop()
    def median(side, key):
        return statistics.median(key(r) for r in rows[side])
    for label, key in (("round trips/request", lambda r: r["round_trips_per_request"]),
                       ("commands/request", lambda r: r["redis_commands_per_request"]),
                       ("worker CPU ms/request", lambda r: (r["worker_cpu"] - r["startup_cpu"]) / r["pages"] * 1000),
                       ("redis CPU ms/request", lambda r: r["redis_cpu_per_request"] * 1000)):
        before, after = median("before", key), median("after", key)
        print(f"median {label}: before {before:.3f}, after {after:.3f}, saved {before - after:.3f} "
              f"({after / before:.2f}x)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--budget", type=float, default=20.0)
    parser.add_argument("--budget-articles", type=int, default=600)
    parser.add_argument("--no-scrapy-bench", action="store_true")
    parser.add_argument("--compare-with", metavar="CHECKOUT",
                        help="only: the same crawl by the workers of this checkout and of this one, one "
                             "worker, alternately (--rounds times), and the difference per request")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--polite-only", action="store_true", help="only the politeness-bound crawls")
    parser.add_argument("--polite-articles", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--polite-rate", type=float, default=24.0)
    parser.add_argument("--polite-concurrency", type=int, default=4)
    args = parser.parse_args()
    site = synthetic_site(args.articles, seed=1)
    if args.compare_with:
        compare(site, args, Path(args.compare_with).resolve())
        return
    if not args.no_scrapy_bench:
        print(f"{'scrapy bench':>14}: {scrapy_bench():7.1f} pages/s (its own server and trivial spider)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        redis = RedisServer(tmp / "redis")
        redis.start()
        try:
            if not args.polite_only:
                baseline = single_process(site, args.articles, tmp)
                show(baseline, None)
                for workers in (int(w) for w in args.workers.split(",")):
                    show(distributed(site, args.articles, workers, tmp, redis), baseline)
                show(distributed(site, args.budget_articles, 3, tmp, redis, budget=args.budget), baseline)
            print(f"politeness-bound: a site answering after {args.latency} s, a shared budget of "
                  f"{args.polite_rate} req/s (H hosts x r req/s), {args.polite_concurrency} in flight per worker",
                  flush=True)
            polite = ("-s", f"CONCURRENT_REQUESTS={args.polite_concurrency}",
                      "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={args.polite_concurrency}")
            first = None
            for workers in (int(w) for w in args.workers.split(",")):
                row = distributed(site, args.polite_articles, workers, tmp, redis, budget=args.polite_rate,
                                  latency=args.latency, settings=polite)
                show(row, None)
                rate = row["measured_rate"]  # first to last article at the mirror: start-up left out
                first = first or rate
                busy = (row["worker_cpu"] - workers * row["startup_cpu"]) / row["pages"] * 1000
                print(f"{'':16}{rate / first:.2f}x the one worker's rate at the mirror; worker CPU per page "
                      f"{busy:.1f} ms (start-up and shutdown taken out)", flush=True)
        finally:
            redis.stop()


if __name__ == "__main__":
    main()
