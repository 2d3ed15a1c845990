"""How the story grouping's parameters were chosen, and its MinHash library.

    python bench/stories.py [--docs 100000] [--datasketch-docs 10000]

1. On the labelled test set (fixtures/stories/articles.json): pairwise precision and recall of the
   stories (connected components of the pairs at least `t` similar) for shingles of k words and
   thresholds t, with the exact Jaccard similarity of the shingle sets; then the build's own
   pipeline (MinHash, LSH, THRESHOLD) at the chosen parameters, and the probability that LSH makes
   a pair of similarity s a candidate.
2. MinHash speed: rensa (the build's) and datasketch (if installed: the `bench` extra) on the same
   shingle hashes of `--docs` synthetic bodies of 300 words, CPU seconds on one core.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

from newscrawl.dataset import stories  # noqa: E402

LABELLED = ROOT / "fixtures" / "stories" / "articles.json"


def components(count: int, edges) -> list[int]:
    parent = list(range(count))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        parent[root(a)] = root(b)
    return [root(i) for i in range(count)]


def precision_recall(labels: list[str], groups: list[int]) -> tuple[float, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(labels)), 2):
        same, grouped = labels[i] == labels[j], groups[i] == groups[j]
        tp += same and grouped
        fp += grouped and not same
        fn += same and not grouped
    return (tp / (tp + fp) if tp + fp else 1.0), tp / (tp + fn)


def grid() -> None:
    articles = json.loads(LABELLED.read_text(encoding="utf-8"))
    labels = [a["story"] for a in articles]
    count = len(articles)
    pairs = sum(a == b for a, b in itertools.combinations(labels, 2))
    print(f"labelled set: {count} articles, {len(set(labels))} stories, {pairs} same-story pairs of "
          f"{count * (count - 1) // 2}")
    words, lengths = stories.word_hashes(pa.array([a["body"] for a in articles]))
    thresholds = [t / 100 for t in range(25, 80, 5)]
    print("exact Jaccard, stories = components; precision/recall per threshold t:")
    print("k  " + " ".join(f"{t:>9}" for t in thresholds))
    for size in range(2, 9):
        shingles, counts = stories.shingle_hashes(words, lengths, size)
        offsets = np.concatenate(([0], np.cumsum(counts)))
        sets = [set(shingles[offsets[i]:offsets[i + 1]].tolist()) for i in range(count)]
        jaccard = {(i, j): len(sets[i] & sets[j]) / len(sets[i] | sets[j])
                   for i, j in itertools.combinations(range(count), 2)}
        cells = []
        for t in thresholds:
            p, r = precision_recall(labels, components(count, [e for e, v in jaccard.items() if v >= t]))
            cells.append(f"{p:.2f}/{r:.2f}")
        same = [v for (i, j), v in jaccard.items() if labels[i] == labels[j]]
        other = [v for (i, j), v in jaccard.items() if labels[i] != labels[j]]
        print(f"{size}  " + " ".join(f"{c:>9}" for c in cells)
              + f"   same-story pairs {min(same):.2f}..{max(same):.2f}, others up to {max(other):.2f}")
    def pipeline(seed: int) -> tuple[float, float]:
        signatures = stories.signatures([a["body"] for a in articles], seed=seed)
        keys = stories.band_matrix([s for s in signatures if s is not None])
        assert all(s is not None for s in signatures)
        edges = []
        for i, j in itertools.combinations(range(count), 2):
            candidate = bool(np.intersect1d(keys[i], keys[j]).size)
            if candidate and stories.similarity(signatures[i], signatures[j]) >= stories.THRESHOLD:  # type: ignore[arg-type]
                edges.append((i, j))
        return precision_recall(labels, components(count, edges))

    p, r = pipeline(stories.SEED)
    print(f"the build's pipeline ({stories.PARAMETERS}): precision {p:.2f}, recall {r:.2f}")
    runs = [pipeline(seed) for seed in range(1, 201)]
    print(f"  with 200 other MinHash seeds: precision {min(x[0] for x in runs):.2f} to {max(x[0] for x in runs):.2f} "
          f"(mean {sum(x[0] for x in runs) / len(runs):.3f}), recall {min(x[1] for x in runs):.2f} to "
          f"{max(x[1] for x in runs):.2f} (mean {sum(x[1] for x in runs) / len(runs):.3f})")
    curve = ", ".join(f"s={s}: {1 - (1 - s ** stories.ROWS) ** stories.BANDS:.3f}" for s in (0.3, 0.4, 0.5, 0.6, 0.7))
    print(f"LSH: probability that a pair of similarity s is a candidate: {curve}")


def speed(docs: int, datasketch_docs: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from dataset import templates  # bench/dataset.py: the fixture articles' vocabulary
    from rensa import RMinHash

    os.sched_setaffinity(0, {0})
    vocabulary = sorted({w for t in templates() for w in t["body"].split()})
    rng = random.Random(1)
    bodies = [" ".join(rng.choices(vocabulary, k=300)) for _ in range(docs)]
    front = rensa = 0.0
    kept = []
    for start in range(0, docs, 2000):
        array = pa.array(bodies[start:start + 2000])
        began = time.process_time()
        shingles, counts = stories.shingle_hashes(*stories.word_hashes(array))
        middle = time.process_time()
        offsets = np.zeros(len(counts) + 1, dtype=np.uint64)
        np.cumsum(counts, out=offsets[1:])
        np.asarray(RMinHash.digest_matrix_from_flat_token_hashes(shingles, offsets, stories.NUM_PERM,
                                                                 stories.SEED).to_rows(), dtype=np.uint32)
        front += middle - began
        rensa += time.process_time() - middle
        if start < datasketch_docs:
            kept.append((shingles, counts))
    print(f"{docs} bodies of 300 words: words and shingles {front:.2f} s CPU, rensa MinHash {rensa:.2f} s CPU "
          f"({docs / rensa:.0f} bodies/s)")
    if not kept:
        return
    try:
        import datasketch
    except ImportError:
        print("datasketch is not installed (pip install -e '.[bench]'): not compared")
        return
    began, done = time.process_time(), 0
    for shingles, counts in kept:
        offsets = np.concatenate(([0], np.cumsum(counts)))
        for i in range(len(counts)):
            sketch = datasketch.MinHash(num_perm=stories.NUM_PERM, seed=stories.SEED,
                                        hashfunc=lambda value: value & 0xFFFFFFFF)
            sketch.update_batch(shingles[offsets[i]:offsets[i + 1]].tolist())
            done += 1
    spent = time.process_time() - began
    print(f"datasketch {datasketch.__version__} MinHash on the same shingles: {done} bodies in {spent:.2f} s CPU "
          f"({done / spent:.0f} bodies/s): rensa is {(docs / rensa) / (done / spent):.0f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--datasketch-docs", type=int, default=10_000)
    args = parser.parse_args()
    grid()
    speed(args.docs, args.datasketch_docs)


if __name__ == "__main__":
    main()
