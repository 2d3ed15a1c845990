"""Character-level normalization of Persian text: lossless in meaning, idempotent.

Only character-encoding choices change (Arabic ي/ك become Persian ی/ک, presentation forms become
letters, invisible marks go, odd spaces become spaces, ZWNJ is tidied). Digits, punctuation, quotes,
URLs and numbers are never touched: full normalizers (hazm, parsivar) rewrite punctuation spacing and
break `52.300`, `10:30`, `F-35` and URLs, so they are not used on stored text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import overload

ZWNJ = "\u200c"
ZWJ = "\u200d"

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Arabic presentation forms (ﻧ, ﻻ, ﷲ …) -> their letters. Only these blocks: NFKC on the whole
    # text would also rewrite ½, superscripts and full-width letters.
    for block in (range(0xFB50, 0xFE00), range(0xFE70, 0xFEFF)):
        for cp in block:
            folded = unicodedata.normalize("NFKC", chr(cp))
            if folded != chr(cp):
                table[cp] = folded
    table.update({
        0x064A: "ی", 0x0649: "ی",                 # Arabic yeh, alef maksura
        0x0643: "ک",                               # Arabic kaf
        0x06D5: "ه", 0x06BE: "ه", 0x06C1: "ه",   # ae, heh doachashmee, heh goal
    })
    for arabic, persian in zip(_ARABIC_INDIC_DIGITS, _PERSIAN_DIGITS, strict=True):
        table[ord(arabic)] = persian
    # Invisible and bidi marks, kashida: display-only, never meaning.
    for cp in (0x200B, 0xFEFF, 0x00AD, 0x200E, 0x200F, 0x061C, 0x0640,
               *range(0x202A, 0x202F), *range(0x2066, 0x206A)):
        table[cp] = None
    # Odd spaces -> plain space (XPath normalize-space() leaves NBSP alone).
    for cp in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000):
        table[cp] = " "
    return table


_TABLE = _build_table()
# Most text needs no mapping at all; finding that out with one regex scan is far cheaper than
# translating every character through the table.
_NEEDS_TABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TABLE)) + "]")
_ZWNJ_RUN = re.compile(ZWNJ + "+")
_ZWJ_NEAR_ARABIC = re.compile(
    f"(?<=[\u0600-\u06ff\u0750-\u077f]){ZWJ}|{ZWJ}(?=[\u0600-\u06ff\u0750-\u077f])"
)
_TO_ASCII_DIGITS = str.maketrans(_PERSIAN_DIGITS + _ARABIC_INDIC_DIGITS, "0123456789" * 2)
# The fold for matching page text (labels, headings, rules, sign-offs, dates), never for stored text:
# the letters Arabic and Persian spell differently (ي ى ك) read as the Persian ones (ی ی ک), NBSP and
# ZWNJ read as spaces, the direction marks LRM/RLM as nothing.
FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", ZWNJ: " ", "\u00a0": " ", "\u200e": None, "\u200f": None})


def _joins(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch) == "Mn"


def _tidy_zwnj(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if 0 < start and end < len(text) and _joins(text[start - 1]) and text[end].isalpha():
        return ZWNJ
    return ""


def _char_class(test: Callable[[str], bool]) -> str:
    """A regex class of the Latin and Arabic-script characters that pass `test` (a subset of them all)."""
    chars = [chr(cp) for block in (range(0x41, 0x250), range(0x600, 0x780), range(0xFB50, 0xFE00),
                                   range(0xFE70, 0xFEFF)) for cp in block if test(chr(cp))]
    return "[" + "".join(re.escape(ch) for ch in chars) + "]"


# A ZWNJ _tidy_zwnj may change: in a run, or without a letter it joins on either side (as far as these
# classes tell: a character outside them is a suspect too, and _tidy_zwnj decides). Text with none (the
# usual Persian «می‌شود») is left as it is, without calling _tidy_zwnj once per ZWNJ.
# Every branch starts with the ZWNJ, so that the search skips to the next one.
_ZWNJ_SUSPECT = re.compile(f"{ZWNJ}(?:{ZWNJ}|(?<!{_char_class(_joins)}{ZWNJ})|(?!{_char_class(str.isalpha)}))")


@overload
def normalize_text(text: str) -> str: ...
@overload
def normalize_text(text: None) -> None: ...
@overload
def normalize_text(text: str | None) -> str | None: ...


def normalize_text(text: str | None) -> str | None:
    """Normalize one line of text (title, lead, a paragraph, a caption, a tag). None stays None."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text)
    if _NEEDS_TABLE.search(text):
        text = text.translate(_TABLE)
    if ZWJ in text:
        text = _ZWJ_NEAR_ARABIC.sub("", text)
    text = " ".join(text.split())
    if ZWNJ in text and _ZWNJ_SUSPECT.search(text):
        text = " ".join(_ZWNJ_RUN.sub(_tidy_zwnj, text).split())
    return text


@overload
def normalize_paragraphs(text: str, separator: str = ..., line: Callable[[str], str] = ...) -> str: ...
@overload
def normalize_paragraphs(text: None, separator: str = ..., line: Callable[[str], str] = ...) -> None: ...
@overload
def normalize_paragraphs(text: str | None, separator: str = ...,
                         line: Callable[[str], str] = ...) -> str | None: ...


def normalize_paragraphs(text: str | None, separator: str = "\n\n",
                         line: Callable[[str], str] = normalize_text) -> str | None:
    """Normalize a body: each paragraph on its own, empty paragraphs dropped, order kept. `line`: how
    a paragraph is normalized (normalize_text, or one that remembers its results)."""
    if text is None:
        return None
    paragraphs = (line(p) for p in text.split(separator))
    return separator.join(p for p in paragraphs if p)


# Whether FOLD changes anything: one regex search is cheaper than translating every character.
_FOLDED = re.compile("[" + "".join(map(chr, FOLD)) + "]")


def fold(text: str) -> str:
    """`text` as matching sees it: FOLD applied, runs of whitespace one space, no space at the ends."""
    return " ".join((text.translate(FOLD) if _FOLDED.search(text) else text).split())


def to_ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII: for ids and dates, never for stored text."""
    return text.translate(_TO_ASCII_DIGITS)
