"""Character-level Persian text policy and Jalali dates (shared/reference/persian-text.md)."""

from newscrawl.exceptions import DateParseError
from newscrawl.text.jalali import JalaliTimestamp, parse_date, parse_gregorian, parse_iso, parse_jalali
from newscrawl.text.normalize import fold, normalize_paragraphs, normalize_text, to_ascii_digits

__all__ = [
    "DateParseError",
    "JalaliTimestamp",
    "fold",
    "normalize_paragraphs",
    "normalize_text",
    "parse_date",
    "parse_gregorian",
    "parse_iso",
    "parse_jalali",
    "to_ascii_digits",
]
