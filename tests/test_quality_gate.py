"""The extraction quality gate (trafilatura's tests/eval_gate.py, for this project): newscrawl's own
parser and pipelines over the article fixtures must keep every quality measure at its pinned floor.

The scorer is newscrawl/replay/quality.py, shared with bench/quality.py (which also scores trafilatura
and readability-lxml; they are bench extras, not needed here). Its docstring says what the ground
truth is: the reviewed expected files (pinned by CORPUS, so that a refresh cannot move them unseen),
the headlines of other articles each page links to, and htmldate's date for the real yjc page.
"""

from __future__ import annotations

import pytest

from newscrawl.replay import quality
from newscrawl.replay.quality import (
    article_fixtures,
    below_floors,
    corpus_digest,
    f1,
    fixture_key,
    independent_dates,
    measures,
    ours,
    score,
)
from newscrawl.sites.iransamaneh.body import CleanBody

# ---- The pins: one place. ------------------------------------------------------------------------
# Ours as measured when the gate was pinned (28 article fixtures; every measure at its maximum). The
# gate allows float noise only (below_floors' tolerance, 1e-9). `python bench/quality.py` prints the
# current measures in this form and the corpus digest.
# - Extraction got better (a measure above its floor): raise the floor to the new value.
# - A measure dropped: that is a regression to fix. Never lower a floor to let a change through,
#   unless the change is a reviewed trade-off, said in the commit.
# - A fixture was added or its reviewed expected file changed: CORPUS fails. Review the change, then
#   re-pin CORPUS and the floors (`pages` included) from the bench's output, in the same commit.
FLOORS: dict[str, float] = {
    "pages": 37,
    "body_f1": 1.0,
    "body_f1_normalized": 1.0,
    "zwnj_kept": 1.0,
    "date": 1.0,
    "title": 1.0,
    "supertitle": 1.0,
    "lead": 1.0,
    "published_at": 1.0,
    "service": 1.0,
    "category": 1.0,
    "tags": 1.0,
    "lead_image": 1.0,
    "images": 1.0,
    "videos": 1.0,
    "related": 1.0,
    "comments": 1.0,
    "short_url": 1.0,
    "independent_date": 1.0,
}
CEILINGS: dict[str, float] = {"leaked_headlines": 0, "leaky_pages": 0}
CORPUS = "7a4a9495debb443b"
# --------------------------------------------------------------------------------------------------

FIXTURES = article_fixtures()


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    """Ours over every fixture, once: the perturbation tests rescore it against changed inputs."""
    return {html: ours(html, url) for _, html, url, _ in FIXTURES}


def _names(drops: list[str]) -> set[str]:
    return {line.split(":", 1)[0] for line in drops}


def test_extraction_holds_every_pinned_floor(extracted):
    measured = measures(score(lambda html, url: extracted[html], FIXTURES))
    assert below_floors(measured, FLOORS, CEILINGS) == []
    assert set(measured) == set(FLOORS) | set(CEILINGS), "a measure without a floor: pin it"


def test_the_scored_corpus_is_the_pinned_one():
    assert corpus_digest(FIXTURES) == CORPUS, (
        "the fixture pages or their reviewed expected values changed: review the change, then re-pin "
        f"CORPUS = {corpus_digest(FIXTURES)!r} and the floors from `python bench/quality.py`"
    )


def test_every_independent_date_is_scored_on_a_fixture():
    dates = independent_dates()
    assert dates and set(dates) <= {fixture_key(page) for page, *_ in FIXTURES}


def test_the_gate_fails_when_a_date_disagrees_with_the_independent_one(extracted):
    dates = {key: "2001-01-01" for key in independent_dates()}
    measured = measures(score(lambda html, url: extracted[html], FIXTURES, dates))
    assert measured["independent_date"] == 0.0
    assert _names(below_floors(measured, FLOORS, CEILINGS)) == {"independent_date"}


