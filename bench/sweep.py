"""A ten-minute sweep of the whole family in one process: 100 synthetic sites' feeds (20 new articles
each) crawled by `python -m newscrawl crawl --sites ...` through the family mirror on 127.0.0.1.

    python bench/sweep.py [--sites 100] [--articles 20] [--rounds 2]

Politeness off (DOWNLOAD_DELAY=0, no AutoThrottle), interleaved round by round with a single-site
crawl of as many pages of the same generator (one site, `-a mode=ids` over sites x articles
synthetic articles, through the same proxy): wall time, CPU time (user+sys of the crawl process, from
wait4: what load on the machine changes least) per article, and peak RSS. The single-site crawl reads
one site's pages and the sweep 100 sites' own markups, whose readers cost more or less: the ratio is
printed as crawled, and on the same pages (the single-site crawl's cost beside its parser, plus the
sweep's pages' parse, both parsers timed over their pages in this process). Also one site's feed crawled
alone (what 100 separate `scrapy crawl` processes would each cost). Then the sweep with the project's
polite settings (robots.txt, DOWNLOAD_DELAY, AutoThrottle, CONCURRENT_REQUESTS_PER_DOMAIN), measured on
the loopback, and an estimate of a real sweep at each site's polite rate from the settings. The
family root is cached under bench/.cache/. Prints the numbers; asserts nothing."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl import settings as project  # noqa: E402
from newscrawl.mirror.server import running_mirror  # noqa: E402
from newscrawl.mirror.synth import FIRST_ID, SYNTH_UNREAD, synthesize, synthesize_family  # noqa: E402
from newscrawl.sites import PROFILES, parse_page  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="newscrawl.settings", PYTHONPATH=str(ROOT))
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "LOG_LEVEL=INFO")


def family_root(sites: list[str], articles: int) -> Path:
    root = ROOT / "bench" / ".cache" / f"family-{len(sites)}x{articles}"
    if not all((root / site / "manifest.json").exists() for site in sites):
        started = time.perf_counter()
        synthesize_family(root, sites, articles, seed=7)
        print(f"generated {len(sites)} sites x {articles} articles in {time.perf_counter() - started:.0f} s "
              f"into {root}")
    return root


def one_site_root(site: str, articles: int) -> Path:
    """A family root holding one site of `articles` articles (the same generator)."""
    root = ROOT / "bench" / ".cache" / f"one-{site}-{articles}"
    if not (root / site / "manifest.json").exists():
        synthesize(root / site, articles, seed=7)
    return root


def measured(command: list[str], log: Path) -> dict:
    """Run a command; its wall time, CPU time (user+sys) and peak RSS (wait4's rusage of that process)."""
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=ENV, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "code": process.returncode}


def sweep(sites: list[str], proxy: str, out: Path, settings: tuple[str, ...]) -> dict:
    command = [sys.executable, "-m", "newscrawl", "crawl", "--sites", ",".join(sites), "-a", "mode=rss"]
    for setting in (f"MIRROR_PROXY={proxy}", f"OUTPUT_DIR={out}", *settings):
        command += ["-s", setting]
    result = measured(command, out.parent / f"{out.name}.log")
    (report,) = (out / "sweeps").glob("*/*.json")
    by_site = json.loads(report.read_text())["by_site"]
    result["articles"] = sum(site.get("items_written", 0) for site in by_site.values())
    return result


def single(site: str, proxy: str, out: Path, mode: list[str]) -> dict:
    command = [sys.executable, "-m", "scrapy", "crawl", site, *mode]
    for setting in (f"MIRROR_PROXY={proxy}", f"OUTPUT_DIR={out}", *FAST):
        command += ["-s", setting]
    result = measured(command, out.parent / f"{out.name}.log")
    result["articles"] = sum(json.loads(p.read_text())["items_written"] for p in out.glob("*/*/*.report.json"))
    return result


def parse_cpu(root: Path, sites: list[str], sample: int | None = None) -> float:
    """CPU seconds of the sites' parsers alone (in this process, no crawl) over their pages in `root`
    (each site's profile reads its own pages: readers differ in cost); `sample`: per site, that many
    pages, scaled up to all of them."""
    total = 0.0
    for site in sites:
        pages = sorted((root / site / "news").glob("*.html"))
        chosen = pages[:sample] if sample else pages
        started = time.process_time()
        for page in chosen:
            parse_page(page.read_text(encoding="utf-8"), f"{PROFILES[site].base_url}/fa/news/{page.stem}", site=site)
        total += (time.process_time() - started) * len(pages) / max(len(chosen), 1)
    return total


def show(name: str, runs: list[dict]) -> dict:
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "rss_mb", "articles")}
    per = med["cpu"] / med["articles"] * 1000 if med["articles"] else float("nan")
    print(f"{name:<44} wall {med['wall']:6.1f} s  cpu {med['cpu']:6.1f} s  {med['articles']:5.0f} articles  "
          f"cpu/article {per:5.2f} ms  peak RSS {med['rss_mb']:4.0f} MB  exit {runs[-1]['code']}")
    return {**med, "cpu_per_article_ms": per}


