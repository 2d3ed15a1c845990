"""One topic taxonomy across the family (newscrawl/sites/topics.py): the family's names, each site's
own names and ids, what maps to nothing on purpose and what is left unmapped."""

from __future__ import annotations

import json

import pytest

from newscrawl.items import CONTENT_FIELDS, Article, content_hash, exported
from newscrawl.replay.fixtures import fixture_pages, load_expected, replay
from newscrawl.replay.pages import read_page
from newscrawl.schema import load
from newscrawl.sites import PROFILES, parse_page, topic_of
from newscrawl.sites.topics import (
    FAMILY_NAMES,
    NO_TOPIC,
    TOPIC_NAMES,
    TOPICS,
    SiteTopics,
    ids_from_link,
    key,
    resolve,
    unmapped,
)

FAMILY = SiteTopics()
ASRIRAN = PROFILES["asriran"].topics
TABNAK = PROFILES["tabnak"].topics


def test_the_taxonomy_is_a_dozen_defined_topics_and_the_json_schema_names_them():
    assert 10 <= len(TOPICS) <= 14
    assert all(t.definition and t.label_fa for t in TOPICS)
    assert load()["properties"]["topic"]["enum"] == [*TOPIC_NAMES, None]
    assert set(FAMILY_NAMES.values()) == set(TOPIC_NAMES)  # every topic is reached by some name
    assert not NO_TOPIC & set(FAMILY_NAMES)


def test_words_are_compared_folded_zwnj_arabic_letters_and_connectives_aside():
    assert key("بین\u200cالملل") == key("بين الملل") == "بین الملل"
    assert key("فرهنگی-هنری") == key("فرهنگی و هنری") == key(" فرهنگی  هنری ") == "فرهنگی هنری"
    assert resolve(FAMILY, None, "بین\u200cالمللی") == "international"
    assert resolve(FAMILY, "علمی/فناوری", None) == "science_tech"


def test_the_category_comes_before_the_service():
    assert resolve(FAMILY, "اجتماعی", "سلامت") == "health"  # namehnews
    assert resolve(FAMILY, "سلامت", "تغذیه") == "health"


def test_the_service_sets_the_scope_a_provincial_or_international_desk_and_a_subjects_international_news():
    # a provincial desk (a service named after a province): every category is the province's news
    assert resolve(FAMILY, "اصفهان", "اقتصادی") == "provinces"
    assert resolve(FAMILY, "استان ها", "سیاسی") == "provinces"
    assert resolve(FAMILY, "یزد", "یزد") == "provinces"
    # politics is Iran's domestic politics: an international desk's «سیاسی» is international
    assert resolve(FAMILY, "بین الملل", "سیاسی") == "international"
    # «بین الملل» under a subject's service is that subject (as «اقتصاد بین الملل» is economy)
    assert resolve(FAMILY, "ورزشی", "بین الملل") == "sport"
    assert resolve(FAMILY, "اقتصادی", "بین الملل") == "economy" == resolve(FAMILY, None, "اقتصاد بین الملل")
    assert resolve(FAMILY, "فرهنگی", "بین الملل") == "culture_art"
    # ... but not under the political or the front page's service: asriran's «صفحه نخست » بین الملل»
    assert resolve(FAMILY, "سیاسی", "بین الملل") == "international"
    assert resolve(FAMILY, "صفحه نخست", "بین الملل") == "international"
    assert resolve(ASRIRAN, "صفحه نخست", "نامعلوم", 1, 3) == "international"
    # a subject under an international desk that is not politics stays that subject
    assert resolve(FAMILY, "بین الملل", "اقتصادی") == "economy"
    # the same through a site's ids (tabnak's service 17 is international)
    assert resolve(TABNAK, "نامعلوم", "سیاسی", 17, 5) == "international"


