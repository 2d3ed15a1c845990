"""Crawl speed: a synthetic mirror of 20,000 articles on 127.0.0.1, crawled in archive mode, beside
`scrapy bench` on the same machine (the framework's ceiling).

    python bench/crawl.py [--articles 20000] [--concurrency 16]

Each round crawls (WARC on) and then runs `scrapy bench`; both rates are the mean of the rates
Scrapy's LogStats logs each second, past start-up. Prints the share per round and its min/median,
pages/s start to end, peak RSS and CPU time of the crawl process; asserts nothing. The synthetic
site is cached under bench/.cache/ (a few GB for 20,000 articles of real page size)."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.mirror.server import running_mirror  # noqa: E402
from newscrawl.mirror.synth import synthesize  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="newscrawl.settings", PYTHONPATH=str(ROOT))


def synthetic_site(articles: int, seed: int) -> Path:
    site = ROOT / "bench" / ".cache" / f"synth-{articles}-seed{seed}"
    manifest = site / "manifest.json"
    if not manifest.exists() or json.loads(manifest.read_text())["articles"] != articles:
        started = time.perf_counter()
        synthesize(site, articles, seed)
        print(f"generated {articles} articles in {time.perf_counter() - started:.0f} s into {site}")
    return site


RATE = re.compile(r"\(at (\d+) pages/min\)")
# The crawl logs the project's progress line instead of LogStats' (newscrawl.extensions.progress):
# articles a minute over its last few lines; an archive crawl's pages are its articles and 1% listings.
PROGRESS_RATE = re.compile(r"^.*\bprogress \S+: .*?, ([\d,]+) articles/min", re.M)


def logged_rate(log: str) -> float:
    """Pages per second as the run logs them each second (`scrapy bench`: LogStats with
    LOGSTATS_INTERVAL=1; the crawl: its progress line with PROGRESS_INTERVAL=1): the mean of the
    intervals after the first (start-up) and before the last (the close), the steady rate."""
    found = RATE.findall(log) or PROGRESS_RATE.findall(log)
    rates = [int(r.replace(",", "")) / 60 for r in found]
    steady = rates[1:-1] or rates
    return statistics.fmean(steady) if steady else float("nan")


def scrapy_bench(detail: dict | None = None) -> float:
    """Pages per second of `scrapy bench` (its own local server, its own trivial spider, Scrapy's
    default settings): its average logged rate. `detail`, when given, gets its pages and CPU seconds
    (the spider and its server, both children of this process)."""
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", "LOGSTATS_INTERVAL=1",
                             "-s", "CLOSESPIDER_TIMEOUT=15"], capture_output=True, text=True, env=env,
                            cwd=tempfile.gettempdir(), timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if detail is not None:
        pages = re.search(r"'response_received_count': (\d+)", result.stderr)
        detail["pages"] = int(pages.group(1)) if pages else 0
        detail["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return logged_rate(result.stderr)


def crawl(site: Path, concurrency: int, warc: bool = True, settings: tuple[str, ...] = (),
          profile: str | None = None, tree: Path | None = None) -> dict:
    """One crawl of the synthetic site; `tree`: the newscrawl source tree to run (this one by default)."""
    env = ENV if tree is None else dict(ENV, PYTHONPATH=str(tree))
    with tempfile.TemporaryDirectory() as tmp, running_mirror(site) as mirror:
        report, out = Path(tmp) / "report.json", Path(tmp) / "items.jsonl"
        command = [sys.executable, "-m", "scrapy", "crawl", "asriran", "-a", "mode=archive",
                   "-a", f"base_url={mirror.base_url}", "-O", str(out),
                   "-s", f"RUN_REPORT_PATH={report}", "-s", f"QUARANTINE_PATH={tmp}/q.jsonl",
                   "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO",
                   "-s", f"CONCURRENT_REQUESTS={concurrency}",
                   "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}", "-s", f"WARC_ENABLED={warc}"]
        command += [arg for setting in settings for arg in ("-s", setting)]
        if profile:  # py-spy's samples of every thread, as collapsed stacks (pip install py-spy)
            command = [str(Path(sys.executable).with_name("py-spy")), "record", "--format", "raw", "--threads",
                       "--rate", "200", "--nonblocking", "-o", profile, "--", *command]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([*command, "-s", "LOGSTATS_INTERVAL=1", "-s", "PROGRESS_INTERVAL=1"], env=env, cwd=tmp,
                              check=True, capture_output=True, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stats = json.loads(report.read_text())["stats"]
        lines = sum(1 for _ in out.open(encoding="utf-8"))
        warc_bytes = sum(p.stat().st_size for p in Path(tmp).rglob("*.warc.gz"))
    return {
        "warc_bytes": warc_bytes,
        "wall": wall,
        "pages": stats.get("response_received_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "lines": lines,
        "quarantined": stats.get("newscrawl/quarantined", 0),
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_rss_mb": after.ru_maxrss / 1024,  # the largest child so far, which is the crawl
        "memusage_max_mb": stats.get("memusage/max", 0) / 2**20,
        "logged_rate": logged_rate(done.stderr),
        "warc_writer_cpu": stats.get("newscrawl/warc/writer_cpu_seconds"),
    }


WARC_VARIANTS = {  # name -> (WARC_ENABLED, extra settings)
    "off": (False, ()),
    "zlib 3": (True, ("WARC_COMPRESSION_LEVEL=3", "WARC_WRITE_BATCH=1")),  # the archive before issue 22
    "batch 1": (True, ("WARC_WRITE_BATCH=1",)),  # ISA-L, the writer thread woken per response
    "default": (True, ()),  # ISA-L's deflate when installed
}


def warc_cost(site: Path, concurrency: int, repeat: int, variants: list[str], before: Path | None = None) -> None:
    """Throughput and CPU without the WARC archive and with it in each of `variants` (and with the
    source tree `before`, when given: its defaults), interleaved (off, ..., default, before, off, ...)
    `repeat` times so that load on the shared machine falls on all alike. Per variant: items/s
    start to end (min, median, max) and its cost against off's median; the steady rate as logged
    each second and its cost; the crawl process's CPU (all threads), its median, the difference
    from off per response; the writer thread's own CPU per response where the tree counts it; the
    archive's size per 1,000 articles."""
    chosen = {name: WARC_VARIANTS[name] for name in variants}
    if before is not None:
        chosen["before"] = (True, ())
    runs: dict[str, list[dict]] = {name: [] for name in chosen}
    for _ in range(repeat):
        for name, (enabled, settings) in chosen.items():
            tree = before if name == "before" else None
            runs[name].append(crawl(site, concurrency, enabled, settings, tree=tree))
    def rate(r: dict) -> float:
        return r["items"] / r["wall"]
    off_median = statistics.median(map(rate, runs["off"]))
    off_logged = statistics.median(r["logged_rate"] for r in runs["off"])
    off_cpu = statistics.median(r["cpu"] / r["pages"] for r in runs["off"])
    for name, results in runs.items():
        rates, cpu = sorted(map(rate, results)), statistics.median(r["cpu"] / r["pages"] for r in results)
        logged = statistics.median(r["logged_rate"] for r in results)
        line = (f"WARC {name:<8} items/s min {rates[0]:7.1f} median {statistics.median(rates):7.1f} "
                f"max {rates[-1]:7.1f}, logged {logged:6.1f} pages/s;  CPU median {cpu * 1000:5.2f} ms per response "
                f"({results[0]['pages']} responses)")
        if name != "off":
            cost = 1 - statistics.median(rates) / off_median
            writer = [r["warc_writer_cpu"] / r["pages"] for r in results if r["warc_writer_cpu"] is not None]
            line += (f"\n    cost: throughput {cost:5.1%} (start to end), {1 - logged / off_logged:5.1%} (logged); "
                     f"CPU {(cpu - off_cpu) * 1000:+.2f} ms per response = {cpu / off_cpu - 1:5.1%} of off's")
            if writer:
                rest = statistics.median(r["cpu"] / r["pages"] - r["warc_writer_cpu"] / r["pages"]
                                         for r in results if r["warc_writer_cpu"] is not None)
                line += (f"\n    writer thread {statistics.median(writer) * 1000:.2f} ms per response; the rest of "
                         f"the process (the crawl's thread) {(rest - off_cpu) * 1000:+.2f} ms "
                         f"= {rest / off_cpu - 1:5.1%}")
            line += f"; {results[0]['warc_bytes'] / results[0]['items'] * 1000 / 2**20:.1f} MB per 1,000 articles"
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warc-cost", action="store_true",
                        help="crawl without the WARC archive and with it as --variants say, interleaved")
    parser.add_argument("--variants", default=",".join(WARC_VARIANTS),
                        help=f"--warc-cost: which of {', '.join(WARC_VARIANTS)} (off always runs)")
    parser.add_argument("--before", type=Path,
                        help="--warc-cost: also crawl with this source tree's defaults (e.g. a `git archive` "
                             "of an older commit), as the variant 'before'")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (crawl + scrapy bench, or --warc-cost)")
    parser.add_argument("--profile", help="crawl once under py-spy, writing its collapsed stacks here")
    args = parser.parse_args()

    site = synthetic_site(args.articles, args.seed)
    if args.profile:
        result = crawl(site, args.concurrency, profile=args.profile)
        print(f"{result['items']} items in {result['wall']:.1f} s, CPU {result['cpu']:.1f} s; stacks in {args.profile}")
        return
    if args.warc_cost:
        variants = ["off", *(v for v in args.variants.split(",") if v and v != "off")]
        warc_cost(site, args.concurrency, args.repeat, variants, args.before)
        return
    rounds = []
    for _ in range(args.repeat):  # interleaved: the crawl (WARC on), then scrapy bench, ...
        result = crawl(site, args.concurrency)
        detail: dict = {}
        rounds.append((result, scrapy_bench(detail)))
        result["bench"] = detail
    for index, (result, ceiling) in enumerate(rounds, 1):
        pages_s = result["pages"] / result["wall"]
        print(f"round {index}: scrapy bench {ceiling:6.1f} pages/s; newscrawl archive crawl (WARC on) "
              f"{result['logged_rate']:6.1f} pages/s logged, {pages_s:6.1f} pages/s start to end "
              f"({result['pages']} pages, {result['items']} items, {result['wall']:.1f} s, CPU {result['cpu']:.1f} s, "
              f"peak RSS {result['peak_rss_mb']:.0f} MB)  {result['logged_rate'] / ceiling:4.0%} of scrapy bench")
        bench = result["bench"]
        if bench.get("pages"):
            print(f"  CPU per page: scrapy bench {bench['cpu'] / bench['pages'] * 1000:.2f} ms (spider and its "
                  f"server), newscrawl crawl {result['cpu'] / result['pages'] * 1000:.2f} ms (crawl only)")
    shares = sorted(r["logged_rate"] / c for r, c in rounds)
    print(f"share of scrapy bench's average rate (logged rates, same run): min {shares[0]:.0%} "
          f"median {statistics.median(shares):.0%} max {shares[-1]:.0%}")

if __name__ == "__main__":
    main()
