import pytest

from newscrawl.text import DateParseError, parse_jalali


@pytest.mark.parametrize(
    ("text", "iso", "jalali", "layout"),
    [
        # HH:MM - DD-MM-YYYY (2023 theme); the brief's example
        ("۰۸:۲۸ - ۲۶-۰۹-۱۴۰۱", "2022-12-17T08:28:00+03:30", "1401-09-26T08:28:00", "time-dmy"),
        ("08:28 - 26-09-1401", "2022-12-17T08:28:00+03:30", "1401-09-26T08:28:00", "time-dmy"),
        # HH:MM - DD <month> YYYY (2020 theme) with Arabic yeh in the month name
        ("۲۲:۴۰ - ۰۲ فروردين ۱۳۹۹", "2020-03-21T22:40:00+04:30", "1399-01-02T22:40:00", "time-dmonthy"),
        ("۱۰:۰۰ - ۱۵ شهريور ۱۴۰۱", "2022-09-06T10:00:00+04:30", "1401-06-15T10:00:00", "time-dmonthy"),
        # HH:MM - YYYY/MM/DD (2014 theme, comments)
        ("۱۳:۴۸ - ۱۳۹۳/۱۲/۱۵", "2015-03-06T13:48:00+03:30", "1393-12-15T13:48:00", "time-ymd"),
        # the yjc theme puts the time after the date
        ("۲۱ ارديبهشت ۱۳۹۹ - ۱۸:۵۹", "2020-05-10T18:59:00+04:30", "1399-02-21T18:59:00", "dmonthy-time"),
        # Arabic-Indic digits, weekday prefix, NBSP, «ساعت»
        ("٠٩:٣٠ - ١٢ اسفند ١٣٩٩", "2021-03-02T09:30:00+03:30", "1399-12-12T09:30:00", "time-dmonthy"),
        ("سه‌شنبه ۲۶ آذر ۱۴۰۱ - ۰۸:۲۸", "2022-12-17T08:28:00+03:30", "1401-09-26T08:28:00", "dmonthy-time"),
        ("۱۵\u00a0شهریور ۱۴۰۱ ساعت ۱۰:۰۰", "2022-09-06T10:00:00+04:30", "1401-06-15T10:00:00", "dmonthy-time"),
        ("۱۰ امرداد ۱۳۹۸ - ۰۷:۰۰", "2019-08-01T07:00:00+04:30", "1398-05-10T07:00:00", "dmonthy-time"),
    ],
)
def test_layouts(text, iso, jalali, layout):
    stamp = parse_jalali(text)
    assert (stamp.iso, stamp.jalali_iso, stamp.layout) == (iso, jalali, layout)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # 2020: DST ended at the end of 30 Shahrivar 1399 (2020-09-20 24:00 -> 23:00)
        ("۲۲:۱۵ - ۳۰-۰۶-۱۳۹۹", "2020-09-20T22:15:00+04:30"),
        ("۰۰:۱۵ - ۳۱-۰۶-۱۳۹۹", "2020-09-21T00:15:00+03:30"),
        # 2022, the last DST summer, and its end on 30 Shahrivar 1401
        ("۱۲:۰۰ - ۱۱-۰۳-۱۴۰۱", "2022-06-01T12:00:00+04:30"),
        ("۲۲:۵۹ - ۳۰-۰۶-۱۴۰۱", "2022-09-21T22:59:00+04:30"),
        ("۰۰:۳۰ - ۳۱-۰۶-۱۴۰۱", "2022-09-22T00:30:00+03:30"),
        # DST began at the end of 1 Farvardin 1401
        ("۲۳:۰۰ - ۰۱-۰۱-۱۴۰۱", "2022-03-21T23:00:00+03:30"),
        ("۰۱:۳۰ - ۰۲-۰۱-۱۴۰۱", "2022-03-22T01:30:00+04:30"),
        # 2023 on: no DST at all
        ("۱۲:۰۰ - ۱۱-۰۳-۱۴۰۲", "2023-06-01T12:00:00+03:30"),
        ("۱۲:۰۰ - ۱۱-۰۳-۱۴۰۴", "2025-06-01T12:00:00+03:30"),
        # 1403 is a leap year: 30 Esfand exists
        ("۰۹:۰۰ - ۳۰-۱۲-۱۴۰۳", "2025-03-20T09:00:00+03:30"),
    ],
)
def test_offsets_follow_tehran_dst_history(text, iso):
    assert parse_jalali(text).iso == iso


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("۱۰:۳۰ - ۳۰-۱۲-۱۴۰۲", "no such Jalali date-time"),  # 1402 is not leap
        ("۱۰:۳۰ - ۳۲-۰۱-۱۴۰۲", "no such Jalali date-time"),
        ("۱۰:۳۰ - ۰۱-۱۳-۱۴۰۲", "no such Jalali date-time"),
        ("۲۵:۰۰ - ۰۱-۰۱-۱۴۰۲", "no such Jalali date-time"),
        ("08:28 - 26-09-2022", "not a Jalali year"),  # a Gregorian year in a Jalali layout
        ("۰۸:۲۸ - ۲۶ دسامبر ۱۴۰۱", "unknown date layout"),
        ("به روز شده در: امروز", "unknown date layout"),
        ("", "empty date text"),
    ],
)
def test_invalid_dates_are_rejected_with_a_reason(text, message):
    with pytest.raises(DateParseError, match=message):
        parse_jalali(text)