def test_a_word_that_names_a_place_or_a_medium_gives_no_topic_and_the_next_word_is_tried():
    assert resolve(FAMILY, "صفحه نخست", "عکس") is None
    assert resolve(FAMILY, "ورزشی", "فیلم") == "sport"
    assert resolve(FAMILY, "صفحه نخست", "سیاسی") == "politics"
    assert unmapped(FAMILY, "صفحه نخست", "عکس") == []  # known: nothing to complete


def test_unknown_words_are_unmapped_and_named():
    assert resolve(FAMILY, "گروه ویژه", "کافه گپ") is None
    assert unmapped(FAMILY, "گروه ویژه", "کافه گپ") == [("service", "گروه ویژه"), ("category", "کافه گپ")]
    assert unmapped(FAMILY, "اجتماعی", "کافه گپ") == [("category", "کافه گپ")]
    assert unmapped(FAMILY, None, None) == []


def test_a_sites_own_words_win_over_the_familys():
    assert unmapped(FAMILY, "بسته ویژه خبری", None) == [("service", "بسته ویژه خبری")]
    assert unmapped(TABNAK, "بسته ویژه خبری", None) == []  # tabnak says: no topic, on purpose
    site = SiteTopics(names=(("حوادث", "lifestyle"),))
    assert resolve(site, None, "حوادث") == "lifestyle" and resolve(FAMILY, None, "حوادث") == "society"
    with pytest.raises(ValueError, match="weather"):
        SiteTopics(names=(("هوا", "weather"),))


def test_a_sites_ids_map_a_word_the_mapping_does_not_know_and_never_override_a_known_word():
    # asriran's category 16 is travel (asriran-markup.md): a renamed or unknown word still maps
    assert resolve(ASRIRAN, "صفحه نخست", "گردش در ایران", 1, 16) == "lifestyle"
    assert resolve(FAMILY, "صفحه نخست", "گردش در ایران", 1, 16) is None
    # tabnak's service 24 is political (the 2025 scrapers' archive queries)
    assert resolve(TABNAK, "خبرهای ۲۴", None, 24, None) == "politics"
    # the page's word wins over the id
    assert resolve(ASRIRAN, "صفحه نخست", "اقتصادی", 1, 1) == "economy"
    # a category id belongs to its service: (4, 1) is not asriran's political category
    assert resolve(ASRIRAN, "سلامتی", "ناشناخته", 4, 1) == "health"


def test_ids_are_read_from_the_archive_links_only():
    assert ids_from_link("/fa/archive?service_id=24&cat_id=77") == (24, 77)
    assert ids_from_link("http://www.asriran.com/fa/archive?service_id=1") == (1, None)
    assert ids_from_link("/fa/archive?service_id=-1&cat_id=-1") == (None, None)
    assert ids_from_link("/fa/political/58") == (None, None)
    assert ids_from_link(None) == (None, None)


def test_the_parser_fills_topic_and_the_link_ids_from_the_page():
    page = next(p for p in fixture_pages() if p.parent.parent.name == "tabnak" and p.stem == "1203456")
    item = parse_page(read_page(page), None, site="tabnak")
    assert (item.service, item.category, item.section_ids) == ("سیاسی", "مجلس", {"service_id": 24, "cat_id": 77})
    assert item.topic == "politics" == topic_of(PROFILES["tabnak"], item)


