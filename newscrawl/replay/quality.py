"""Extraction quality, scored over the article fixtures: what `bench/quality.py` prints for every
extractor (ours, trafilatura, readability-lxml) and what `tests/test_quality_gate.py` holds ours to.

Ground truth, and how independent each part is:
- **The reviewed expected files** (`fixtures/<site>/news/<id>.json`) for the body, the title and the
  other fields. They are the parser's output at the time they were reviewed, so our extractor scores
  1.0 on them by construction while they are in sync; what makes them a ground truth is that they are
  frozen and reviewed by hand (the first twenty against an intent the page authors wrote beforehand,
  commit d2d33d9). `corpus_digest` pins them, pages included, so that a refresh cannot move the
  ground truth under the gate unnoticed.
- **The headline-leak oracle**, independent of the parser: the headlines of other articles that the
  page itself links to (sidebars, ticker, related boxes), none of which may appear in a body.
- **Dates annotated by a third party** for the fixture pages that are real pages:
  `fixtures/independent-dates.json` (today the one real article page, with htmldate's hand annotation
  from its evaluation set).

Body scores are token-level F1 over whitespace tokens (bag of words: order does not count), as output
and after our character-level normalization (so that only the choice of text counts).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from parsel import Selector

from newscrawl.items import exported
from newscrawl.replay.fixtures import FIXTURES_DIR, fixture_pages, load_expected
from newscrawl.replay.pages import read_page, url_for_path
from newscrawl.replay.processor import Processor
from newscrawl.sites import cms_for
from newscrawl.text import normalize_paragraphs, normalize_text

ZWNJ = "\u200c"
# Fields scored by exact match (share of pages right), besides the body and the publish day.
EXACT_FIELDS = ("title", "supertitle", "lead", "published_at", "service", "category", "tags", "lead_image",
                "images", "videos", "related", "comments", "short_url")

Fixture = tuple[Path, str, str | None, dict]  # (page, html, url, expected item)
Extractor = Callable[[str, str | None], dict]


def article_fixtures(root: Path = FIXTURES_DIR) -> list[Fixture]:
    """(path, html, url, expected item) of every fixture whose expected outcome is an article."""
    out = []
    for page in fixture_pages(root):
        expected = load_expected(page)
        if expected and "outcome" not in expected:
            out.append((page, read_page(page), url_for_path(page), expected))
    return out


def independent_dates(root: Path = FIXTURES_DIR) -> dict[str, str]:
    """`<site>/news/<id>.html` -> its publish day as someone other than this project annotated it."""
    path = root / "independent-dates.json"
    records = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    return {r["page"]: r["date"] for r in records}


def fixture_key(page: Path) -> str:
    """A fixture page's path under the fixtures folder: `<site>/news/<id>.html`."""
    return "/".join(page.parts[-3:])


def other_headlines(html: str, news_id: int, site: str) -> set[str]:
    """Headlines (20+ characters) of the other articles the page links to: what must never leak into a body."""
    news_id_from_url = cms_for(site).news_id_from_url
    links = Selector(text=html).css("a[href]")
    return {
        text for a in links
        if news_id_from_url(a.attrib["href"]) not in (None, news_id)
        and len(text := normalize_text(a.xpath("string()").get()) or "") >= 20
    }


def f1(expected: list[str], actual: list[str]) -> float:
    """Token-level F1 of two bags of tokens."""
    common = sum((Counter(expected) & Counter(actual)).values())
    if not common:
        return 0.0
    precision, recall = common / len(actual), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def ours(html: str, url: str | None) -> dict:
    """newscrawl's parser and item pipelines, as a crawl runs them: every exported field, plus the day."""
    article = Processor().process(html, url).article
    if article is None:
        return {}
    got = exported(article)
    got["date"] = (article.published_at or "")[:10] or None
    return got


