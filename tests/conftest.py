import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.fixtures import fixture_pages, load_expected

ROOT = Path(__file__).resolve().parent.parent


def article_pages(site: str | None = None) -> list[Path]:
    """Fixture pages whose expected outcome is an article."""
    return [p for p in fixture_pages() if (site is None or p.parent.parent.name == site)
            and "outcome" not in (load_expected(p) or {"outcome": None})]


def rejected_pages(outcome: str) -> list[Path]:
    return [p for p in fixture_pages() if (load_expected(p) or {}).get("outcome") == outcome]


def run(*args: str, cwd: Path = ROOT, timeout: int = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def project_root() -> Path:
    return ROOT
