"""One definition of "the same content" (newscrawl.items.CONTENT_FIELDS): the state's content hash
(is a refetched article changed?) and the dataset's version hash (is a line a new version?) agree.
Comments count as content; when and by which release the article was read do not."""

from __future__ import annotations

import json

from newscrawl.dataset.runs import version_hash
from newscrawl.items import CONTENT_FIELDS, EXPORT_FIELDS, VOLATILE_FIELDS, Article, content_hash, exported


def article(**changes) -> dict:
    item = exported(Article(site="asriran", news_id=1, url="https://www.asriran.com/fa/news/1", title="خبر",
                            body="متن خبر", published_at="2024-03-20T10:00:00+03:30",
                            crawled_at="2026-01-01T00:00:00Z", parser_version="iransamaneh/2:2024"))
    return {**item, **changes}


def line(item: dict) -> bytes:
    return json.dumps(item, ensure_ascii=False).encode()


def same_in_both(a: dict, b: dict) -> tuple[bool, bool]:
    return content_hash(a) == content_hash(b), version_hash(line(a)) == version_hash(line(b))


def test_content_is_every_exported_field_but_the_volatile_ones():
    assert set(CONTENT_FIELDS) | set(VOLATILE_FIELDS) == set(EXPORT_FIELDS)
    assert "comments" in CONTENT_FIELDS and "crawled_at" not in CONTENT_FIELDS


def test_a_recrawl_by_another_release_is_the_same_content_for_the_state_and_the_dataset():
    again = article(crawled_at="2026-02-01T00:00:00Z", parser_version="iransamaneh/3:2024")
    assert same_in_both(article(), again) == (True, True)


def test_new_comments_are_new_content_for_the_state_and_the_dataset():
    commented = article(comments=[{"author": "x", "published_at": None, "text": "نظر", "reply_to": None}])
    assert same_in_both(article(), commented) == (False, False)


def test_an_edited_title_is_new_content_for_both():
    assert same_in_both(article(), article(title="خبر تازه")) == (False, False)


def test_a_new_topic_mapping_is_the_same_content_for_both():
    """topic is derived from service and category (items.DERIVED_FIELDS): a changed mapping, applied
    by a later crawl or a reparse, makes no new version; a changed category does."""
    assert "topic" in VOLATILE_FIELDS and "topic" not in CONTENT_FIELDS
    assert same_in_both(article(topic="politics"), article(topic="international")) == (True, True)
    assert same_in_both(article(topic=None), article(topic="politics")) == (True, True)
    assert same_in_both(article(category="سیاسی"), article(category="ورزشی")) == (False, False)
