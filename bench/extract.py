"""Extraction speed: parser + pipelines over the fixture pages, against the bare lxml parse of the
same pages (the floor) and trafilatura (when installed: `pip install -e '.[bench]'`).

    python bench/extract.py [--rounds 5] [--sites 110] [--trafilatura-rounds 2]

Each round visits every page once and times, on that page, the bare parse, then newscrawl, then
trafilatura (in its rounds), one after the other: all sides see the same pages under the same load,
warm (one untimed round of each first). The ratio of a round is its newscrawl time over its bare
parse time; min and median over the rounds are printed. A last pass with a timer wrapped around each
step (parse, generation detection, article root, toolbar, metadata, each field reader, each pipeline)
gives the breakdown per step.

`--sites N` registers synthetic sites until N are registered before anything is parsed (each with one
generation whose root is a descendant selector, the costliest form the family's profiles use), so the
cost of the registry's size shows: extraction must not grow with it.

Prints numbers; asserts nothing. Times CPU time of this (single-threaded) process, so that other
work on a shared machine counts less."""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

import lxml.html
from common import article_fixtures

from newscrawl.replay import processor as processor_module
from newscrawl.replay.processor import Processor
from newscrawl.sites import PROFILES
from newscrawl.sites.iransamaneh import article
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


_PROCESSOR = Processor()


def ours(html: str, url: str) -> None:
    """One Processor for every page, as a crawl has one set of pipelines; after each page the
    duplicates pipeline forgets the page's id, so that it never short-cuts a repeat. (A fresh
    Processor per page, as before, made the pipelines' set-up a cost of every page: a cost a crawl
    pays once.)"""
    outcome = _PROCESSOR.process(html, url)
    if outcome.article is not None:
        forget(_PROCESSOR, outcome.article.site, outcome.article.news_id)


def forget(processor: Processor, site: str, news_id: object) -> None:
    """Take an article's id out of the duplicates pipeline's ids (newscrawl.run.idbits.IdBits)."""
    for pipeline in processor.pipelines:
        bits = getattr(pipeline, "seen", {}).get(site)
        if bits is not None and type(news_id) is int and news_id > 0:
            bits.discard(news_id)


def bare(html: str, url: str) -> None:
    """The floor: lxml's parse of the page, and the freeing of its tree, all of it. glibc puts the tree's
    small freed blocks in its fast bins and merges them at the next request above the small bins
    (malloc_consolidate, ~0.2 ms for a 200 KB page): without the request here, that merge of the
    floor's tree was done, and timed, inside the next side (newscrawl's first such request), which
    then paid for two trees' merges and the floor for none."""
    lxml.html.fromstring(html)
    bytearray(2000)  # 2 KB: above the small bins and tcache, so the fast bins are merged now


def interleaved(pages: list[tuple[str, str]], sides: dict[str, Callable[[str, str], None]],
                rounds: dict[str, int]) -> dict[str, list[list[float]]]:
    """side -> rounds -> CPU seconds per page; each page timed by every side in turn."""
    for html, url in pages:  # warm-up
        for fn in sides.values():
            fn(html, url)
    times: dict[str, list[list[float]]] = {name: [] for name in sides}
    for index in range(max(rounds.values())):
        active = {name: fn for name, fn in sides.items() if index < rounds[name]}
        for name in active:
            times[name].append([])
        for html, url in pages:
            for name, fn in active.items():
                start = time.process_time()
                fn(html, url)
                times[name][-1].append(time.process_time() - start)
    return times


def report(label: str, times: list[list[float]], floor: list[list[float]] | None = None) -> None:
    means = [statistics.fmean(r) for r in times]
    flat = [t for r in times for t in r]
    p95 = statistics.quantiles(flat, n=20)[18] if len(flat) > 1 else flat[0]
    line = (f"{label:<30} {len(flat):>5} pages  mean min {min(means) * 1000:6.2f} median "
            f"{statistics.median(means) * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms")
    if floor is not None:
        ratios = [sum(mine) / sum(base[:len(mine)]) for mine, base in zip(times, floor, strict=False)]
        line += f"  {min(ratios):5.2f}x (min) {statistics.median(ratios):5.2f}x (median) the bare parse"
    print(line)


