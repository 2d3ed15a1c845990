"""Extraction quality against the reviewed fixtures: ours, trafilatura's and readability-lxml's.

    pip install -e '.[bench]'; python bench/quality.py

Per extractor, over the article fixtures: body token F1 (as output, and after our character-level
normalization so that only the choice of text counts), the share of ZWNJ words kept, title and
publish date exactly right, and headlines of other articles leaked into the body. Then every measure
of ours, in the form tests/test_quality_gate.py pins as its floors. The scoring and what the ground
truth is: newscrawl/replay/quality.py."""

from __future__ import annotations

import lxml.html
from common import article_fixtures

from newscrawl.replay.quality import corpus_digest, measures, ours, score


def trafilatura_(html: str, url: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    return {"title": doc.title, "body": doc.text or "", "date": doc.date} if doc else {}


def readability_(html: str, url: str) -> dict:
    from readability import Document

    doc = Document(html)
    summary = lxml.html.fromstring(doc.summary())
    return {"title": doc.short_title(), "body": "\n".join(summary.itertext()), "date": None}


def main() -> None:
    fixtures = article_fixtures()
    n = len(fixtures)
    extractors = {"newscrawl": ours}
    for name, fn, module in (("trafilatura", trafilatura_, "trafilatura"),
                             ("readability-lxml", readability_, "readability")):
        try:
            __import__(module)
            extractors[name] = fn
        except ImportError:
            print(f"{name} not installed: pip install -e '.[bench]' to compare")
    print(f"{n} article fixtures\n")
    header = (f"{'extractor':<18} {'body F1':>8} {'F1 norm':>8} {'ZWNJ kept':>10} {'title':>7} "
              f"{'date':>7} {'leaked headlines':>17}")
    print(header)
    print("-" * len(header))
    ours_measured = {}
    for name, fn in extractors.items():
        t = score(fn, fixtures)
        m = measures(t)
        if fn is ours:
            ours_measured = m
        print(f"{name:<18} {m['body_f1']:8.3f} {m['body_f1_normalized']:8.3f} {m['zwnj_kept']:10.1%} "
              f"{t['title']:>3}/{n:<3} {t['date']:>3}/{n:<3} {t['leaked_headlines']:>5} on {t['leaky_pages']:>2} pages")
    print(f"\nnewscrawl, every measure (tests/test_quality_gate.py pins these; corpus {corpus_digest(fixtures)}):")
    for name, value in ours_measured.items():
        print(f"    {name!r}: {value:.6g},")


if __name__ == "__main__":
    main()
