import pytest

from newscrawl.text import DateParseError, parse_date, parse_gregorian, parse_iso, parse_jalali


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


# ---- Layouts added for the family's other themes (issue 18) ----

@pytest.mark.parametrize(
    ("text", "iso", "jalali", "layout"),
    [
        # all-numeric, space-separated, with &nbsp; between the parts (jamejamonline 2023-2024)
        ("۱۵\u00a0۰۸\u00a0۱۴۰۲ - ۱۲:۳۰", "2023-11-06T12:30:00+03:30", "1402-08-15T12:30:00", "dmys-time"),
        ("۲۵ ۰۲ ۱۴۰۰ - ۰۹:۰۵", "2021-05-15T09:05:00+04:30", "1400-02-25T09:05:00", "dmys-time"),
        # the whole article:published_time of the CMS (tabnak 2018, real page)
        ("۱۳۹۷/۰۴/۳۰ - ۰۰:۲۰", "2018-07-21T00:20:00+04:30", "1397-04-30T00:20:00", "ymd-time"),
    ],
)
def test_numeric_layouts(text, iso, jalali, layout):
    stamp = parse_jalali(text)
    assert (stamp.iso, stamp.jalali_iso, stamp.layout, stamp.has_time) == (iso, jalali, layout, True)


@pytest.mark.parametrize(
    ("text", "iso", "layout"),
    [
        # the first part of article:published_time (what 22 sites' scrapers keep), tag pages' dates
        ("۱۳۹۷/۰۴/۳۰", "2018-07-21T00:00:00+04:30", "ymd"),
        ("۲۵ اسفند ۱۳۹۳", "2015-03-16T00:00:00+03:30", "dmonthy"),
        ("۰۶-۰۸-۱۳۸۵", "2006-10-28T00:00:00+03:30", "dmy"),
        ("۱۵ ۰۸ ۱۴۰۲", "2023-11-06T00:00:00+03:30", "dmys"),
    ],
)
def test_a_date_without_a_time_is_that_day_at_midnight_in_tehran_and_says_so(text, iso, layout):
    stamp = parse_jalali(text)
    assert (stamp.iso, stamp.layout, stamp.has_time) == (iso, layout, False)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # 2021: DST began at the end of 1 Farvardin 1400 (2021-03-21 24:00 -> 2021-03-22 01:00) ...
        ("۰۱ ۰۱ ۱۴۰۰ - ۱۲:۰۰", "2021-03-21T12:00:00+03:30"),
        ("۰۲ ۰۱ ۱۴۰۰ - ۱۲:۰۰", "2021-03-22T12:00:00+04:30"),
        # ... and ended at the end of 30 Shahrivar 1400
        ("۳۰ ۰۶ ۱۴۰۰ - ۱۲:۰۰", "2021-09-21T12:00:00+04:30"),
        ("۳۱ ۰۶ ۱۴۰۰ - ۱۲:۰۰", "2021-09-22T12:00:00+03:30"),
        # 2022, the last DST summer: the same two days
        ("۰۱ ۰۱ ۱۴۰۱ - ۱۲:۰۰", "2022-03-21T12:00:00+03:30"),
        ("۰۲ ۰۱ ۱۴۰۱ - ۱۲:۰۰", "2022-03-22T12:00:00+04:30"),
        ("۳۰ ۰۶ ۱۴۰۱ - ۱۲:۰۰", "2022-09-21T12:00:00+04:30"),
        ("۳۱ ۰۶ ۱۴۰۱ - ۱۲:۰۰", "2022-09-22T12:00:00+03:30"),
        # 2023 on: the same days keep +03:30
        ("۰۲ ۰۱ ۱۴۰۲ - ۱۲:۰۰", "2023-03-22T12:00:00+03:30"),
        ("۳۰ ۰۶ ۱۴۰۲ - ۱۲:۰۰", "2023-09-21T12:00:00+03:30"),
        ("۰۲ ۰۱ ۱۴۰۴ - ۱۲:۰۰", "2025-03-22T12:00:00+03:30"),
    ],
)
def test_numeric_dates_follow_tehran_dst_history(text, iso):
    assert parse_jalali(text).iso == iso


