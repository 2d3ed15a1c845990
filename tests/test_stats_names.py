"""The stats vocabulary has one home, newscrawl/stats.py: no other module of the package writes a
`newscrawl/...` stats key as a string literal (the scan is of the AST, f-strings included). The keys
themselves are a contract (the run report, the heartbeat, dashboards read them), so they are spelled
out here."""

import ast
import re
from pathlib import Path

from newscrawl import stats as stat

PACKAGE = Path(__file__).resolve().parent.parent / "newscrawl"
HOME = PACKAGE / "stats.py"
# A stats key: newscrawl/ and a lowercase word. Not the product token "newscrawl/0.1" of the
# User-Agent or "newscrawl/{__version__}" of the WARC header: those are versions, not keys.
KEY = re.compile(r"^newscrawl/[a-z]")


def literal_keys(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.match(node.value):
            found.append(node.value)
    return found


def test_no_module_but_stats_writes_a_stats_key_as_a_literal():
    found = [f"{path.relative_to(PACKAGE.parent)}: {key!r}"
             for path in sorted(PACKAGE.rglob("*.py")) if path != HOME
             for key in literal_keys(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_scan_sees_what_it_looks_for():
    """Plain strings and the constant part of an f-string are found; versions are not keys."""
    assert literal_keys('s.inc_value("newscrawl/seen")') == ["newscrawl/seen"]
    assert literal_keys('s.inc_value(f"newscrawl/empty/{name}")') == ["newscrawl/empty/"]
    assert literal_keys('UA = "newscrawl/0.1 (+x)"; w = f"newscrawl/{__version__}"') == []
    assert len(literal_keys(HOME.read_text(encoding="utf-8"))) > 40


def test_each_key_has_one_name():
    names = {k: v.prefix if isinstance(v, stat.Family) else v for k, v in vars(stat).items()
             if k.isupper() and isinstance(v, str | stat.Family)}
    assert len(names) > 40 and all(KEY.match(key) for key in names.values())
    assert len(set(names.values())) == len(names)


def test_keys_with_a_varying_part():
    assert stat.OUTCOME("drift") == "newscrawl/outcome/drift"
    assert stat.QUARANTINED_FOR("body") == "newscrawl/quarantined/body"
    assert stat.EMPTY("lead_image") == "newscrawl/empty/lead_image"
    assert stat.FIELD_SOURCE("published_at", "jsonld") == "newscrawl/field_source/published_at/jsonld"
    assert stat.GENERATION("g2019") == "newscrawl/generation/g2019"
    assert stat.WARNINGS("title") == "newscrawl/warnings/title"
    assert stat.FAILED_WITH("TimeoutError") == "newscrawl/failed/TimeoutError"
    assert stat.CHARSET_REPAIRED("utf-8->cp1256") == "newscrawl/charset_repaired/utf-8->cp1256"
    assert stat.QUARANTINED_FOR("body").startswith(stat.QUARANTINED_FOR.prefix)


def test_empty_shares():
    stats = {"newscrawl/seen": 4, "newscrawl/empty/body": 1, "newscrawl/empty/title": 4}
    assert stat.empty_shares(stats, ["body", "title", "lead"]) == {"body": 0.25, "title": 1.0, "lead": 0.0}
    assert stat.empty_shares({}, ["body"]) == {}