def score(extract: Extractor, fixtures: Iterable[Fixture],
          dates: dict[str, str] | None = None) -> defaultdict[str, float]:
    """Totals over the fixtures (see `measures`). An extractor that raises on a page scores zero there;
    a field it never returns is not scored at all. `dates`: the independent dates (default: the file's)."""
    dates = independent_dates() if dates is None else dates
    totals: defaultdict[str, float] = defaultdict(float)
    for page, html, url, expected in fixtures:
        try:
            got = extract(html, url)
        except Exception:  # noqa: BLE001 - a failing extractor scores zero on that page
            got = {}
        totals["pages"] += 1
        body = got.get("body") or ""
        want = expected["body"].split()
        totals["body_f1"] += f1(want, body.split())
        totals["body_f1_normalized"] += f1(want, (normalize_paragraphs(body) or "").split())
        zwnj_words = [w for w in want if ZWNJ in w]
        totals["zwnj_words"] += len(zwnj_words)
        totals["zwnj_kept"] += sum((Counter(zwnj_words) & Counter(body.split())).values())
        totals["date"] += got.get("date") == expected["published_at"][:10]
        for name in EXACT_FIELDS:
            if name in got:
                totals[f"{name}:scored"] += 1
            value = normalize_text(got.get(name) or "") if name == "title" else got.get(name)
            totals[name] += name in got and value == expected[name]
        known = dates.get(fixture_key(page))
        if known:
            totals["independent_dates"] += 1
            totals["independent_date"] += got.get("date") == known
        leaked = [h for h in other_headlines(html, expected["news_id"], expected["site"])
                  if h in (normalize_text(body) or "")]
        totals["leaked_headlines"] += len(leaked)
        totals["leaky_pages"] += bool(leaked)
    return totals


def measures(totals: defaultdict[str, float]) -> dict[str, float]:
    """Shares in [0, 1] (higher is better) and leak counts (lower is better), by name."""
    n = totals["pages"] or 1
    out = {
        "pages": totals["pages"],
        "body_f1": totals["body_f1"] / n,
        "body_f1_normalized": totals["body_f1_normalized"] / n,
        "zwnj_kept": totals["zwnj_kept"] / totals["zwnj_words"] if totals["zwnj_words"] else 1.0,
        "date": totals["date"] / n,
    }
    for name in EXACT_FIELDS:
        if totals[f"{name}:scored"]:
            out[name] = totals[name] / n
    if totals["independent_dates"]:
        out["independent_date"] = totals["independent_date"] / totals["independent_dates"]
    out["leaked_headlines"] = totals["leaked_headlines"]
    out["leaky_pages"] = totals["leaky_pages"]
    return out


def below_floors(measured: dict[str, float], floors: dict[str, float], ceilings: dict[str, float],
                 tolerance: float = 1e-9) -> list[str]:
    """One line per measure that fell below its floor (or rose above its ceiling); [] when all hold.
    `tolerance` absorbs float noise in a mean of ratios, nothing more."""
    drops = []
    for name, floor in floors.items():
        value = measured.get(name)
        if value is None or value < floor - tolerance:
            drops.append(f"{name}: {value if value is None else round(value, 4)} < floor {floor}")
    for name, ceiling in ceilings.items():
        value = measured.get(name)
        if value is None or value > ceiling + tolerance:
            drops.append(f"{name}: {value} > ceiling {ceiling}")
    return drops


def corpus_digest(fixtures: Iterable[Fixture]) -> str:
    """A short digest of the scored corpus: every page's HTML and its expected body and scored fields.
    It changes when a fixture is added, removed, or its page or expected values are edited. Fields
    that are not scored are not in it: `blocks` is derived from the body, images and videos, and
    tests/test_blocks.py holds it to them on every page."""
    digest = hashlib.sha256()
    for _, html, _, expected in sorted(fixtures, key=lambda f: (f[3]["site"], f[3]["news_id"])):
        scored = {name: expected[name] for name in ("site", "news_id", "body", *EXACT_FIELDS)}
        digest.update(hashlib.sha256(html.encode("utf-8")).digest())
        digest.update(json.dumps(scored, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]