def test_the_gate_fails_when_the_body_loses_its_last_paragraph(monkeypatch):
    monkeypatch.setattr(CleanBody, "text", property(lambda self: "\n\n".join(self.paragraphs[:-1])))
    measured = measures(score(ours, FIXTURES))
    drops = below_floors(measured, FLOORS, CEILINGS)
    assert {"body_f1", "body_f1_normalized", "zwnj_kept"} <= _names(drops)
    assert 0.5 < measured["body_f1"] < 0.9


def test_the_gate_fails_on_a_wrong_title_and_a_wrong_date(extracted):
    """The same extraction scored against expectations that differ in one page's title and another's date."""
    perturbed = []
    for i, (page, html, url, expected) in enumerate(FIXTURES):
        expected = dict(expected)
        if i == 0:
            expected["title"] += " (ویرایش)"
        if i == 1:
            expected["published_at"] = "1999-01-01" + expected["published_at"][10:]
        perturbed.append((page, html, url, expected))
    measured = measures(score(lambda html, url: extracted[html], perturbed))
    drops = below_floors(measured, FLOORS, CEILINGS)
    assert _names(drops) == {"title", "date", "published_at"}
    assert measured["title"] == measured["date"] == measured["published_at"] == 36 / 37


def test_the_gate_fails_when_a_headline_leaks_into_a_body(extracted):
    page, html, url, expected = FIXTURES[0]
    headline = sorted(quality.other_headlines(html, expected["news_id"], expected["site"]))[0]

    def leaky(h, u):
        got = dict(extracted[h])
        if h == html:
            got["body"] += "\n\n" + headline
        return got

    measured = measures(score(leaky, FIXTURES))
    drops = below_floors(measured, FLOORS, CEILINGS)
    assert {"leaked_headlines", "leaky_pages", "body_f1"} <= _names(drops)
    assert measured["leaky_pages"] == 1


def test_the_gate_fails_when_the_tags_go_missing(extracted):
    def no_tags(h, u):
        return {**extracted[h], "tags": []}

    measured = measures(score(no_tags, FIXTURES))
    with_tags = sum(bool(expected["tags"]) for *_, expected in FIXTURES)
    assert measured["tags"] == pytest.approx((len(FIXTURES) - with_tags) / len(FIXTURES))
    assert _names(below_floors(measured, FLOORS, CEILINGS)) == {"tags"}


def test_an_extractor_that_raises_scores_zero_on_every_field():
    def broken(html, url):
        raise RuntimeError("boom")

    measured = measures(score(broken, FIXTURES[:3]))
    assert measured["body_f1"] == measured["date"] == 0.0
    assert "title" not in measured  # a field no page returned is not scored, not counted right
    assert "title" in _names(below_floors(measured, {"title": 1.0}, {}))


def test_f1_is_token_level_over_bags_of_words():
    assert f1(["a", "b", "c", "d"], ["a", "b", "c", "d"]) == 1.0
    assert f1(["a", "b", "c", "d"], ["a", "b"]) == pytest.approx(2 / 3)  # precision 1, recall 1/2
    assert f1(["a", "b"], ["b", "a", "x", "y"]) == pytest.approx(2 / 3)  # order does not count
    assert f1(["a", "a", "b"], ["a", "b", "b"]) == pytest.approx(2 / 3)  # repeats count once each
    assert f1(["a"], []) == f1(["a"], ["z"]) == 0.0


def test_below_floors_allows_float_noise_only():
    assert below_floors({"body_f1": 1.0 - 1e-12}, {"body_f1": 1.0}, {}) == []
    assert below_floors({"body_f1": 0.9999}, {"body_f1": 1.0}, {}) == ["body_f1: 0.9999 < floor 1.0"]
    assert below_floors({}, {"body_f1": 1.0}, {}) == ["body_f1: None < floor 1.0"]
    assert below_floors({"leaked_headlines": 2}, {}, {"leaked_headlines": 0}) == [
        "leaked_headlines: 2 > ceiling 0"]


def test_ours_scores_what_a_crawl_writes():
    page, html, url, expected = next(f for f in FIXTURES if f[0].stem == "337590")
    got = ours(html, url)
    assert got["date"] == "2014-05-23"
    assert {k: got[k] for k in expected} == expected
