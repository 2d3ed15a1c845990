"""Shared by the benchmarks: the fixture pages as (path, html, url, expected), and the headlines of
other articles each page links to (what must never leak into a body). Both live with the quality
scorer in the package (newscrawl/replay/quality.py), which the CI gate imports too."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscrawl.replay.quality import article_fixtures, other_headlines  # noqa: E402

__all__ = ["article_fixtures", "other_headlines"]
