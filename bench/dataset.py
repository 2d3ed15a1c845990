"""Dataset build speed: 100,000 synthetic articles in ~200 run files (5% of them refreshed versions
of earlier articles), built into Parquet on one core, then one more run and the incremental rebuild.

    python bench/dataset.py [--articles 100000] [--runs 200] [--keep DIR]

Prints seconds, articles/s, peak RSS, output size against the JSON lines, and the incremental
rebuild's time; asserts nothing. Targets: >= 5,000 articles/s, peak RSS < 500 MB, incremental
>= 10x faster than the full build. Articles are the fixture articles (real Persian text) with new
ids and dates, written as JSON lines directly (no crawl)."""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
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

    def article(self, site: str, news_id: int, published: datetime, crawled: datetime, refresh: int = 0) -> dict:
        base = self.templates[news_id % len(self.templates)]
        item = dict(base, site=site, news_id=news_id, url=f"{SITES[site]}/fa/news/{news_id}",
                    published_at=published.isoformat(timespec="seconds"),
                    crawled_at=utc_stamp(crawled))
        words = self.random.choices(self.words, k=len(base["body"].split()))
        item["body"] = "\n\n".join(" ".join(words[i:i + 60]) for i in range(0, len(words), 60))
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


def timed_build(out: Path, runs: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **ONE_CORE_ENV)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "newscrawl", "dataset", "build", "--out", str(out),
                             "--runs", str(runs)], env=env, capture_output=True, text=True, check=True,
                            preexec_fn=lambda: os.sched_setaffinity(0, {0}))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": wall, "cpu": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
            "peak_rss_mb": after.ru_maxrss / 1024, "summary": json.loads(result.stdout)}


def size(path: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in path.rglob(pattern))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="keep the runs and the dataset in this folder")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="newscrawl-bench-dataset-"))
    runs, out = work / "output", work / "dataset"
    shutil.rmtree(runs, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    corpus = Corpus(runs)
    per_run = args.articles // args.runs
    refreshed = per_run * 5 // 100  # 5% of each run's lines are refreshed versions
    for index in range(args.runs):
        corpus.write_run(index, per_run - refreshed if index else per_run, refreshed if index else 0)
    lines = sum(1 for p in runs.rglob("*.jsonl") for _ in p.open("rb"))
    print(f"generated {lines} lines in {args.runs} run files ({corpus.bytes / 2**20:.0f} MB of JSON lines) "
          f"in {time.perf_counter() - started:.1f} s")

    full = timed_build(out, runs)
    rows = full["summary"]["rows"]
    parquet = size(out / "latest", "*.parquet") + size(out / "versions", "*.parquet")  # the published generation
    print(
        f"full build        {full['wall']:7.2f} s  {lines / full['wall']:8.0f} articles/s  "
        f"CPU {full['cpu']:.1f} s  (in-process {full['summary']['seconds']:.2f} s)  "
        f"peak RSS {full['peak_rss_mb']:.0f} MB  "
        f"({rows['latest']} latest, {rows['versions']} versions, "
        f"{full['summary']['partitions_written']} partition files)"
    )
    print(f"output size       {parquet / 2**20:7.1f} MB Parquet vs {corpus.bytes / 2**20:.1f} MB JSON lines "
          f"({parquet / corpus.bytes:.0%})")

    corpus.write_run(args.runs, per_run - refreshed, refreshed)
    incremental = timed_build(out, runs)
    print(f"incremental       {incremental['wall']:7.2f} s  CPU {incremental['cpu']:.1f} s  "
          f"(in-process {incremental['summary']['seconds']:.2f} s)  after one more run of {per_run} lines: "
          f"{incremental['summary']['partitions_written']} partition files rewritten")
    print(f"  faster than the full build: {full['wall'] / incremental['wall']:.1f}x wall, "
          f"{full['cpu'] / incremental['cpu']:.1f}x CPU")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
