"""Page metadata, the second source of an article's fields: JSON-LD `NewsArticle` and `<meta>` tags.

Real IranSamaneh pages (tabnak 2018, yjc 2019-2020) carry a JSON-LD NewsArticle with `headLine`
(capital L) and an ISO `datePublished` with an offset, and `article:published_time` in Jalali with
Persian digits. Their `articleBody` and breadcrumb are unreliable (a one-line fragment; `cat_id`
holding the news id), so they are never read. A `<meta>` whose quotes broke (an unescaped `"` in
its content, real tabnak 2018) gives nothing: its content is cut short and the rest of it became
junk attributes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.query import Query

_JSON_LD = Query(markup.JSON_LD)


@dataclass
class PageMetadata:
    json_ld: dict[str, Any] = field(default_factory=dict)  # the NewsArticle object, {} when none
    metas: dict[str, str] = field(default_factory=dict)  # name or property -> content
    broken: list[str] = field(default_factory=list)  # names of metas whose attributes broke

    def meta(self, name: str) -> str | None:
        value = self.metas.get(name, "").strip()
        return value or None

    def ld(self, *keys: str) -> str | None:
        for key in keys:
            value = self.json_ld.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None


def _news_article(data: object) -> dict[str, Any]:
    """The first NewsArticle-like object in a JSON-LD document (a dict, a list, or an @graph)."""
    stack = [data]
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in markup.JSON_LD_TYPES for k in kinds):
                return node
            if "@graph" in node:
                stack.append(node["@graph"])
    return {}


def read_metadata(page: HtmlElement) -> PageMetadata:
    result = PageMetadata()
    for script in _JSON_LD.all(page):
        try:
            found = _news_article(json.loads(script.text or "", strict=False))
        except ValueError:
            continue  # a broken JSON-LD block is no source
        if found:
            result.json_ld = found
            break
    head = page.find("head")
    for meta in (head if head is not None else page).iter("meta"):
        name = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if not name or name in result.metas:
            continue
        if any(a not in markup.META_ATTRIBUTES and not a.startswith("data-") for a in meta.keys()):
            result.broken.append(name)
            result.metas[name] = ""  # taken, and worth nothing
            continue
        result.metas[name] = meta.get("content") or ""
    return result
