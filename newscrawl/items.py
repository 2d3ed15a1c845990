"""The dataset contract (schema v1): one Article per news page.

EXPORT_FIELDS is the order of keys in every JSON line; every key is always present. Fields whose
metadata says export=False are working state carried between pipelines and never written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict

SCHEMA_VERSION = 1


class Image(TypedDict):
    url: str
    caption: str | None


class Related(TypedDict):
    news_id: int
    title: str


class Block(TypedDict):
    """One piece of the body in reading order (`Article.blocks`). Text blocks (TEXT_BLOCK_TYPES) have
    `text` and null `url`/`caption`; an image block has `url` and `caption` (as in `images`), a video
    block `url`; their `text` is null."""
    type: str
    text: str | None
    url: str | None
    caption: str | None


TEXT_BLOCK_TYPES: tuple[str, ...] = ("paragraph", "heading", "list_item", "quote", "table_row")
BLOCK_TYPES: tuple[str, ...] = (*TEXT_BLOCK_TYPES, "image", "video")
BODY_SEPARATOR = "\n\n"  # between two paragraphs of `body`


def body_of_blocks(blocks: list[Block]) -> str | None:
    """The rule that ties `blocks` to `body`: the body is the `text` of every block that has one (the
    text blocks, TEXT_BLOCK_TYPES), in order, joined by a blank line; null when there is none. The
    image and video blocks are `images` and `videos` in reading order; captions are not body text."""
    return BODY_SEPARATOR.join(b["text"] for b in blocks if b["text"] is not None) or None


class Comment(TypedDict):
    author: str | None
    published_at: str | None
    text: str
    reply_to: int | None  # index of the parent comment in the same list, None for a top-level one


def _internal(default: Any = None, factory: Callable[[], Any] | None = None) -> Any:
    meta = {"export": False}
    if factory is not None:
        return field(default_factory=factory, metadata=meta, repr=False)
    return field(default=default, metadata=meta, repr=False)


@dataclass
class Article:
    site: str
    news_id: int | None
    url: str | None
    title: str | None = None
    supertitle: str | None = None
    lead: str | None = None
    body: str | None = None
    published_at: str | None = None
    published_at_jalali: str | None = None
    published_raw: str | None = None
    service: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    lead_image: str | None = None
    images: list[Image] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    short_url: str | None = None
    crawled_at: str | None = None
    schema_version: int = SCHEMA_VERSION
    parser_version: str | None = None
    # Fields after the v1 contract.
    videos: list[str] = field(default_factory=list)
    # One of the family-wide topics (newscrawl/sites/topics.py), derived from service and category.
    topic: str | None = None
    # The body, images and videos as typed blocks in reading order (items.Block, body_of_blocks).
    blocks: list[Block] = field(default_factory=list)
    # Working state between the parser and the pipelines; never exported.
    source_url: str | None = _internal()  # where the page was fetched from (a mirror, a file)
    defects: list[str] = _internal(factory=list)  # "<field>: why": the item is quarantined
    warnings: list[str] = _internal(factory=list)  # "<field>: why": sources disagree, still written
    # Which source gave each field ("markup", "toolbar", "jsonld", "og:url", "url", ...).
    field_sources: dict[str, str] = _internal(factory=dict)
    # The ids the service and category links carry ({"service_id": 24, "cat_id": 77}), for the topic.
    section_ids: dict[str, int] = _internal(factory=dict)


EXPORT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article) if f.metadata.get("export", True))


def exported(article: Article) -> dict[str, Any]:
    """The article as it is written to the dataset: contract keys, in order."""
    return {name: getattr(article, name) for name in EXPORT_FIELDS}


# What differs between two crawls of an unchanged article: when it was crawled, which release read it.
VOLATILE_FIELDS: tuple[str, ...] = ("crawled_at", "parser_version")
# Fields derived from other exported fields, not content of their own:
# - `topic` is derived from `service` and `category` by the topic mapping (newscrawl/sites/topics.py),
#   so a change of the mapping, applied by a later crawl or a `reparse`, must not make a new version of
#   every article (the dataset keeps the latest line's topic);
# - `blocks` is `body`, `images` and `videos` again, with each paragraph's type: a release that only
#   types a paragraph differently (a subhead found) makes no new version of every article it reads again.
# A line written before either existed and a later line of the same article with them are one version.
DERIVED_FIELDS: tuple[str, ...] = ("topic", "blocks")
# "The same content", one definition for the state (is a refetched article new?) and the dataset (is
# a line a new version?): every exported field but the volatile and the derived ones. Comments count:
# they are published in the dataset, so a refresh that finds new comments writes a new version.
CONTENT_FIELDS: tuple[str, ...] = tuple(name for name in EXPORT_FIELDS
                                        if name not in VOLATILE_FIELDS and name not in DERIVED_FIELDS)


def content_hash(item: Mapping[str, Any]) -> str:
    """Equal for two exported articles of the same content (CONTENT_FIELDS), whenever and by whichever
    release they were read."""
    content = {name: item.get(name) for name in CONTENT_FIELDS}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


UTC_STAMP = "%Y-%m-%dT%H:%M:%SZ"  # crawled_at, quarantined_at, the state's times, the reports'


def utc_stamp(when: datetime | None = None, delta: timedelta = timedelta()) -> str:
    """`when` (default: now) as the one UTC stamp format of the project: 2026-01-01T12:00:00Z."""
    return ((when.astimezone(UTC) if when is not None else datetime.now(UTC)) + delta).strftime(UTC_STAMP)