def polite_estimate(articles: int) -> None:
    """A real sweep at the polite settings: each site is its own crawler (its own slot), so the sites
    go in parallel and the sweep takes as long as its slowest site: robots.txt, the feed, then its new
    articles one after another at the slot's delay (AutoThrottle: never under DOWNLOAD_DELAY, starting
    at AUTOTHROTTLE_START_DELAY, tending to latency / AUTOTHROTTLE_TARGET_CONCURRENCY)."""
    requests = 2 + articles
    low, start = project.DOWNLOAD_DELAY, project.AUTOTHROTTLE_START_DELAY
    print(f"estimate of a real sweep, {requests} requests per site, sites in parallel (DOWNLOAD_DELAY {low} s, "
          f"AutoThrottle from {start} s, target concurrency {project.AUTOTHROTTLE_TARGET_CONCURRENCY}):")
    for latency in (0.3, 1.0, 3.0):
        delay = max(low, latency / project.AUTOTHROTTLE_TARGET_CONCURRENCY)
        seconds = start + (requests - 1) * max(delay, latency / project.CONCURRENT_REQUESTS_PER_DOMAIN) + latency
        print(f"  a site answering in {latency:.1f} s: about {seconds:4.0f} s per site, so the sweep "
              f"{'fits' if seconds < 540 else 'does NOT fit'} in ten minutes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    sites = [name for name in PROFILES if name not in SYNTH_UNREAD][: args.sites]
    family = family_root(sites, args.articles)
    total = len(sites) * args.articles
    alone = one_site_root(sites[0], total)
    ids = ["-a", "mode=ids", "-a", f"ids={FIRST_ID}-{FIRST_ID + total - 1}"]
    runs: dict[str, list[dict]] = {"sweep": [], "single": [], "feed": []}
    with tempfile.TemporaryDirectory() as tmp, running_mirror(family) as mirror, running_mirror(alone) as one:
        for round_ in range(args.rounds):  # interleaved: load on the machine hits both alike
            runs["sweep"].append(sweep(sites, mirror.base_url, Path(tmp) / f"sweep{round_}", FAST))
            runs["single"].append(single(sites[0], one.base_url, Path(tmp) / f"single{round_}", ids))
            runs["feed"].append(single(sites[1], mirror.base_url, Path(tmp) / f"feed{round_}", ["-a", "mode=rss"]))
        print(f"{len(sites)} sites x {args.articles} new articles, politeness off, median of {args.rounds} rounds "
              "(cpu: user+sys of the crawl process):")
        multi = show(f"one process, {len(sites)} sites' feeds", runs["sweep"])
        alone_run = show(f"one site, {total} articles (mode=ids)", runs["single"])
        feed = show(f"one site's feed alone ({args.articles} articles)", runs["feed"])
        # Each site's reader costs its own: the parsers alone, over exactly the pages each side read
        parse_multi, parse_alone = parse_cpu(family, sites), parse_cpu(alone, sites[:1], sample=200)
        parse_multi_ms = parse_multi / multi["articles"] * 1000
        parse_alone_ms = parse_alone / alone_run["articles"] * 1000
        rest_multi = (multi["cpu"] - parse_multi) / multi["articles"] * 1000
        rest_alone = (alone_run["cpu"] - parse_alone) / alone_run["articles"] * 1000
        ratio = multi["cpu_per_article_ms"] / alone_run["cpu_per_article_ms"]
        # The single-site crawl reads one site's pages; the sweep reads 100 sites' own markups, whose
        # readers cost more or less. On the same pages the single-site crawl would cost its own rest
        # plus the sweep's pages' parse (measured in this process, the same way for both).
        same_pages = multi["cpu_per_article_ms"] / (rest_alone + parse_multi_ms)
        print(f"cpu per article, many sites / one site: {ratio:.2f} as crawled (different pages); "
              f"{same_pages:.2f} on the same pages (goal: within 1.20)")
        print(f"of which the sites' parsers alone: {parse_multi_ms:.2f} ms/article (many sites' pages) against "
              f"{parse_alone_ms:.2f} (one site's); the rest (Scrapy, pipelines, state, files): {rest_multi:.2f} "
              f"against {rest_alone:.2f} ms/article, ratio {rest_multi / rest_alone:.2f}; per site and run, "
              f"{(multi['cpu'] - parse_multi - rest_alone * multi['articles'] / 1000) / len(sites) * 1000:.0f} ms "
              "more (its crawler, report, WARC, monitors, state)")
        print(f"{len(sites)} separate processes, one per site's feed: about {feed['cpu'] * len(sites):.0f} s of cpu "
              f"against {multi['cpu']:.0f} s in one process")
        polite = sweep(sites, mirror.base_url, Path(tmp) / "polite", ("LOG_LEVEL=INFO",))
        show(f"one process, {len(sites)} sites, POLITE settings (loopback)", [polite])
    polite_estimate(args.articles)


if __name__ == "__main__":
    main()
