"""Shared by the benchmarks: the fixture pages as (path, html, url), and the headlines of other
articles each page links to (what must never leak into a body)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsel import Selector  # noqa: E402

from newscrawl.replay.fixtures import fixture_pages, load_expected  # noqa: E402
from newscrawl.replay.pages import read_page, url_for_path  # noqa: E402
from newscrawl.sites.iransamaneh.urls import news_id_from_url  # noqa: E402
from newscrawl.text import normalize_text  # noqa: E402


def article_fixtures() -> list[tuple[Path, str, str, dict]]:
    """(path, html, url, expected item) of every fixture whose expected outcome is an article."""
    out = []
    for page in fixture_pages():
        expected = load_expected(page)
        if expected and "outcome" not in expected:
            out.append((page, read_page(page), url_for_path(page), expected))
    return out


def other_headlines(html: str, news_id: int) -> set[str]:
    links = Selector(text=html).css("a[href]")
    return {
        text for a in links
        if news_id_from_url(a.attrib["href"]) not in (None, news_id)
        and len(text := normalize_text(a.xpath("string()").get()) or "") >= 20
    }
