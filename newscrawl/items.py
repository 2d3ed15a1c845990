"""The dataset contract (schema v1): one Article per news page.

EXPORT_FIELDS is the order of keys in every JSON line; every key is always present. Fields whose
metadata says export=False are working state carried between pipelines and never written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TypedDict

SCHEMA_VERSION = 1


class Image(TypedDict):
    url: str
    caption: str | None


class Related(TypedDict):
    news_id: int
    title: str


class Comment(TypedDict):
    author: str | None
    published_at: str | None
    text: str
    reply_to: int | None  # index of the parent comment in the same list, None for a top-level one


def _internal(default=None, factory=None):
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
    # Working state between the parser and the pipelines; never exported.
    source_url: str | None = _internal()  # where the page was fetched from (a mirror, a file)
    defects: list[str] = _internal(factory=list)  # "<field>: why": the item is quarantined
    warnings: list[str] = _internal(factory=list)  # "<field>: why": sources disagree, still written
    # Which source gave each field ("markup", "toolbar", "jsonld", "og:url", "url", ...).
    field_sources: dict[str, str] = _internal(factory=dict)


EXPORT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article) if f.metadata.get("export", True))


def exported(article: Article) -> dict:
    """The article as it is written to the dataset: contract keys, in order."""
    return {name: getattr(article, name) for name in EXPORT_FIELDS}
