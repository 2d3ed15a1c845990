import pytest

from newscrawl.text import fold, normalize_paragraphs, normalize_text

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("وزير امور خارجه آمريكا", "وزیر امور خارجه آمریکا"),  # Arabic yeh and kaf
        ("مصطفى", "مصطفی"),  # alef maksura
        ("تهران\u00a0\u00a0امروز", "تهران امروز"),  # NBSP runs
        ("سلام\u202fدنیا\u2009!", "سلام دنیا !"),  # narrow and thin spaces
        ("خبر\u200bفوری\u200e\ufeff", "خبرفوری"),  # ZWSP, LRM, BOM
        ("مجلس ـــ تهران", "مجلس تهران"),  # kashida run
        ("کتابـها", "کتابها"),  # kashida inside a word
        ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"),  # Arabic-Indic -> Persian digits
        ("ﻧﺎﻡ", "نام"),  # presentation forms
        ("  چند   فاصله \n\t اضافه  ", "چند فاصله اضافه"),
    ],
)
def test_character_level_folding(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"می{ZWNJ}گوید", f"می{ZWNJ}گوید"),  # between two letters: kept
        (f"می{ZWNJ}{ZWNJ}{ZWNJ}گوید", f"می{ZWNJ}گوید"),  # runs collapse
        (f"کتاب{ZWNJ} ها", "کتاب ها"),  # next to a space: dropped
        (f"{ZWNJ}سلام{ZWNJ}", "سلام"),  # at the edges: dropped
        (f"۱۲{ZWNJ}نفر", "۱۲نفر"),  # after a digit: dropped
        (f"کشور{ZWNJ}ها", f"کشور{ZWNJ}ها"),  # after a non-joining letter: a morpheme boundary, kept
    ],
)
def test_zwnj_is_tidied_not_restored(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "قیمت 52.300 تومان و ۴۵٫۵ درصد",
        "ساعت 10:30 روز 1401/09/26",
        "جنگنده F-35 و کووید-19 در G20",
        "نشانی www.example.com/news?id=12&b=2 را ببینید",
        'او گفت: "سلام." و رفت... (نقل قول) «گیومه»',
        "۱٬۲۰۰ نفر، ۵٪ و 5%",
        "iPhone 15 Pro",
    ],
)
def test_leaves_numbers_urls_times_and_punctuation_alone(text):
    assert normalize_text(text) == text


def test_keeps_zwj_inside_emoji_but_drops_it_next_to_persian_letters():
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert normalize_text(f"خانواده {family}") == f"خانواده {family}"
    assert normalize_text("سلا\u200dم") == "سلام"


def test_keeps_diacritics_and_hamza_forms():
    assert normalize_text("فوراً خانهٔ مسئول رئیس") == "فوراً خانهٔ مسئول رئیس"


@pytest.mark.parametrize(
    "raw",
    [
        f"  وزير\u00a0آمريكا  نمي{ZWNJ}{ZWNJ} كنيم {ZWNJ}کتاب{ZWNJ} ها F-35 ـ ١٢ \u200e",
        f"{ZWNJ} {ZWNJ}{ZWNJ} \u00a0{ZWNJ}",
        "ﻻ ﷲ ي\u200dك",
    ],
)
def test_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_none_stays_none_and_blank_becomes_empty():
    assert normalize_text(None) is None
    assert normalize_text(" \u00a0\u200c ") == ""


def test_paragraphs_are_normalized_one_by_one_and_empty_ones_dropped():
    body = "پاراگراف  اول\n\n \u00a0 \n\nپاراگراف دوم با ي"
    assert normalize_paragraphs(body) == "پاراگراف اول\n\nپاراگراف دوم با ی"


def test_the_fold_for_matching():
    """One fold for every matcher (body markers, toolbar labels, Jalali dates): Arabic letters read as
    Persian, NBSP and ZWNJ as spaces, LRM/RLM as nothing, whitespace collapsed; digits and
    punctuation stay (unlike normalize_text, it is not for stored text)."""
    assert fold(" \u200fاخبار\u00a0مرتبط\u200e ") == "اخبار مرتبط"
    assert fold(f"كد خبري{ZWNJ}ها:  ١٢") == "کد خبری ها: ١٢"
    assert fold("مصطفى") == "مصطفی"


def test_the_body_cleaner_matches_through_the_same_fold():
    """The body cleaner folds as the toolbar and the dates do: a sign-off typed with direction marks
    is still the site's sign-off (yjc's «انتهای پیام/»), and is dropped."""
    import lxml.html

    from newscrawl.sites import PROFILES
    from newscrawl.sites.iransamaneh.body import clean_body

    first = "متن خبر اول که به اندازه کافی بلند است."
    page = f'<div><div class="body"><p>{first}</p><p>\u200fانتهای پیام/\u200f</p></div></div>'
    assert clean_body(lxml.html.fromstring(page), PROFILES["yjc"], 1).paragraphs == [first]