@pytest.mark.parametrize("page", [p for p in fixture_pages() if "outcome" not in (load_expected(p) or {"outcome": 1})],
                         ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_every_fixture_articles_topic_is_its_sites_mapping_of_its_words(page):
    item = replay(page)
    profile = PROFILES[item["site"]]
    assert item["topic"] == resolve(profile.topics, item["service"], item["category"],
                                    *ids_from_link(_link(page, item)))
    assert item["topic"] is None or item["topic"] in TOPIC_NAMES


def _link(page, item) -> str | None:
    """The href of the page's category link when it is an archive link (else its service's)."""
    import lxml.html

    root = lxml.html.fromstring(read_page(page))
    hrefs = [a.get("href") for a in root.iter("a") if "service_id=" in (a.get("href") or "")
             and " ".join(a.text_content().split()) in (item["category"], item["service"])]
    return max(hrefs, key=lambda h: "cat_id=" in h, default=None)


def test_topic_is_no_content_a_mapping_change_makes_no_new_version():
    """topic is derived (items.DERIVED_FIELDS): the state and the dataset see the same content."""
    from newscrawl.dataset.runs import version_hash

    item = exported(Article(site="asriran", news_id=1, url="https://www.asriran.com/fa/news/1", title="خبر",
                            category="سیاسی", topic="politics"))
    remapped = {**item, "topic": "international"}
    assert "topic" not in CONTENT_FIELDS
    assert content_hash(item) == content_hash(remapped)
    assert version_hash(json.dumps(item, ensure_ascii=False).encode()) == version_hash(
        json.dumps(remapped, ensure_ascii=False).encode())
    assert content_hash(item) != content_hash({**item, "category": "بین الملل"})


class _Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count


def test_articles_with_no_topic_and_the_unknown_words_are_counted_in_the_run_report():
    from newscrawl.extensions.run_report import one_screen, summarize
    from newscrawl.pipelines.field_stats import FieldStatsPipeline

    stats = _Stats()
    pipeline = FieldStatsPipeline(stats)

    def seen(site, service, category):
        item = Article(site=site, news_id=1, url=None, service=service, category=category)
        item.topic = topic_of(PROFILES[site], item)
        pipeline.process_item(item)

    seen("asriran", "صفحه نخست", "سیاسی")        # politics
    seen("asriran", "صفحه نخست", "عکس")          # none on purpose: known, not listed
    seen("asriran", "صفحه نخست", "کافه گپ")
    seen("asriran", "صفحه نخست", "کافه گپ")
    seen("tabnak", "گروه ویژه", None)
    assert stats["newscrawl/no_topic"] == 4
    assert stats["newscrawl/topic_unmapped/asriran/category/کافه گپ"] == 2
    assert stats["newscrawl/topic_unmapped/tabnak/service/گروه ویژه"] == 1
    assert not any("عکس" in key or "صفحه نخست" in key for key in stats)
    summary = summarize(dict(stats), "finished")
    assert summary["topics"] == {"no_topic": 4, "unmapped": {"asriran": {"category": {"کافه گپ": 2}},
                                                             "tabnak": {"service": {"گروه ویژه": 1}}}}
    assert ("no topic 4; words the topic mapping does not know: asriran category «کافه گپ» 2, "
            "tabnak service «گروه ویژه» 1") in one_screen(summary)
    json.dumps(summary)


def test_the_readme_documents_every_topic():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Topics: one taxonomy across the sites", 1)[1].split("\n\n", 3)[2]
    assert [line.split("`")[1] for line in table.splitlines()[2:]] == list(TOPIC_NAMES)


def test_each_words_ids_come_from_the_link_it_was_read_from():
    import lxml.html

    from newscrawl.sites.iransamaneh.article import _section_ids

    path = lxml.html.fromstring('<div><a href="/fa/archive?service_id=7">یزد</a>'
                                '<a href="/fa/archive?service_id=7&amp;cat_id=218">یزد</a></div>')
    links = [(a, a.text) for a in path.iter("a")]
    item = Article(site="yjc", news_id=1, url=None, service="یزد", category="یزد")
    _section_ids(item, links, {"service": None, "category": None})
    assert item.section_ids == {"service_id": 7, "cat_id": 218}
    item = Article(site="yjc", news_id=1, url=None, service="یزد", category=None)
    _section_ids(item, links, {"service": None, "category": None})
    assert item.section_ids == {"service_id": 7}


def test_every_sites_ids_have_their_evidence_and_every_site_reads_the_family_names():
    with_ids = [p for p in PROFILES.values() if p.topics.service_ids or p.topics.category_ids]
    assert {p.name for p in with_ids} >= {"asriran", "tabnak", "entekhab"}
    assert all(p.topics.evidence for p in with_ids)
    assert len(PROFILES) >= 100 and all(isinstance(p.topics, SiteTopics) for p in PROFILES.values())
