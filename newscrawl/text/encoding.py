"""Which decoding a Persian page really is in, when the server lied about it.

Scrapy decodes with the charset of the Content-Type header first. A Persian page served as UTF-8 but
declared ISO-8859-1 then reads as mojibake (`Ø³Ù„Ø§Ù…`), and a windows-1256 page declared UTF-8
reads as U+FFFD. `better_encoding` says when the declared decoding shows that and another decoding of
the same bytes gives clean Arabic-script text. Pure: bytes and text in, an encoding name out.
"""

from __future__ import annotations

import re

_MOJIBAKE = re.compile("[ØÙÚÛ][\u0080-\u00ff]")
_ARABIC_LETTERS = re.compile("[\u0621-\u064a\u067e-\u06cc]")
CANDIDATES = ("utf-8", "cp1256")  # what the family's pages are really in


def _clean_arabic(body: bytes, encoding: str) -> bool:
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return "\ufffd" not in text and len(_ARABIC_LETTERS.findall(text[:200_000])) > 50


def better_encoding(body: bytes, declared: str, text: str) -> str | None:
    """The encoding to read `body` with instead of `declared` (which gave `text`), or None when the
    declared one reads it cleanly or no candidate reads it better. Costs a scan of `text` for the
    replacement character and mojibake; decodes again only a page that shows one."""
    suspicious = "\ufffd" in text or (("Ø" in text or "Ù" in text) and _MOJIBAKE.search(text))
    if not suspicious:
        return None
    for encoding in CANDIDATES:
        if encoding != declared and _clean_arabic(body, encoding):
            return encoding
    return None
