"""One definition of "the same content" (newscrawl.items.CONTENT_FIELDS): the state's content hash
(is a refetched article changed?) and the dataset's version hash (is a line a new version?) agree.
Comments count as content; when and by which release the article was read do not, nor the fields
derived from the others (`blocks`: body, images and videos again, typed)."""

from __future__ import annotations

import json
import random

from newscrawl.dataset.runs import version_hash
from newscrawl.items import (
    CONTENT_FIELDS,
    DERIVED_FIELDS,
    EXPORT_FIELDS,
    VOLATILE_FIELDS,
    Article,
    content_hash,
    exported,
)


def article(**changes) -> dict:
    item = exported(Article(site="asriran", news_id=1, url="https://www.asriran.com/fa/news/1", title="خبر",
                            body="متن خبر", published_at="2024-03-20T10:00:00+03:30",
                            crawled_at="2026-01-01T00:00:00Z", parser_version="iransamaneh/2:2024"))
    return {**item, **changes}


def line(item: dict) -> bytes:
    return json.dumps(item, ensure_ascii=False).encode()


def same_in_both(a: dict, b: dict) -> tuple[bool, bool]:
    return content_hash(a) == content_hash(b), version_hash(line(a)) == version_hash(line(b))


def test_content_is_every_exported_field_but_the_volatile_and_the_derived_ones():
    assert set(CONTENT_FIELDS) | set(VOLATILE_FIELDS) | set(DERIVED_FIELDS) == set(EXPORT_FIELDS)
    assert not set(CONTENT_FIELDS) & (set(VOLATILE_FIELDS) | set(DERIVED_FIELDS))
    assert "comments" in CONTENT_FIELDS and "crawled_at" not in CONTENT_FIELDS
    assert DERIVED_FIELDS == ("topic", "blocks")


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
    assert "topic" in DERIVED_FIELDS and "topic" not in CONTENT_FIELDS
    assert same_in_both(article(topic="politics"), article(topic="international")) == (True, True)
    assert same_in_both(article(topic=None), article(topic="politics")) == (True, True)
    assert same_in_both(article(category="سیاسی"), article(category="ورزشی")) == (False, False)
BLOCKS = [{"type": "heading", "text": "تیتر", "url": None, "caption": None},
          {"type": "paragraph", "text": "متن خبر", "url": None, "caption": None}]


def test_a_line_written_before_blocks_existed_is_the_same_content_as_one_with_them():
    old = {k: v for k, v in article().items() if k != "blocks"}
    assert same_in_both(old, article(blocks=BLOCKS)) == (True, True)
    assert same_in_both(old, article(blocks=[])) == (True, True)


def test_blocks_typed_otherwise_are_the_same_content_and_the_body_still_counts():
    retyped = [{**BLOCKS[0], "type": "paragraph"}, BLOCKS[1]]
    assert same_in_both(article(blocks=BLOCKS), article(blocks=retyped)) == (True, True)
    assert same_in_both(article(blocks=BLOCKS), article(body="متن دیگر", blocks=BLOCKS)) == (False, False)


def test_the_version_hash_cuts_blocks_whose_text_looks_like_json():
    """Brackets, braces, quotes, escapes and key-like text inside a block's strings do not end the cut
    early; a field after `blocks` still counts."""
    tricky = [{"type": "paragraph", "text": 'x]}, "videos": ["a"]} \\" ]', "url": None, "caption": None},
              {"type": "image", "text": None, "url": "https://a.ir/x.jpg?q=]}", "caption": '"]'}]
    old = {k: v for k, v in article().items() if k != "blocks"}
    assert same_in_both(old, article(blocks=tricky)) == (True, True)
    after = {**article(blocks=tricky), "later": 1}
    assert version_hash(line(after)) != version_hash(line({**article(blocks=tricky), "later": 2}))


def test_the_version_hash_cuts_blocks_exactly_on_random_json_texts():
    """Random texts of quotes, brackets, braces and backslashes, written with either separator and with
    or without ASCII escapes: the line with blocks hashes as the line without them."""
    rng = random.Random(1)
    pieces = ["a", "ب", "]", "[", '"', "\\", "}", "{", ",", " ", ":", '\\"', '"]', "\\\\", "], "]
    base = {k: v for k, v in article().items() if k != "blocks"}
    for _ in range(500):
        blocks = [{"type": "paragraph", "text": "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))),
                   "url": None, "caption": None} for _ in range(rng.randint(0, 4))]
        item = {**base, "blocks": blocks, **({"later": "x]"} if rng.random() < 0.5 else {})}
        ascii_only, separators = rng.random() < 0.5, rng.choice([(", ", ": "), (",", ":")])
        with_blocks = json.dumps(item, ensure_ascii=ascii_only, separators=separators).encode()
        without = json.dumps({k: v for k, v in item.items() if k != "blocks"}, ensure_ascii=ascii_only,
                             separators=separators).encode()
        assert version_hash(with_blocks) == version_hash(without)


def test_a_line_written_before_topic_existed_is_the_same_content_as_one_with_it():
    """The dataset's version hash cuts a string-valued derived field (topic) with its comma, as the
    state's content hash leaves it out: an old line and a new one of the same article are one version."""
    old = {k: v for k, v in article().items() if k not in ("topic", "blocks")}
    assert same_in_both(old, article(topic="politics", blocks=BLOCKS)) == (True, True)
    assert same_in_both(old, article(topic=None)) == (True, True)
    tricky = {**article(topic='a\\"b'), "later": 1}  # a value with an escaped quote, a field after it
    assert version_hash(line(tricky)) == version_hash(line({**old, "later": 1}))
