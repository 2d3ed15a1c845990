"""Dataset build speed: 100,000 synthetic articles in ~200 run files (5% of them refreshed versions
of earlier articles), built into Parquet on one core, then one more run and the incremental rebuild.

    python bench/dataset.py [--articles 100000] [--runs 200] [--repeat 3] [--syndicated 0.1] [--keep DIR]

Prints seconds, articles/s, peak RSS, output size against the JSON lines, and the incremental
rebuild's time; asserts nothing. Targets: >= 5,000 articles/s, peak RSS < 500 MB, incremental
>= 10x faster than the full build (CPU time). Articles are the fixture articles (real Persian text)
with new ids and dates, written as JSON lines directly (no crawl).

`--repeat` rounds, each with story grouping off (`--no-stories`) then on: a full build, then one more
run put in and the incremental rebuild (the run is taken out again for the next round's full build),
so that the machine's load weighs on all alike. The ratio full/incremental is of the minimum CPU
times (user + sys of the build's process) over the rounds, per grouping. A share
`--syndicated` of the new articles are another site's recent article republished (an agency lead,
a dropped paragraph, a sign-off), so that the grouping has stories to find."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.items import EXPORT_FIELDS, utc_stamp  # noqa: E402
from newscrawl.replay.fixtures import fixture_pages, load_expected  # noqa: E402

TEHRAN = timezone(timedelta(hours=3, minutes=30))  # synthetic dates only: no DST needed for a benchmark
RECENT = 2000
SITES = {"asriran": "https://www.asriran.com", "yjc": "https://www.yjc.ir"}
# one core: Arrow's thread pools sized from these, and the process pinned to CPU 0
ONE_CORE_ENV = {"OMP_NUM_THREADS": "1", "ARROW_NUM_THREADS": "1"}


def templates() -> list[dict]:
    out = []
    for page in fixture_pages():
        expected = load_expected(page)
        if expected and "outcome" not in expected:
            out.append(expected)
    return out


class Corpus:
    """Writes run files of synthetic articles: ids ascending per site, published over two years."""

    def __init__(self, root: Path, seed: int = 1):
        self.root = root
        self.random = random.Random(seed)
        self.templates = templates()
        # Bodies of random words of the fixtures' vocabulary: repeated template text would compress
        # far better than real articles do.
        self.words = sorted({w for t in self.templates for w in t["body"].split()})
        self.next_id = {site: 1_000_000 for site in SITES}
        self.written: list[dict] = []  # (site, news_id, published) of every first version
        self.start = datetime(2024, 1, 1, tzinfo=TEHRAN)
        self.bytes = 0
        self.syndicated = 0.0
        self.bodies: dict[str, list[str]] = {site: [] for site in SITES}  # recent bodies, to republish

    def article(self, site: str, news_id: int, published: datetime, crawled: datetime, refresh: int = 0) -> dict:
        base = self.templates[news_id % len(self.templates)]
        item = dict(base, site=site, news_id=news_id, url=f"{SITES[site]}/fa/news/{news_id}",
                    published_at=published.isoformat(timespec="seconds"),
                    crawled_at=utc_stamp(crawled))
        words = self.random.choices(self.words, k=len(base["body"].split()))
        item["body"] = "\n\n".join(" ".join(words[i:i + 60]) for i in range(0, len(words), 60))
        others = [s for s in SITES if s != site and self.bodies[s]]
        if not refresh and others and self.random.random() < self.syndicated:
            paragraphs = self.random.choice(self.bodies[others[0]]).split("\n\n")
            if len(paragraphs) > 2:
                del paragraphs[self.random.randrange(len(paragraphs))]
            item["body"] = "\n\n".join(["به گزارش ایسنا، " + paragraphs[0], *paragraphs[1:], "انتهای پیام/"])
        elif not refresh:
            self.bodies[site] = (self.bodies[site] + [item["body"]])[-50:]
        # the blocks of that body (and the template's images), as a crawl writes them
        item["blocks"] = [{"type": "paragraph", "text": text, "url": None, "caption": None}
                          for text in item["body"].split("\n\n")] + [b for b in base.get("blocks", [])
                                                                     if b["type"] in ("image", "video")]
        if refresh:
            item["title"] = f"{base['title']} (ویرایش {refresh})"
        return {name: item.get(name) for name in EXPORT_FIELDS}

    def write_run(self, index: int, new: int, refreshes: int) -> Path:
        crawled = self.start + timedelta(days=730 * index / 200, minutes=index)
        site = list(SITES)[index % len(SITES)]
        lines = []
        for _ in range(new):
            self.next_id[site] += self.random.randint(1, 2)
            published = crawled - timedelta(hours=self.random.uniform(0, 48))
            self.written.append({"site": site, "news_id": self.next_id[site], "published": published})
            lines.append(self.article(site, self.next_id[site], published, crawled))
        for _ in range(min(refreshes, len(self.written))):
            old = self.random.choice(self.written[-RECENT:])  # a refresh run re-reads recent articles
            lines.append(self.article(old["site"], old["news_id"], old["published"], crawled, refresh=index))
        run_id = f"{crawled.astimezone(UTC):%Y%m%dT%H%M%SZ}-archive-{index:06x}"
        path = self.root / site / f"{crawled.astimezone(UTC):%Y-%m-%d}" / f"{run_id}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
        path.write_bytes(data)
        self.bytes += len(data)
        return path


def timed_build(out: Path, runs: Path, stories: bool = True) -> dict:
    """One build in a child process pinned to CPU 0; its wall and CPU time and its own peak RSS
    (os.wait4's rusage: RUSAGE_CHILDREN would report the largest child so far)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **ONE_CORE_ENV)
    # Bytecode cached as an installed copy has it: with PYTHONDONTWRITEBYTECODE set (as on the shared
    # machine) every build compiled the project's modules from source, 0.06 s of CPU no user pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "newscrawl", "dataset", "build", "--out", str(out), "--runs", str(runs)]
    started = time.perf_counter()
    child = subprocess.Popen(command + ([] if stories else ["--no-stories"]), env=env, stdout=subprocess.PIPE,
                             text=True, preexec_fn=lambda: os.sched_setaffinity(0, {0}))
    assert child.stdout is not None
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"dataset build exited with {child.returncode}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
            "summary": json.loads(stdout)}


