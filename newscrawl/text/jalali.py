"""Jalali date-time text (as IranSamaneh pages print it) to an aware instant in Asia/Tehran.

jdatetime does the calendar (validation, leap years, conversion) and zoneinfo the offset: Iran kept
DST until September 2022, so the offset is +04:30 or +03:30 depending on the instant, never fixed.
This module only recognises which layout the text uses and picks its fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
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
}
_SEP = r" ?(?:-|،|,|ساعت) ?"
_LAYOUTS = {}
for _name, _date in _DATES.items():
    _LAYOUTS[f"time-{_name}"] = re.compile(rf"(?:(?:{_WEEKDAYS}) )?{_TIME}{_SEP}{_date}")
    _LAYOUTS[f"{_name}-time"] = re.compile(rf"(?:(?:{_WEEKDAYS}) ?،? )?{_date}(?:{_SEP}| ){_TIME}")


@dataclass(frozen=True)
class JalaliTimestamp:
    instant: datetime          # aware, Asia/Tehran
    jalali: jdatetime.datetime  # naive, the wall-clock time as printed
    layout: str                 # which layout matched, e.g. "time-dmy"

    @property
    def iso(self) -> str:
        return self.instant.isoformat()

    @property
    def jalali_iso(self) -> str:
        text: str = self.jalali.strftime("%Y-%m-%dT%H:%M:%S")  # jdatetime has no types
        return text


def _fold(text: str) -> str:
    return fold(unicodedata.normalize("NFC", to_ascii_digits(text)))


def parse_jalali(text: str) -> JalaliTimestamp:
    """Parse e.g. `۰۸:۲۸ - ۲۶-۰۹-۱۴۰۱`, `۲۲:۴۰ - ۰۲ فروردين ۱۳۹۹`, `۱۳:۴۸ - ۱۳۹۳/۱۲/۱۵`,
    `۲۱ ارديبهشت ۱۳۹۹ - ۱۸:۵۹`. Raises DateParseError with the reason."""
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
    try:
        jalali = jdatetime.datetime(
            year, month, int(fields["d"]), int(fields["H"]), int(fields["M"]), int(fields["S"] or 0)
        )
    except ValueError as exc:
        raise DateParseError(f"no such Jalali date-time {text.strip()!r}: {exc}") from None
    instant = jalali.togregorian().replace(tzinfo=TEHRAN)
    return JalaliTimestamp(instant=instant, jalali=jalali, layout=layout)
