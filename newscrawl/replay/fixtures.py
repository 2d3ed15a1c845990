"""Golden fixtures: `fixtures/<site>/news/<id>.html` and the expected outcome `<id>.json` beside it.

The expected file is the exported article without `crawled_at` (it changes every run), or, for a
page that must not become an article, `{"outcome": "quarantined", "reasons": [...]}` or
`{"outcome": "not_an_article", "reason": "..."}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from newscrawl.items import exported
from newscrawl.replay.pages import read_page, url_for_path
from newscrawl.replay.processor import Outcome, Processor

# The source checkout's fixtures folder: the default of the developer commands (fixtures, demo, synth, warc)
# and the tests. An installed package has none, and nothing a crawl runs reads it.
FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"
# Not in an expected file: when a page was read is not what was read from it.
LEFT_OUT_OF_EXPECTED = ("crawled_at",)
# A fixed crawl time, so that a replay is deterministic.
REPLAY_CRAWLED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def fixture_pages(root: Path = FIXTURES_DIR) -> list[Path]:
    return sorted(root.glob("*/news/*.html"), key=lambda p: (p.parent.parent.name, int(p.stem)))


def expected_path(page: Path) -> Path:
    return page.with_suffix(".json")


def outcome_as_expected(outcome: Outcome) -> dict:
    if outcome.article is not None:
        data = exported(outcome.article)
        for name in LEFT_OUT_OF_EXPECTED:
            data.pop(name)
        return data
    if outcome.quarantined is not None:
        return {"outcome": "quarantined", "reasons": outcome.quarantined["reasons"]}
    return {"outcome": "not_an_article", "reason": outcome.not_an_article or outcome.dropped}


def replay(page: Path) -> dict:
    """Run one fixture page through the parser and pipelines, as the expected file records it."""
    outcome = Processor().process(read_page(page), url_for_path(page), crawled_at=REPLAY_CRAWLED_AT)
    return outcome_as_expected(outcome)


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load_expected(page: Path) -> dict | None:
    path = expected_path(page)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def replay_all(root: Path = FIXTURES_DIR) -> Iterator[tuple[Path, dict, dict | None]]:
    for page in fixture_pages(root):
        yield page, replay(page), load_expected(page)
