"""Values as the field readers take them from a page: a node's text, a Jalali date's instant."""

from __future__ import annotations

from lxml.html import HtmlElement

from newscrawl.exceptions import DateParseError
from newscrawl.text import parse_jalali


def node_text(node: HtmlElement | None) -> str | None:
    """All text under a node, whitespace collapsed; None when there is none (or no node)."""
    if node is None:
        return None
    return " ".join(node.text_content().split()) or None


def jalali_date(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(ISO instant, Jalali ISO, error) of a Jalali date text; (None, None, None) for no text."""
    if not text:
        return None, None, None
    try:
        stamp = parse_jalali(text)
    except DateParseError as exc:
        return None, None, str(exc)
    return stamp.iso, stamp.jalali_iso, None
