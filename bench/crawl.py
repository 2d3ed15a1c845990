"""Crawl speed: a synthetic mirror of 20,000 articles on 127.0.0.1, crawled in archive mode, beside
`scrapy bench` on the same machine (the framework's ceiling).

    python bench/crawl.py [--articles 20000] [--concurrency 16]

Prints pages/s, items/s, peak RSS and CPU time of the crawl process; asserts nothing. The synthetic
site is cached under bench/.cache/ (a few GB for 20,000 articles of real page size)."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
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


def scrapy_bench() -> float:
    """Pages per second of `scrapy bench` (its own local server, its own trivial spider, Scrapy's
    default settings): the best rate it logs."""
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", "LOGSTATS_INTERVAL=1",
                             "-s", "CLOSESPIDER_TIMEOUT=15"], capture_output=True, text=True, env=env,
                            cwd=tempfile.gettempdir(), timeout=120)
    rates = [int(r) for r in re.findall(r"\(at (\d+) pages/min\)", result.stderr)]
    return max(rates) / 60 if rates else float("nan")


def crawl(site: Path, concurrency: int, warc: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as tmp, running_mirror(site) as mirror:
        report, out = Path(tmp) / "report.json", Path(tmp) / "items.jsonl"
        command = [sys.executable, "-m", "scrapy", "crawl", "asriran", "-a", "mode=archive",
                   "-a", f"base_url={mirror.base_url}", "-O", str(out),
                   "-s", f"RUN_REPORT_PATH={report}", "-s", f"QUARANTINE_PATH={tmp}/q.jsonl",
                   "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO",
                   "-s", f"CONCURRENT_REQUESTS={concurrency}",
                   "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}", "-s", f"WARC_ENABLED={warc}"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, env=ENV, cwd=tmp, check=True, capture_output=True)
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
    }


def warc_cost(site: Path, concurrency: int) -> None:
    """Throughput with and without WARC_ENABLED (each measured twice, the better kept: the machine is
    shared), and the archive's size per 1,000 articles."""
    results = {}
    for warc in (False, True, False, True):
        result = crawl(site, concurrency, warc)
        best = results.get(warc)
        if best is None or result["wall"] < best["wall"]:
            results[warc] = result
    for warc, result in sorted(results.items()):
        print(f"WARC {'on ' if warc else 'off'}  {result['pages'] / result['wall']:8.1f} pages/s  "
              f"{result['items'] / result['wall']:8.1f} items/s  CPU {result['cpu']:.1f} s  ({result['wall']:.1f} s)")
    on, off = results[True], results[False]
    cost = 1 - (on["items"] / on["wall"]) / (off["items"] / off["wall"])
    print(f"  throughput cost of WARC: {cost:.1%}; CPU {on['cpu'] - off['cpu']:+.1f} s")
    print(f"  archive: {on['warc_bytes'] / 2**20:.1f} MB for {on['items']} articles ({on['pages']} responses): "
          f"{on['warc_bytes'] / on['items'] * 1000 / 2**20:.1f} MB per 1,000 articles")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warc-cost", action="store_true",
                        help="crawl twice, with and without the WARC archive, and compare (issue 11)")
    args = parser.parse_args()

    site = synthetic_site(args.articles, args.seed)
    if args.warc_cost:
        warc_cost(site, args.concurrency)
        return
    result = crawl(site, args.concurrency)  # first: ru_maxrss of children is then the crawl's own
    ceiling = scrapy_bench()
    print(f"scrapy bench (ceiling)          {ceiling:8.1f} pages/s")
    pages_s, items_s = result["pages"] / result["wall"], result["items"] / result["wall"]
    print(f"newscrawl archive crawl         {pages_s:8.1f} pages/s  {items_s:8.1f} items/s  "
          f"({result['pages']} pages, {result['items']} items, {result['lines']} lines written, "
          f"{result['quarantined']} quarantined, {result['wall']:.1f} s)")
    print(f"  share of the ceiling          {pages_s / ceiling:8.0%}")
    print(f"  crawl process: CPU {result['cpu']:.1f} s ({result['cpu'] / result['wall']:.0%} of one core), "
          f"peak RSS {result['peak_rss_mb']:.0f} MB (Scrapy memusage/max {result['memusage_max_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
