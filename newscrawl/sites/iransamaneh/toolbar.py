"""The article toolbar («کد خبر: ۹۱۷۵۱۲», «تاریخ انتشار: ۲۳:۵۵ - ۲۱-۰۸-۱۴۰۲»), read by label text and
content shape rather than by one class name, so that a theme that renames a class still reads.

An item is a news id when its label is one of the generation's `id_labels` («کد خبر» / «کد»; or,
unlabelled, its class is one of `id_item_classes`) and its value is digits only; it is the publish
date when its label is one of `date_labels` («تاریخ انتشار» / «انتشار»; or, unlabelled, its class is
one of `date_item_classes` or a toolbar `news_nav header_pdate`) and its value has a time and a
date. A label span that is empty or holds only an icon (bartarinha 2018, namehnews 2020) is no
label: the class tells. Classes are matched as tokens, so Bootstrap suffixes (`news_nav news_pdate_c
col-xs-36 pull-left`) change nothing. The site clock is never the date: the generation's
`site_clock_classes` (`update_date`, `today_date`, `last_update`, ...), «به روز شده در», and a
`header_pdate` that is no toolbar item (the header's) unless it carries the label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.sites.iransamaneh import markup as cms_markup
from newscrawl.sites.iransamaneh.markup import Markup
from newscrawl.sites.iransamaneh.values import text_content
from newscrawl.sites.query import Query
from newscrawl.text import fold, to_ascii_digits

_COLONS = str.maketrans({":": " ", "：": " "})  # a label reads the same with or without its colon
_ID_SHAPE = re.compile(r"^\d{1,10}$")
_TIME_SHAPE = re.compile(r"\d{1,2}\s*:\s*\d{2}")
_DATE_SHAPE = re.compile(r"\d{4}")
_LEADING_LABEL = re.compile(r"^([^\d۰-۹٠-٩]*?)\s*[:：]?\s*(?=[\d۰-۹٠-٩])")
_OWN_TEXT = etree.XPath("text()", regexp=False, smart_strings=False)


@dataclass(frozen=True)
class ToolbarValue:
    value: str        # the value text as printed (label and Gregorian copy removed)
    label: str | None  # the label as printed, folded, or None when the item has none
    how: str          # "label" or "class": what told this item apart
    aside: str | None = None  # the Gregorian copy beside a date (tabnak's en_date), as printed


def _fold_label(text: str) -> str:
    return fold(text.translate(_COLONS))


@cache
def _queries(markup: Markup) -> tuple[Query, etree.XPath, Query, Query, Query]:
    items, labels = Query(markup.toolbar_items), Query(markup.toolbar_labels)
    # Items by class, and every element that holds a label span, in document order; the items in one
    # scan per element name (four div classes: one scan of the divs).
    candidates = etree.XPath(" | ".join([*items.scans, *(f"{b}/.." for b in labels.branches)]), regexp=False)
    return Query(markup.toolbar), candidates, labels, Query(markup.toolbar_date_value), Query(markup.toolbar_aside)


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


_LINEAGE_CLASSES = etree.XPath("ancestor-or-self::*/@class", regexp=False, smart_strings=False)


def in_site_clock(el: HtmlElement, markup: Markup) -> bool:
    """Whether an element is (inside) the site's clock: the header's date, «به روز شده در»."""
    if any(markup.site_clock_classes.intersection(value.split()) for value in _LINEAGE_CLASSES(el)):
        return True
    return cms_markup.SITE_CLOCK_TEXT in _fold_label(text_content(el)[:200])


def _text(el: HtmlElement) -> str:
    return " ".join(text_content(el).split())


def _values(el: HtmlElement, label_el: HtmlElement | None, date_value: Query, asides: list[HtmlElement]) -> list[str]:
    """The item's value, by preference: a `.fa_date` inside it; its own text; all its text but the
    label and the Gregorian copy."""
    found = []
    inner = date_value.first(el)
    if inner is not None:
        found.append(_text(inner))
    found.append(" ".join(" ".join(_OWN_TEXT(el)).split()))
    # Held while the walk runs, so that the walk meets these very elements (an id is only an element's
    # while it lives).
    skipped = ([label_el] if label_el is not None else []) + asides
    skip = {id(x) for x in skipped}
    parts = []
    # Every node in document order (el.iter()), a skipped one's subtree passed over: a walk down from
    # `el`, not a look up every node's ancestors.
    stack: list[tuple[etree._Element, bool]] = [(el, False)]
    while stack:
        node, passed = stack.pop()
        if passed or id(node) in skip:
            if id(node) in skip and node.tail:
                parts.append(node.tail)
            passed = True
        else:
            if node is not el or node.text:
                parts.append(node.text or "")
            if node is not el and node.tail:
                parts.append(node.tail)
        stack.extend((child, passed) for child in reversed(node))
    found.append(" ".join("".join(parts).split()))
    return [v for v in found if v]


def _split_label(value: str) -> tuple[str | None, str]:
    """«کد خبر ۵۶۰۷» -> («کد خبر», «۵۶۰۷»): a label written as text before the value."""
    match = _LEADING_LABEL.match(value)
    if not match or not match.group(1).strip():
        return None, value
    return _fold_label(match.group(1)), value[match.end():].strip()


def _is_id(value: str) -> bool:
    return bool(_ID_SHAPE.match(to_ascii_digits(value).replace(" ", "")))


def _is_date(value: str) -> bool:
    ascii_value = to_ascii_digits(value)
    return bool(_TIME_SHAPE.search(ascii_value) and _DATE_SHAPE.search(ascii_value))


@cache
def _labels(labels: tuple[str, ...]) -> frozenset[str]:
    """A generation's labels as the page's are compared: folded, no colon."""
    return frozenset(_fold_label(label) for label in labels)


def _kind_by_label(label: str, markup: Markup) -> str | None:
    if label in _labels(markup.id_labels):
        return "news_id"
    if label in _labels(markup.date_labels):
        return "published"
    return None


def _kind_by_class(el: etree._Element, markup: Markup) -> str | None:
    classes = _classes(el)
    if classes.intersection(markup.id_item_classes):
        return "news_id"
    if classes.intersection(markup.date_item_classes) or {"news_nav", "header_pdate"} <= classes:
        return "published"
    return None  # a bare header_pdate is the header's clock


def read_toolbar(root: HtmlElement, markup: Markup) -> dict[str, ToolbarValue]:
    """The first news id and the first publish date the toolbar shows (desktop copy first): in the
    toolbar when the page has one, else (or for what it lacks) anywhere in the article column."""
    toolbar, candidates, labels, date_value, aside = _queries(markup)
    found: dict[str, ToolbarValue] = {}
    box = toolbar.first(root)
    for scope in ([box] if box is not None else []) + [root]:
        _read_items(candidates(scope), labels, date_value, aside, found, markup)
        if len(found) == 2:
            break
    return found


def _read_items(elements: Iterable[HtmlElement], labels: Query, date_value: Query, aside: Query,
                found: dict[str, ToolbarValue], markup: Markup) -> None:
    for el in elements:
        if len(found) == 2:
            break
        if in_site_clock(el, markup):
            continue
        label_el = labels.first(el)
        span_label = _fold_label(_text(label_el)) if label_el is not None else None
        asides = aside.all(el)  # the Gregorian copies: left out of the value, the first kept beside it
        for value in _values(el, label_el, date_value, asides):
            label, how = span_label, "label"
            if not label:  # no label span, or one holding only an icon
                label, value = _split_label(value)
            kind = _kind_by_label(label, markup) if label else None
            if kind is None and not span_label:
                kind, how, label = _kind_by_class(el, markup), "class", None
            if kind is None or kind in found:
                break
            if (kind == "news_id" and _is_id(value)) or (kind == "published" and _is_date(value)):
                gregorian = asides[0] if asides else None
                found[kind] = ToolbarValue(value=value, label=label, how=how,
                                           aside=None if gregorian is None else _text(gregorian))
                break
