"""Extraction speed: parser + pipelines over the fixture pages, against the bare lxml parse of the
same pages (the floor) and trafilatura (when installed: `pip install -e '.[bench]'`).

    python bench/extract.py [--pages 3000] [--sites 110]

`--sites N` registers synthetic sites until N are registered before anything is parsed (each with one
generation whose root is a descendant selector, the costliest form the family's profiles use), so the
cost of the registry's size shows: extraction must not grow with it.

Prints numbers; asserts nothing. Runs on one core (the process is single-threaded) and times CPU
time of this process, so that other work on a shared machine does not count."""

from __future__ import annotations

import argparse
import statistics
import time

from dataclasses import replace

import lxml.html
from common import article_fixtures

from newscrawl.replay.processor import Processor
from newscrawl.sites import PROFILES
from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile


def register_synthetic_sites(total: int) -> None:
    """Synthetic profiles until `total` sites are registered: roots in the forms the family's profiles
    use (an inline-style wrapper under a class, a column class under another), none of which the
    fixtures hold."""
    for i in range(max(0, total - len(PROFILES))):
        name = f"bench{i}"
        root = (f".margin_bt_{i} div[style='direction: rtl;']" if i % 2 else f".main_body_{i} .col-md-{i}")
        generation = replace(CMS, generation=f"bench{i}", detect=f"div.margin_bt_{i}, div.main_body_{i}",
                             article_root=root, title="h1")
        PROFILES[name] = SiteProfile(name=name, base_url=f"https://www.{name}.ir", hosts=(f"{name}.ir",),
                                     archive=Archive(start="1390/01/01"), generations=(generation,))


def timed(label: str, fn, pages: list[tuple[str, str]], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for html, url in pages:
            start = time.process_time()
            fn(html, url)
            times.append(time.process_time() - start)
    return times


def report(label: str, times: list[float], floor: float | None = None) -> None:
    mean = statistics.fmean(times)
    p95 = statistics.quantiles(times, n=20)[18]
    ratio = f"  {mean / floor:5.2f}x the bare parse" if floor else ""
    print(f"{label:<28} {len(times):>6} pages  {1 / mean:8.1f} pages/s  "
          f"mean {mean * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=3000, help="pages to process (fixtures repeated)")
    parser.add_argument("--trafilatura-pages", type=int, default=200)
    parser.add_argument("--sites", type=int, default=0, help="register synthetic sites until this many are")
    args = parser.parse_args()
    register_synthetic_sites(args.sites)
    print(f"{len(PROFILES)} sites registered")

    fixtures = article_fixtures()
    pages = [(html, url) for _, html, url, _ in fixtures]
    sizes = [len(html.encode("utf-8")) for html, _ in pages]
    rounds = max(1, args.pages // len(pages))
    print(f"{len(pages)} article fixtures, {statistics.fmean(sizes) / 1024:.0f} KB mean "
          f"({min(sizes) // 1024}-{max(sizes) // 1024} KB), {rounds} rounds")

    def ours(html, url):
        # A fresh Processor per page so the duplicates pipeline never short-cuts a repeat.
        Processor().process(html, url)

    timed("warm-up", ours, pages, 1)
    floor = timed("lxml", lambda html, url: lxml.html.fromstring(html), pages, rounds)
    report("bare lxml parse (floor)", floor)
    mine = timed("newscrawl", ours, pages, rounds)
    report("newscrawl parser+pipelines", mine, statistics.fmean(floor))
    big = [(h, u) for h, u in pages if len(h.encode("utf-8")) >= 200_000]
    if big:
        big_rounds = max(1, args.pages // 4 // len(big))
        report(f"  pages >= 200 KB ({len(big)})", timed("n", ours, big, big_rounds),
               statistics.fmean(timed("l", lambda h, u: lxml.html.fromstring(h), big, big_rounds)))
    # Per site (its profile and generations), on its pages of 200 KB and more: the family's floor.
    for site in sorted({path.parent.parent.name for path, *_ in fixtures}):
        own = [(h, u) for path, h, u, _ in fixtures
               if path.parent.parent.name == site and len(h.encode("utf-8")) >= 200_000]
        if own:
            report(f"  {site} >= 200 KB ({len(own)})", timed(site, ours, own, max(1, args.pages // 8 // len(own))))
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not installed: pip install -e '.[bench]' to compare")
        return
    subset = (pages * (args.trafilatura_pages // len(pages) + 1))[: args.trafilatura_pages]
    theirs = timed("trafilatura", lambda h, u: trafilatura.bare_extraction(h, url=u, with_metadata=True),
                   subset, 1)
    report("trafilatura bare_extraction", theirs, statistics.fmean(floor))
    print(f"newscrawl is {statistics.fmean(theirs) / statistics.fmean(mine):.1f}x faster than trafilatura")


if __name__ == "__main__":
    main()
