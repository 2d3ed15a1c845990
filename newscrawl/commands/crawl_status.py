"""`python -m newscrawl crawl-status NAME`: where a distributed crawl stands.

Queued, leased (and how many of those leases expired: their worker died), done, dead-lettered,
redelivered; a progress line as a single-process run logs it (done/total, rate, ETA where the
total is known: a crawl seeded with ids or URLs; failures); the rate now; each worker's last
heartbeat and figures, and their sum (the run reports of all workers add up to it). --dead lists
the dead letters with their last error; --requeue-dead puts them back in the queue. --json for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from newscrawl import exit_codes
from newscrawl.commands._redis import redis_url_argument
from newscrawl.distributed import CrawlKeys, connect, scripts, serializer
from newscrawl.run.progress import Progress, progress_line

SUMMED = ("pages", "items", "skipped_known", "already_written", "quarantined", "missing", "failed", "retries")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("crawl-status", help="show a distributed crawl's queue, leases and workers")
    parser.add_argument("name")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dead", action="store_true", help="list the dead letters with their last error")
    parser.add_argument("--requeue-dead", action="store_true", help="put the dead letters back in the queue")
    redis_url_argument(parser)
    parser.set_defaults(run=run)


def status(server, name: str) -> dict:
    keys = CrawlKeys(name)
    pipe = server.pipeline(transaction=False)
    pipe.time().zcard(keys.pending).zcard(keys.lease).hgetall(keys.counters).zcard(keys.dead)
    pipe.hgetall(keys.workers).hgetall(keys.meta).hget(keys.frontier, "left")
    (seconds, micros), pending, leased, counters, dead, workers, meta, left = pipe.execute()
    unexpanded = int(left or 0)  # an ids crawl's ids not made into requests yet: queued too
    now_ms = seconds * 1000 + micros // 1000
    expired = server.zcount(keys.lease, "-inf", now_ms)
    listed = []
    for worker, raw in sorted(workers.items()):
        info = json.loads(raw)
        info["worker"] = worker
        info["alive"] = bool(server.exists(keys.alive(worker)))
        info["heartbeat_age_seconds"] = round(time.time() - info["heartbeat"], 1)
        if not info["alive"] and info.get("state") == "running":  # its heartbeat stopped: it died running
            info["state"] = (f"dead (no heartbeat for {info['heartbeat_age_seconds']} s; a live worker of the "
                             "crawl finalizes its files)")
        listed.append(info)
    report = {
        "crawl": name, "spider": meta.get("spider"), "mode": meta.get("mode"), "queued": pending + unexpanded,
        "unexpanded": unexpanded, "leased": leased,
        "leases_expired": expired, "done": int(counters.get("done", 0)), "dead_lettered": dead,
        "redelivered": int(counters.get("redelivered", 0)),
        "skipped_known": int(counters.get("skipped_known", 0)),
        "pages_per_second": round(sum(w.get("pages_per_second", 0) for w in listed if w["alive"]), 2),
        "workers_alive": sum(1 for w in listed if w["alive"]),
        "totals": {k: sum(w.get(k, 0) for w in listed) for k in SUMMED},
        "workers": listed, "finished": bool(meta) and pending + unexpanded == 0 and leased == 0,
    }
    progress = crawl_progress(report)
    report["progress"] = {"done": progress.done, "total": progress.total, "total_final": progress.final,
                          "pages_per_minute": progress.per_minute, "eta_seconds": progress.eta_seconds,
                          "line": progress_line(progress, name)}
    return report


def crawl_progress(report: dict) -> Progress:
    """Requests done (confirmed, dead-lettered, or an id the pop skipped as known) of those known
    (done, queued, leased; an ids crawl's ids not made into requests yet are queued); the total is
    final when the seeds are the whole crawl (mode ids or urls) or nothing is left; the rate is the
    live workers' pages per minute."""
    done = report["done"] + report["dead_lettered"] + report["skipped_known"]
    totals = report["totals"]
    return Progress(done=done, total=done + report["queued"] + report["leased"],
                    final=report["mode"] in ("ids", "urls") or report["finished"], unit="requests",
                    per_minute=report["pages_per_second"] * 60, rate_unit="pages",
                    failures={"failed pages": totals["failed"], "quarantined": totals["quarantined"],
                              "dead-lettered": report["dead_lettered"]},
                    also={"missing": totals["missing"]})


def dead_letters(server, name: str) -> list[dict]:
    keys = CrawlKeys(name)
    ids = server.zrange(keys.dead, 0, -1)
    if not ids:
        return []
    data, errors = server.hmget(keys.data, ids), server.hmget(keys.dead_error, ids)
    return [{"id": i, "url": serializer.loads(d)["url"] if d else None, "error": e}
            for i, d, e in zip(ids, data, errors, strict=True)]


def run(args: argparse.Namespace) -> int:
    try:
        server = connect(args.redis_url)
        keys = CrawlKeys(args.name)
        if args.requeue_dead:
            requeue = server.register_script(scripts.REQUEUE_DEAD)
            n = requeue(keys=[keys.dead, keys.pending, keys.score, keys.dead_error, keys.attempts], args=[])
            print(f"{n} dead letters back in the queue of {args.name!r}")
        report = status(server, args.name)
        if args.dead:
            report["dead_letters"] = dead_letters(server, args.name)
    except Exception as exc:  # noqa: BLE001
        print(f"newscrawl crawl-status: cannot reach Redis at {args.redis_url}: {exc}", file=sys.stderr)
        return exit_codes.COULD_NOT_START
    if not report["spider"] and not report["queued"]:
        print(f"newscrawl crawl-status: no crawl {args.name!r} in {args.redis_url}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"crawl {report['crawl']} ({report['spider']}): {'finished' if report['finished'] else 'running'}")
    ids_left = f" ({report['unexpanded']} of them ids not taken yet)" if report["unexpanded"] else ""
    skipped = f", skipped as known {report['skipped_known']}" if report["skipped_known"] else ""
    print(f"  queued {report['queued']}{ids_left}, leased {report['leased']} ({report['leases_expired']} expired), "
          f"done {report['done']}{skipped}, dead-lettered {report['dead_lettered']}, "
          f"redelivered {report['redelivered']}")
    print(f"  {report['progress']['line']}")
    print(f"  rate {report['pages_per_second']} pages/s over {report['workers_alive']} live workers")
    totals = report["totals"]
    print("  all workers: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    for w in report["workers"]:
        state = w["state"] if w["state"].startswith("dead") else f"{'alive' if w['alive'] else 'gone'}, {w['state']}"
        print(f"  {w['worker']}: {state}, last heartbeat "
              f"{w['heartbeat_age_seconds']} s ago, {w['pages']} pages, {w['items']} items, "
              f"{w['pages_per_second']} pages/s, {w['leases']} leases")
    for letter in report.get("dead_letters", []):
        print(f"  dead {letter['id']}: {letter['url']}: {letter['error']}")
    return 0
