"""One topic taxonomy across the family's sites, as data: the topics with their definitions, the
family's common service and category names mapped to them, and how one site's own words and ids
override that (`SiteTopics`, kept in the site's profile).

Every site names its sections in its own words («سیاسی», «بین الملل», «صفحه نخست») behind numeric ids
of its own (tabnak's political service is 24, asriran's political category is 1 of service 1). The
parser reads them as `service` and `category`; `topic` is one of TOPICS or None, resolved here:

1. the category, then the service (the category is the narrower word: «اجتماعی » سلامت» is health),
   except where the service sets the scope: a provincial desk's every category is `provinces`
   («اصفهان » اقتصادی»), an international desk's «سیاسی» is `international` (politics is Iran's
   domestic politics), and «بین الملل» under a subject's service is that subject («ورزشی » بین الملل»
   is sport, as «اقتصاد بین الملل» is economy);
2. for each, the site's own names first, then the family's names (`FAMILY_NAMES`), then the site's
   ids (`service_ids`, `category_ids`) when the page's link carries them;
3. a word that names no topic on purpose (`NO_TOPIC`: «صفحه نخست», «عکس», «فیلم», «عمومی»: a place on the
   site or a medium, not a subject) gives nothing and the next one is tried;
4. nothing: None. A word that is neither mapped nor in NO_TOPIC is *unmapped*: the run report counts
   it (newscrawl/topic_unmapped/<site>/<service|category>/<word>) and `dataset build` lists it, so the
   mapping can be completed.

Words are compared folded (newscrawl.text.fold: ZWNJ → space, Arabic ي/ك → Persian ی/ک) with
hyphens, slashes and «و» between words taken out, so «فرهنگی-هنری», «فرهنگی و هنری» and «فرهنگی‌هنری»
are one key.

`topic` is derived (from `service`, `category` and this mapping): it is not part of an article's
content (newscrawl.items.DERIVED_FIELDS), so a change of the mapping makes no new version of any article;
`reparse` applies the current mapping to archived pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, urlsplit

from newscrawl.text import fold


@dataclass(frozen=True)
class Topic:
    name: str          # the value of `topic`
    label_fa: str      # the word sites use for it most
    definition: str


TOPICS: tuple[Topic, ...] = (
    Topic("politics", "سیاسی", "Iran's domestic politics: government, parliament, elections, parties, the "
          "Leader's office, political figures and factions."),
    Topic("international", "بین الملل", "Other countries and the world, and Iran's foreign policy and "
          "diplomacy (a site's «سیاست خارجی» too)."),
    Topic("economy", "اقتصادی", "The economy: prices and markets (currency, gold, stock exchange), "
          "banking, trade, industry, energy and oil, housing, cars, agriculture, jobs."),
    Topic("society", "اجتماعی", "Society: city life, education and schools, family and women, welfare, "
          "the judiciary and police, accidents and incidents, environment and weather."),
    Topic("sport", "ورزشی", "Sport: football and every other sport, athletes, clubs, competitions."),
    Topic("culture_art", "فرهنگی هنری", "Culture and art: cinema, television, music, theatre, books and "
          "literature, cultural heritage, media."),
    Topic("science_tech", "علمی", "Science and technology: research, universities, information and "
          "communication technology, the internet, space, start-ups."),
    Topic("health", "سلامت", "Health: medicine, disease, the health system, nutrition, mental health."),
    Topic("provinces", "استان ها", "News of a province or city, from a site's provincial desk (a service "
          "named after a province)."),
    Topic("religion", "دین و اندیشه", "Religion and thought: Islam, the Quran, clergy, religious "
          "occasions, pilgrimage, religious thought."),
    Topic("defense", "نظامی", "Defence and security: the armed forces, the defence industry, military "
          "and security affairs."),
    Topic("lifestyle", "سبک زندگی", "Daily life and leisure: lifestyle, travel and tourism, cooking, "
          "hobbies, entertainment."),
)
TOPIC_NAMES: tuple[str, ...] = tuple(t.name for t in TOPICS)

# The family's common service and category names (as pages print them; compared folded, see `key`).
_FAMILY: dict[str, tuple[str, ...]] = {
    "politics": ("سیاسی", "سیاست", "سیاست داخلی", "مجلس", "دولت", "انتخابات", "احزاب و تشکل ها", "رهبری",
                 "سیاسی داخلی"),
    "international": ("بین الملل", "بین المللی", "جهان", "خارجی", "سیاست خارجی",
                      "دیپلماسی", "خاورمیانه", "اخبار جهان"),
    "economy": ("اقتصادی", "اقتصاد", "اقتصاد کلان", "بازار", "بورس", "بازار سهام", "بانک", "بانک و بیمه",
                "انرژی", "نفت", "نفت و انرژی", "صنعت", "صنعت و تجارت", "تجارت", "خودرو", "مسکن", "راه و مسکن",
                "کشاورزی", "اقتصاد بین الملل", "بازار ارز", "طلا و ارز", "کار و اشتغال", "اقتصادی بین الملل"),
    "society": ("اجتماعی", "جامعه", "شهری", "آموزش", "آموزش و پرورش", "حوادث", "حقوقی و قضایی", "قضایی",
                "انتظامی", "خانواده", "زنان و خانواده", "محیط زیست", "آب و هوا", "هواشناسی", "رفاه"),
    "sport": ("ورزشی", "ورزش", "فوتبال", "فوتبال ملی", "فوتبال ایران", "فوتبال جهان", "کشتی", "والیبال",
              "ورزش بانوان", "سایر ورزش ها"),
    "culture_art": ("فرهنگی", "فرهنگی هنری", "فرهنگ هنر", "فرهنگ", "هنر", "سینما", "سینما و تلویزیون",
                    "تلویزیون", "موسیقی", "تئاتر", "کتاب", "کتاب و ادبیات", "ادبیات", "میراث فرهنگی", "رسانه",
                    "فرهنگ و هنر"),
    "science_tech": ("علمی", "علم", "علمی فناوری", "علم و فناوری", "فناوری", "تکنولوژی", "دانش و فناوری",
                     "فناوری اطلاعات", "ارتباطات", "ارتباطات و فناوری اطلاعات", "فضای مجازی", "دانشگاه",
                     "دانشگاهی", "دانش", "فن آوری", "آی تی", "علمی دانشگاهی"),
    "health": ("سلامت", "پزشکی", "بهداشت", "بهداشت و درمان", "تغذیه", "سلامت روان", "دارو", "درمان"),
    "provinces": ("استان ها", "استانها", "استانی", "شهرستان ها", "اخبار استان ها", "آذربایجان شرقی",
                  "آذربایجان غربی", "اردبیل", "اصفهان", "البرز", "ایلام", "بوشهر", "استان تهران",
                  "چهارمحال و بختیاری", "خراسان جنوبی", "خراسان رضوی", "خراسان شمالی", "خوزستان", "زنجان",
                  "سمنان", "سیستان و بلوچستان", "فارس", "قزوین", "قم", "کردستان", "کرمان", "کرمانشاه",
                  "کهگیلویه و بویراحمد", "گلستان", "گیلان", "لرستان", "مازندران", "مرکزی", "هرمزگان", "همدان",
                  "یزد"),
    "religion": ("دین و اندیشه", "دینی", "مذهبی", "دین", "قرآن", "قرآنی", "معارف", "اندیشه", "حج و زیارت",
                 "فرهنگ دینی"),
    "defense": ("نظامی", "دفاعی", "امنیتی", "دفاعی امنیتی", "نظامی و امنیتی", "دفاع", "نیروهای مسلح"),
    "lifestyle": ("سبک زندگی", "گردشگری", "سفر", "سرگرمی", "آشپزی", "خواندنی", "دانستنی ها", "گوناگون",
                  "جذاب"),
}
# Words that name a place on the site or a medium, never a subject: no topic, on purpose.
NO_TOPIC_WORDS: tuple[str, ...] = (
    "صفحه نخست", "صفحه اول", "عمومی", "اخبار", "آخرین اخبار", "خبر فوری", "عکس", "فیلم", "ویدیو", "ویدئو",
    "چندرسانه ای", "چند رسانه ای", "گرافیک", "اینفوگرافیک", "کاریکاتور", "صوت", "پادکست", "گزارش",
    "یادداشت", "سرمقاله", "گفتگو", "مصاحبه", "تحلیل", "سایر", "سایر حوزه ها", "کاربران", "ویژه",
)

_CONNECTIVES = re.compile(r"[-_/،,|»«:]+|\s+و\s+")


def key(word: str) -> str:
    """A service or category name as the mapping compares it: folded, «و» and punctuation between
    words taken out, one space between words ("بین‌الملل" → "بین الملل")."""
    return " ".join(_CONNECTIVES.sub(" ", fold(word)).split())


def _table(pairs: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for topic, words in pairs:
        for word in words:
            folded = key(word)
            if out.setdefault(folded, topic) != topic:
                raise ValueError(f"{word!r} is mapped to two topics: {out[folded]} and {topic}")
    return out


FAMILY_NAMES: dict[str, str] = _table(_FAMILY.items())
NO_TOPIC: frozenset[str] = frozenset(map(key, NO_TOPIC_WORDS))
if NO_TOPIC & set(FAMILY_NAMES):
    raise ValueError(f"words both mapped and in NO_TOPIC: {sorted(NO_TOPIC & set(FAMILY_NAMES))}")
if set(FAMILY_NAMES.values()) - set(TOPIC_NAMES):
    raise ValueError(f"topics not in TOPICS: {set(FAMILY_NAMES.values()) - set(TOPIC_NAMES)}")


@dataclass(frozen=True)
class SiteTopics:
    """A site's own part of the mapping, over the family's: its words (a topic, or None: no topic on
    purpose), and its numeric ids as its archive links carry them (`/fa/archive?service_id=S&cat_id=C`).
    Ids only with evidence (`evidence` says which)."""

    names: tuple[tuple[str, str | None], ...] = ()
    service_ids: tuple[tuple[int, str | None], ...] = ()
    category_ids: tuple[tuple[tuple[int, int], str | None], ...] = ()   # ((service_id, cat_id), topic)
    evidence: str = ""

    def __post_init__(self) -> None:
        topics = [t for _, t in self.names] + [t for _, t in self.service_ids] + [t for _, t in self.category_ids]
        unknown = {t for t in topics if t is not None and t not in TOPIC_NAMES}
        if unknown:
            raise ValueError(f"topics not in the taxonomy: {sorted(unknown)}")


NONE = SiteTopics()
_UNSET = object()


_Tables = tuple[dict[str, str | None], dict[int, str | None], dict[tuple[int, int], str | None]]


@cache
def _site_tables(site: SiteTopics) -> _Tables:
    return ({key(w): t for w, t in site.names}, dict(site.service_ids), dict(site.category_ids))


def _by_name(site: SiteTopics, word: str) -> object:
    """The topic of a word (None: none on purpose), or _UNSET when the mapping does not know it."""
    folded = key(word)
    names = _site_tables(site)[0]
    if folded in names:
        return names[folded]
    if folded in FAMILY_NAMES:
        return FAMILY_NAMES[folded]
    return None if folded in NO_TOPIC else _UNSET


def resolve(site: SiteTopics, service: str | None, category: str | None,
            service_id: int | None = None, cat_id: int | None = None) -> str | None:
    """The topic of an article from its service and category (and their ids, when its links gave them)."""
    _, service_ids, category_ids = _site_tables(site)
    by_category = category_ids.get((service_id, cat_id)) if service_id is not None and cat_id is not None else None
    by_service = service_ids.get(service_id) if service_id is not None else None
    narrow, wide = _topic_of(site, category, by_category), _topic_of(site, service, by_service)
    if wide == "provinces":  # a provincial desk: its «سیاسی» or «اقتصادی» is still a province's news
        return wide
    if narrow == "politics" and wide == "international":  # politics is domestic: «بین الملل » سیاسی»
        return wide
    if narrow == "international" and wide not in (None, "politics"):  # «ورزشی » بین الملل» is sport
        return wide
    return narrow or wide


def _topic_of(site: SiteTopics, word: str | None, by_id: str | None) -> str | None:
    """One word's topic: by its name, else (a word the mapping does not know) by its id."""
    found = _by_name(site, word) if word else _UNSET
    if isinstance(found, str):
        return found
    return by_id if found is _UNSET else None


def unmapped(site: SiteTopics, service: str | None, category: str | None) -> list[tuple[str, str]]:
    """The words of an article the mapping does not know: [("service"|"category", word)]."""
    return [(kind, word) for kind, word in (("service", service), ("category", category))
            if word and _by_name(site, word) is _UNSET]


def ids_from_link(href: str | None) -> tuple[int | None, int | None]:
    """(service_id, cat_id) of an IranSamaneh archive link (`/fa/archive?service_id=24&cat_id=77`)."""
    if not href or "service_id=" not in href:
        return None, None
    query = parse_qs(urlsplit(href).query)

    def number(name: str) -> int | None:
        value = (query.get(name) or [""])[0].strip()
        return int(value) if value.lstrip("-").isdigit() and int(value) >= 0 else None

    return number("service_id"), number("cat_id")
