"""Extraction quality against the reviewed fixtures: ours, trafilatura's and readability-lxml's.

    pip install -e '.[bench]'; python bench/quality.py

Per extractor, over the article fixtures: body token F1 (as output, and after our character-level
normalization so that only the choice of text counts), the share of ZWNJ words kept, title and
publish date exactly right, and headlines of other articles leaked into the body."""

from __future__ import annotations

from collections import Counter

import lxml.html
from common import article_fixtures, other_headlines

from newscrawl.replay.processor import Processor
from newscrawl.text import normalize_paragraphs, normalize_text

ZWNJ = "\u200c"


def ours(html: str, url: str) -> dict:
    article = Processor().process(html, url).article
    return {"title": article.title, "body": article.body, "date": article.published_at[:10]}


def trafilatura_(html: str, url: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    return {"title": doc.title, "body": doc.text or "", "date": doc.date} if doc else {}


def readability_(html: str, url: str) -> dict:
    from readability import Document

    doc = Document(html)
    summary = lxml.html.fromstring(doc.summary())
    return {"title": doc.short_title(), "body": "\n".join(summary.itertext()), "date": None}


def f1(expected: list[str], actual: list[str]) -> float:
    common = sum((Counter(expected) & Counter(actual)).values())
    if not common:
        return 0.0
    precision, recall = common / len(actual), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def score(extract, fixtures) -> dict:
    totals = Counter()
    for _, html, url, expected in fixtures:
        try:
            got = extract(html, url)
        except Exception:  # noqa: BLE001 - a failing extractor scores zero on that page
            got = {}
        body = got.get("body") or ""
        want = expected["body"].split()
        totals["f1"] += f1(want, body.split())
        totals["f1_norm"] += f1(want, (normalize_paragraphs(body) or "").split())
        zwnj_words = [w for w in want if ZWNJ in w]
        totals["zwnj_words"] += len(zwnj_words)
        totals["zwnj_kept"] += sum((Counter(zwnj_words) & Counter(body.split())).values())
        totals["title"] += normalize_text(got.get("title") or "") == expected["title"]
        totals["date"] += got.get("date") == expected["published_at"][:10]
        leaked = [h for h in other_headlines(html, expected["news_id"]) if h in (normalize_text(body) or "")]
        totals["leaked"] += len(leaked)
        totals["leaky_pages"] += bool(leaked)
    return totals


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
    for name, fn in extractors.items():
        t = score(fn, fixtures)
        zwnj = t["zwnj_kept"] / t["zwnj_words"] if t["zwnj_words"] else 1.0
        print(f"{name:<18} {t['f1'] / n:8.3f} {t['f1_norm'] / n:8.3f} {zwnj:10.1%} "
              f"{t['title']:>3}/{n:<3} {t['date']:>3}/{n:<3} {t['leaked']:>5} on {t['leaky_pages']:>2} pages")


if __name__ == "__main__":
    main()