class Steps:
    """CPU time per step, by wrapping the parser's and pipelines' functions for one pass."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.undo: list[Callable[[], None]] = []

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name) if not isinstance(owner, dict) else owner[name]
        spent = self.spent

        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - start

        if isinstance(owner, dict):
            owner[name] = timed
            self.undo.append(lambda: owner.__setitem__(name, original))
        else:
            setattr(owner, name, timed)
            self.undo.append(lambda: setattr(owner, name, original))

    def __enter__(self) -> Steps:
        if hasattr(article, "parse_html"):
            self.wrap(article, "parse_html", "parse (lxml)")
        else:  # a tree from before parse_html
            self.wrap(article, "Selector", "parse (lxml via parsel)")
        self.wrap(article, "detect_generation", "generation detection")
        self.wrap(article, "article_root", "article root")
        self.wrap(article, "_toolbar", "toolbar")
        self.wrap(article, "read_metadata", "metadata (JSON-LD, meta)")
        for field in list(article.FIELD_READERS):
            self.wrap(article.FIELD_READERS, field, f"field: {field}")
        self.wrap(processor_module, "parse_page", "parse_page (all of the parser)")
        return self

    def __exit__(self, *exc) -> None:
        for undo in reversed(self.undo):
            undo()


def breakdown(pages: list[tuple[str, str]]) -> None:
    processor = Processor()
    with Steps() as steps:
        for pipeline in processor.pipelines:
            steps.wrap(pipeline, "process_item", f"pipeline: {type(pipeline).__name__}")
        total = 0.0
        for html, url in pages:
            start = time.process_time()
            outcome = processor.process(html, url)
            total += time.process_time() - start
            if outcome.article is not None:  # the duplicates pipeline: never a repeat
                forget(processor, outcome.article.site, outcome.article.news_id)
    print(f"breakdown per step ({len(pages)} pages, one pass, timers around each step; "
          f"{total / len(pages) * 1000:.2f} ms per page in all):")
    for label, spent in sorted(steps.spent.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<36} {spent / len(pages) * 1000:6.3f} ms per page  {spent / total:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="rounds over the fixture pages")
    parser.add_argument("--trafilatura-rounds", type=int, default=2)
    parser.add_argument("--sites", type=int, default=0, help="register synthetic sites until this many are")
    args = parser.parse_args()
    register_synthetic_sites(args.sites)
    print(f"{len(PROFILES)} sites registered")

    fixtures = article_fixtures()
    pages = [(html, url) for _, html, url, _ in fixtures]
    sizes = [len(html.encode("utf-8")) for html, _ in pages]
    print(f"{len(pages)} article fixtures, {statistics.fmean(sizes) / 1024:.0f} KB mean "
          f"({min(sizes) // 1024}-{max(sizes) // 1024} KB), {args.rounds} rounds, interleaved page by page")

    sides: dict[str, Callable[[str, str], None]] = {"lxml": bare, "newscrawl": ours}
    rounds = {"lxml": args.rounds, "newscrawl": args.rounds}
    try:
        import trafilatura
        sides["trafilatura"] = lambda h, u: trafilatura.bare_extraction(h, url=u, with_metadata=True)
        rounds["trafilatura"] = max(1, min(args.trafilatura_rounds, args.rounds))
    except ImportError:
        print("trafilatura not installed: pip install -e '.[bench]' to compare")
    times = interleaved(pages, sides, rounds)
    report("bare lxml parse (floor)", times["lxml"])
    report("newscrawl parser+pipelines", times["newscrawl"], times["lxml"])
    if "trafilatura" in times:
        report("trafilatura bare_extraction", times["trafilatura"], times["lxml"])
        theirs, mine = sum(map(sum, times["trafilatura"])), sum(map(sum, times["newscrawl"][:rounds["trafilatura"]]))
        print(f"newscrawl is {theirs / mine:.1f}x faster than trafilatura (same pages, same rounds)")
    big = [i for i, size in enumerate(sizes) if size >= 200_000]
    if big:
        pick = [[r[i] for i in big] for r in times["newscrawl"]], [[r[i] for i in big] for r in times["lxml"]]
        report(f"  pages >= 200 KB ({len(big)})", *pick)
    for site in sorted({path.parent.parent.name for path, *_ in fixtures}):
        own = [i for i, (path, *_) in enumerate(fixtures) if path.parent.parent.name == site]
        report(f"  {site} ({len(own)})", [[r[i] for i in own] for r in times["newscrawl"]],
               [[r[i] for i in own] for r in times["lxml"]])
    breakdown(pages)


if __name__ == "__main__":
    main()