def size(path: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in path.rglob(pattern))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of a full build and an incremental rebuild, grouping off then on")
    parser.add_argument("--syndicated", type=float, default=0.1, help="share of articles republished across sites")
    parser.add_argument("--keep", type=Path, help="keep the runs and the dataset in this folder")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="newscrawl-bench-dataset-"))
    runs, out = work / "output", work / "dataset"
    shutil.rmtree(runs, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(work / "aside", ignore_errors=True)
    started = time.perf_counter()
    corpus = Corpus(runs)
    corpus.syndicated = args.syndicated
    per_run = args.articles // args.runs
    refreshed = per_run * 5 // 100  # 5% of each run's lines are refreshed versions
    for index in range(args.runs):
        corpus.write_run(index, per_run - refreshed if index else per_run, refreshed if index else 0)
    lines = sum(1 for p in runs.rglob("*.jsonl") for _ in p.open("rb"))
    print(f"generated {lines} lines in {args.runs} run files ({corpus.bytes / 2**20:.0f} MB of JSON lines) "
          f"in {time.perf_counter() - started:.1f} s")

    # One more run, written now and kept aside: each round puts it in after the full build and takes
    # it out again, so that every incremental rebuild starts from the same full build.
    extra = corpus.write_run(args.runs, per_run - refreshed, refreshed)
    aside = work / "aside" / extra.relative_to(runs)
    aside.parent.mkdir(parents=True, exist_ok=True)
    os.replace(extra, aside)

    results: dict[bool, list[dict]] = {False: [], True: []}
    rebuilds: dict[bool, list[dict]] = {False: [], True: []}
    parquet = 0
    for _ in range(args.repeat):
        for stories in (False, True):  # interleaved: the machine's load weighs on both alike
            target = out if stories else work / "dataset-no-stories"
            shutil.rmtree(target, ignore_errors=True)
            full = timed_build(target, runs, stories)
            results[stories].append(full)
            rows = full["summary"]["rows"]
            print(
                f"full build, stories {'on ' if stories else 'off'} {full['wall']:7.2f} s  "
                f"{lines / full['wall']:8.0f} articles/s  CPU {full['cpu']:.1f} s "
                f"({lines / full['cpu']:.0f} articles per CPU second)  peak RSS {full['peak_rss_mb']:.0f} MB  "
                f"({rows['latest']} latest, {rows['versions']} versions, "
                f"{full['summary']['partitions_written']} partition files, stories: {full['summary'].get('stories')})"
            )
            if stories:  # the published generation's size, before the rebuild
                parquet = size(out / "latest", "*.parquet") + size(out / "versions", "*.parquet")
            os.replace(aside, extra)
            try:
                incremental = timed_build(target, runs, stories)
            finally:
                os.replace(extra, aside)
            rebuilds[stories].append(incremental)
            print(f"incremental, stories {'on ' if stories else 'off'} {incremental['wall']:7.2f} s  "
                  f"CPU {incremental['cpu']:.2f} s  (in-process {incremental['summary']['seconds']:.2f} s)  "
                  f"peak RSS {incremental['peak_rss_mb']:.0f} MB  after one more run of {per_run} lines: "
                  f"{incremental['summary']['partitions_written']} partition files rewritten; this round's "
                  f"full/incremental CPU {full['cpu'] / incremental['cpu']:.1f}x")
    for stories in (False, True):
        best = min(results[stories], key=lambda r: r["cpu"])
        print(f"stories {'on ' if stories else 'off'}: best of {args.repeat}: {best['wall']:.2f} s wall, "
              f"{best['cpu']:.2f} s CPU, {lines / best['cpu']:.0f} articles per CPU second, "
              f"peak RSS {max(r['peak_rss_mb'] for r in results[stories]):.0f} MB (max)")
    print(f"output size       {parquet / 2**20:7.1f} MB Parquet vs {corpus.bytes / 2**20:.1f} MB JSON lines "
          f"({parquet / corpus.bytes:.0%})")
    for stories in (False, True):
        full_cpu = min(r["cpu"] for r in results[stories])
        rebuild_cpu = min(r["cpu"] for r in rebuilds[stories])
        full_wall = min(r["wall"] for r in results[stories])
        rebuild_wall = min(r["wall"] for r in rebuilds[stories])
        print(f"full/incremental, stories {'on ' if stories else 'off'}: {full_cpu / rebuild_cpu:.1f}x CPU "
              f"(min of {args.repeat}: {full_cpu:.2f} s / {rebuild_cpu:.2f} s), {full_wall / rebuild_wall:.1f}x wall "
              f"({full_wall:.2f} s / {rebuild_wall:.2f} s); target >= 10x")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