@pytest.mark.parametrize(
    ("text", "iso", "jalali", "has_time"),
    [
        ("2024-03-20 10:00", "2024-03-20T10:00:00+03:30", "1403-01-01T10:00:00", True),
        ("2024/03/20", "2024-03-20T00:00:00+03:30", "1403-01-01T00:00:00", False),
        ("20 March 2024", "2024-03-20T00:00:00+03:30", "1403-01-01T00:00:00", False),
        (" 21 July 2018 ", "2018-07-21T00:00:00+04:30", "1397-04-30T00:00:00", False),  # tabnak's en_date
        ("۲۰ مارس ۲۰۲۴ - ۱۰:۰۰", "2024-03-20T10:00:00+03:30", "1403-01-01T10:00:00", True),
        ("10:00 - 2024/03/20", "2024-03-20T10:00:00+03:30", "1403-01-01T10:00:00", True),
        ("March 20, 2024", "2024-03-20T00:00:00+03:30", "1403-01-01T00:00:00", False),
        # an offset in the text wins over Tehran's wall clock (an RSS pubDate)
        ("Sat, 21 Jul 2018 08:39:54 +0430", "2018-07-21T08:39:54+04:30", "1397-04-30T08:39:54", True),
        ("2018-07-21 04:09:54 +0000", "2018-07-21T08:39:54+04:30", "1397-04-30T08:39:54", True),
        # Tehran's wall clock on both sides of the DST changes of 2021 and 2022, none in 2023
        ("2021-03-21 12:00", "2021-03-21T12:00:00+03:30", "1400-01-01T12:00:00", True),
        ("2021-03-22 12:00", "2021-03-22T12:00:00+04:30", "1400-01-02T12:00:00", True),
        ("2022-09-21 12:00", "2022-09-21T12:00:00+04:30", "1401-06-30T12:00:00", True),
        ("2022-09-22 12:00", "2022-09-22T12:00:00+03:30", "1401-06-31T12:00:00", True),
        ("2023-03-22 12:00", "2023-03-22T12:00:00+03:30", "1402-01-02T12:00:00", True),
    ],
)
def test_gregorian_text_is_tehran_wall_clock(text, iso, jalali, has_time):
    stamp = parse_gregorian(text)
    assert (stamp.iso, stamp.jalali_iso, stamp.has_time) == (iso, jalali, has_time)


def test_iso_text_keeps_its_offset_and_reads_naive_as_tehran():
    assert parse_iso("2018-07-21T00:20:18+04:30").iso == "2018-07-21T00:20:18+04:30"
    assert parse_iso("2018-07-20T19:50:18Z").iso == "2018-07-21T00:20:18+04:30"
    assert parse_iso("2024-03-20T10:00:00").iso == "2024-03-20T10:00:00+03:30"
    assert parse_iso("2024-03-20T10:00:00").jalali_iso == "1403-01-01T10:00:00"


@pytest.mark.parametrize(
    ("text", "layout", "iso"),
    [
        ("۱۴۰۲/۰۸/۱۵ - ۱۲:۳۰", "gregorian", "2023-11-06T12:30:00+03:30"),  # declared Gregorian, printed Jalali
        ("2023-11-06 12:30", "jalali", "2023-11-06T12:30:00+03:30"),
        ("2023-11-06T12:30:00+03:30", "jalali", "2023-11-06T12:30:00+03:30"),
    ],
)
def test_a_date_in_another_form_than_declared_still_reads_the_years_tell_them_apart(text, layout, iso):
    assert parse_date(text, layout).iso == iso


@pytest.mark.parametrize(
    ("text", "parser", "message"),
    [
        ("2024-02-30 10:00", parse_gregorian, "no such Gregorian date-time"),
        ("1402-08-15 10:00", parse_gregorian, "not a Gregorian year"),
        ("۱۵ ۰۸ ۲۰۲۴ - ۱۲:۳۰", parse_jalali, "not a Jalali year"),
        ("دیروز", parse_gregorian, "unknown Gregorian date layout"),
        ("امروز", parse_iso, "not an ISO 8601 date-time"),
        ("امروز", parse_date, "unknown date layout"),  # the declared (Jalali) form's reason
    ],
)
def test_other_forms_are_rejected_with_a_reason(text, parser, message):
    with pytest.raises(DateParseError, match=message):
        parser(text)
