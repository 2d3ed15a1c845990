"""Values as the field readers take them from a page: a node's text, a date's instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import jdatetime
from lxml import etree
from lxml.html import HtmlElement

from newscrawl.exceptions import DateParseError
from newscrawl.text import JalaliTimestamp, parse_date, parse_jalali
from newscrawl.text.jalali import TEHRAN, jalali_iso


@dataclass(frozen=True)
class DateValue:
    """A date as a field reader has it: the instant (ISO, Tehran offset), its Jalali wall clock, or
    why the text did not read."""

    iso: str | None = None
    jalali: str | None = None   # Jalali ISO, the wall-clock time as printed
    error: str | None = None
    has_time: bool = True       # False: the text gives the day only

    @property
    def day(self) -> str | None:
        """The Jalali day («1402-08-15»): what a day-only value is compared by."""
        return self.jalali[:10] if self.jalali else None

    @classmethod
    def of(cls, instant: datetime) -> DateValue:
        """An aware instant (JSON-LD datePublished), in Tehran time."""
        local = instant.astimezone(TEHRAN)
        jalali = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
        return cls(iso=local.isoformat(), jalali=jalali_iso(jalali))

    @classmethod
    def stamp(cls, stamp: JalaliTimestamp) -> DateValue:
        return cls(iso=stamp.iso, jalali=stamp.jalali_iso, has_time=stamp.has_time)


def read_date(text: str | None, layout: str = "jalali") -> DateValue:
    """A date text in the page's declared form ("jalali", "gregorian", "iso"; text/jalali.py)."""
    if not text:
        return DateValue()
    try:
        return DateValue.stamp(parse_date(text, layout))
    except DateParseError as exc:
        return DateValue(error=str(exc))


_STRING = etree.XPath("string()", regexp=False, smart_strings=False)


def text_content(node: etree._Element) -> str:
    """All text under a node, as lxml.html's `text_content()` gives it (the same XPath `string()`),
    without that method's call and the regular-expression functions lxml sets up for every XPath."""
    found: str = _STRING(node)
    return found


def node_text(node: HtmlElement | None) -> str | None:
    """All text under a node, whitespace collapsed; None when there is none (or no node)."""
    if node is None:
        return None
    return " ".join(text_content(node).split()) or None


def jalali_date(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(ISO instant, Jalali ISO, error) of a Jalali date text; (None, None, None) for no text."""
    if not text:
        return None, None, None
    try:
        stamp = parse_jalali(text)
    except DateParseError as exc:
        return None, None, str(exc)
    return stamp.iso, stamp.jalali_iso, None
