"""Date-time text as IranSamaneh pages print it (Jalali, mostly; Gregorian or ISO on a few sites) to
an aware instant in Asia/Tehran.

jdatetime does the calendar (validation, leap years, conversion) and zoneinfo the offset: Iran kept
DST until September 2022, so the offset is +04:30 or +03:30 depending on the instant, never fixed.
This module only recognises which layout the text uses and picks its fields. A text with a date and
no time («۱۴۰۲/۰۸/۱۵») is that day at 00:00 in Tehran, marked `has_time=False`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import jdatetime

from newscrawl.exceptions import DateParseError
from newscrawl.text.normalize import fold, to_ascii_digits

TEHRAN = ZoneInfo("Asia/Tehran")

_MONTHS = {name: number for number, name in enumerate(jdatetime.date.j_months_fa, start=1)}
_MONTHS["امرداد"] = 5  # official variant of مرداد
_WEEKDAYS = "|".join(re.escape(d.replace("\u200c", " ")) for d in jdatetime.date.j_weekdays_fa)
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

# «HH:MM», also with spaces round the colon («۱۲ : ۳۰», seen about 2020).
_TIME = r"(?P<H>\d{1,2}) ?: ?(?P<M>\d{2})(?::(?P<S>\d{2}))?"
_DATES = {
    "dmy": r"(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<Y>\d{4})",
    "ymd": r"(?P<Y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})",
    "dmonthy": rf"(?P<d>\d{{1,2}}) (?P<month>{_MONTH_NAMES}) (?P<Y>\d{{4}})",
    # all-numeric, space-separated, printed with &nbsp; («۱۵&nbsp;۰۸&nbsp;۱۴۰۲ - ۱۲:۳۰», 2023-2024)
    "dmys": r"(?P<d>\d{1,2}) (?P<m>\d{1,2}) (?P<Y>\d{4})",
}
_SEP = r" ?(?:-|،|,|ساعت) ?"
_LAYOUTS = {}
for _name, _date in _DATES.items():
    _LAYOUTS[f"time-{_name}"] = re.compile(rf"(?:(?:{_WEEKDAYS}) )?{_TIME}{_SEP}{_date}")
    _LAYOUTS[f"{_name}-time"] = re.compile(rf"(?:(?:{_WEEKDAYS}) ?،? )?{_date}(?:{_SEP}| ){_TIME}")
# A date without a time (tag pages «۱۳۹۳/۱۲/۲۵»; a meta cut to its date): tried after every timed layout.
for _name, _date in _DATES.items():
    _LAYOUTS[_name] = re.compile(rf"(?:(?:{_WEEKDAYS}) ?،? )?{_date}")

# Gregorian text («2024-03-20 10:00»; a toolbar's Gregorian copy «21 July 2018»; RSS «21 Jul 2018 08:39:54 +0430»):
# English or Persian month names, or numbers year first.
_GREGORIAN_MONTHS = {name.lower(): number for number, names in enumerate((
    ("january", "jan", "ژانویه"), ("february", "feb", "فوریه"), ("march", "mar", "مارس"),
    ("april", "apr", "آوریل"), ("may", "مه", "می"), ("june", "jun", "ژوئن"), ("july", "jul", "ژوئیه", "جولای"),
    ("august", "aug", "اوت", "آگوست"), ("september", "sep", "sept", "سپتامبر"), ("october", "oct", "اکتبر"),
    ("november", "nov", "نوامبر"), ("december", "dec", "دسامبر")), start=1) for name in names}
_GREGORIAN_MONTH_NAMES = "|".join(sorted(map(re.escape, _GREGORIAN_MONTHS), key=len, reverse=True))
_EN_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,? )?"
_OFFSET = r"(?: ?(?P<z>[+-]\d{2}:?\d{2}|z|gmt|utc))?"
_GREGORIAN_DATES = {
    "ymd": r"(?P<Y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})",
    "dmonthy": rf"(?P<d>\d{{1,2}}) (?P<month>{_GREGORIAN_MONTH_NAMES}),? (?P<Y>\d{{4}})",
    "monthdy": rf"(?P<month>{_GREGORIAN_MONTH_NAMES}) (?P<d>\d{{1,2}}),? (?P<Y>\d{{4}})",
}
_GREGORIAN_LAYOUTS = {}
for _name, _date in _GREGORIAN_DATES.items():
    _GREGORIAN_LAYOUTS[f"time-{_name}"] = re.compile(rf"{_TIME}{_SEP}{_date}")
    _GREGORIAN_LAYOUTS[f"{_name}-time"] = re.compile(rf"{_EN_WEEKDAY}{_date}(?:{_SEP}| |t){_TIME}{_OFFSET}")
for _name, _date in _GREGORIAN_DATES.items():
    _GREGORIAN_LAYOUTS[_name] = re.compile(rf"{_EN_WEEKDAY}{_date}")


def jalali_iso(jalali: jdatetime.datetime) -> str:
    """The Jalali wall clock as `jalali.strftime("%Y-%m-%dT%H:%M:%S")` prints it (the very formats
    jdatetime's strftime applies per field), without its regex substitution and a Python call per field."""
    return (f"{jalali.year:d}-{jalali.month:02d}-{jalali.day:02d}"
            f"T{jalali.hour:02d}:{jalali.minute:02d}:{jalali.second:02d}")


@dataclass(frozen=True)
class JalaliTimestamp:
    instant: datetime          # aware, Asia/Tehran
    jalali: jdatetime.datetime  # naive, the wall-clock time as printed
    layout: str                 # which layout matched, e.g. "time-dmy"; "gregorian-…", "iso"
    has_time: bool = True       # False: the text gives the day only (read as 00:00 Tehran)

    @property
    def iso(self) -> str:
        return self.instant.isoformat()

    @property
    def jalali_iso(self) -> str:
        return jalali_iso(self.jalali)


def _fold(text: str) -> str:
    return fold(unicodedata.normalize("NFC", to_ascii_digits(text)))


def parse_jalali(text: str) -> JalaliTimestamp:
    """Parse e.g. `۰۸:۲۸ - ۲۶-۰۹-۱۴۰۱`, `۲۲:۴۰ - ۰۲ فروردين ۱۳۹۹`, `۱۳:۴۸ - ۱۳۹۳/۱۲/۱۵`,
    `۲۱ ارديبهشت ۱۳۹۹ - ۱۸:۵۹`, `۱۵ ۰۸ ۱۴۰۲ - ۱۲:۳۰`, `۱۴۰۲/۰۸/۱۵` (no time). Raises DateParseError
    with the reason."""
    if not text or not text.strip():
        raise DateParseError("empty date text")
    folded = _fold(text)
    for layout, pattern in _LAYOUTS.items():  # noqa: B007 - the matched layout is used below
        match = pattern.fullmatch(folded)
        if match:
            break
    else:
        raise DateParseError(f"unknown date layout: {text.strip()!r}")
    fields = match.groupdict()
    year = int(fields["Y"])
    if not 1300 <= year <= 1500:
        raise DateParseError(f"year {year} is not a Jalali year of the web era: {text.strip()!r}")
    month = _MONTHS[fields["month"]] if fields.get("month") else int(fields["m"])
    has_time = fields.get("H") is not None
    try:
        jalali = jdatetime.datetime(year, month, int(fields["d"]), int(fields.get("H") or 0),
                                    int(fields.get("M") or 0), int(fields.get("S") or 0))
    except ValueError as exc:
        raise DateParseError(f"no such Jalali date-time {text.strip()!r}: {exc}") from None
    instant = jalali.togregorian().replace(tzinfo=TEHRAN)
    return JalaliTimestamp(instant=instant, jalali=jalali, layout=layout, has_time=has_time)


def _from_instant(instant: datetime, layout: str, has_time: bool = True) -> JalaliTimestamp:
    """A stamp of an aware instant: Tehran time, and its Jalali wall clock."""
    local = instant.astimezone(TEHRAN)
    jalali = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
    return JalaliTimestamp(instant=local, jalali=jalali, layout=layout, has_time=has_time)


def parse_gregorian(text: str) -> JalaliTimestamp:
    """Gregorian text: «2024-03-20 10:00», «20 March 2024», «۲۰ مارس ۲۰۲۴ - ۱۰:۰۰», «Sat, 21 Jul 2018
    08:39:54 +0430». Tehran wall-clock time unless the text gives an offset. Raises DateParseError."""
    if not text or not text.strip():
        raise DateParseError("empty date text")
    folded = _fold(text).lower()
    for layout, pattern in _GREGORIAN_LAYOUTS.items():  # noqa: B007 - the matched layout is used below
        match = pattern.fullmatch(folded)
        if match:
            break
    else:
        raise DateParseError(f"unknown Gregorian date layout: {text.strip()!r}")
    fields = match.groupdict()
    year = int(fields["Y"])
    if not 1900 <= year <= 2100:
        raise DateParseError(f"year {year} is not a Gregorian year of the web era: {text.strip()!r}")
    month = _GREGORIAN_MONTHS[fields["month"]] if fields.get("month") else int(fields["m"])
    has_time = fields.get("H") is not None
    try:
        wall = datetime(year, month, int(fields["d"]), int(fields.get("H") or 0), int(fields.get("M") or 0),
                        int(fields.get("S") or 0))
    except ValueError as exc:
        raise DateParseError(f"no such Gregorian date-time {text.strip()!r}: {exc}") from None
    offset = fields.get("z")
    if offset:
        zone = UTC if offset in ("z", "gmt", "utc") else datetime.strptime(
            offset.replace(":", ""), "%z").tzinfo
        instant = wall.replace(tzinfo=zone)
    else:
        instant = wall.replace(tzinfo=TEHRAN)
    return _from_instant(instant, f"gregorian-{layout}", has_time)


def parse_iso(text: str) -> JalaliTimestamp:
    """ISO 8601 («2024-03-20T10:00:00+03:30»); without an offset it is Tehran wall-clock time.
    Raises DateParseError."""
    if not text or not text.strip():
        raise DateParseError("empty date text")
    try:
        value = datetime.fromisoformat(to_ascii_digits(text.strip()))
    except ValueError:
        raise DateParseError(f"not an ISO 8601 date-time: {text.strip()!r}") from None
    has_time = "t" in text.lower() or ":" in text
    return _from_instant(value if value.utcoffset() is not None else value.replace(tzinfo=TEHRAN), "iso", has_time)


_PARSERS = {"jalali": parse_jalali, "gregorian": parse_gregorian, "iso": parse_iso}


def parse_date(text: str, layout: str = "jalali") -> JalaliTimestamp:
    """A date in the page's declared form ("jalali", "gregorian", "iso"), else in the others: their
    year ranges do not overlap (1300-1500, 1900-2100), so a text never reads as the wrong calendar.
    The error is the declared form's."""
    try:
        return _PARSERS[layout](text)
    except DateParseError as first:
        for name, parser in _PARSERS.items():
            if name != layout:
                try:
                    return parser(text)
                except DateParseError:
                    continue
        raise first from None
