"""Which markup generation a page is in, each generation's selectors compiled once, and the article
root a generation finds on a page.

A page of a site is read with the site's own generations (its profile's `generations`, then the CMS's
`markup.GENERATIONS`), each told by its `detect` selector searched per its `detect_scope` (the whole
page, or the generation's own article root); a page none of them detects, and every page of a site
with no generations (an unregistered host), is read with `markup.GENERIC`, the one hand-written
reader of the CMS's known forms. Nothing here looks at another site's profile: the cost of a page
does not grow with the number of registered sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.sites.iransamaneh import markup as cms
from newscrawl.sites.iransamaneh.markup import Markup
from newscrawl.sites.profiles import SiteProfile
from newscrawl.sites.query import Query, css_to_xpath
from newscrawl.text import fold


@dataclass(frozen=True)
class RelatedBlock:
    heading: Query
    text: str      # the heading's text, folded
    links: Query   # the link blocks that follow the heading


class Selectors:
    """A generation's selectors, compiled once."""

    _cache: dict[Markup, Selectors] = {}
    article_root: Query
    title: Query
    supertitle: Query
    lead: Query
    body: Query
    album: Query
    lead_image: Query
    path_links: Query
    tag_links: Query
    tags_text: Query
    short_link: Query
    not_found: Query
    comment: Query
    comment_author: Query
    comment_date: Query
    comment_text: Query
    reply: Query
    reply_author: Query
    reply_date: Query
    reply_text: Query

    def __init__(self, markup: Markup) -> None:
        self.markup = markup
        for name in ("article_root", "title", "supertitle", "lead", "body", "album", "lead_image",
                     "path_links", "tag_links", "tags_text", "short_link", "not_found", "comment",
                     "comment_author", "comment_date", "comment_text", "reply", "reply_author", "reply_date",
                     "reply_text"):
            setattr(self, name, Query(getattr(markup, name)))
        self.root_must_contain = Query(markup.root_must_contain or f"{markup.title}, {markup.body}")
        self.date_css = Query(markup.date_css) if markup.date_css else None
        self.service = Query(markup.service) if markup.service else None
        self.category = Query(markup.category) if markup.category else None
        self.drop = (etree.XPath(" | ".join(css_to_xpath(css) for css in markup.drop), regexp=False)
                     if markup.drop else None)
        self.related = tuple(RelatedBlock(Query(heading), fold(text), Query(links))
                             for heading, text, links in markup.related_blocks)
        self.path_skip_texts = frozenset(fold(t) for t in markup.path_skip_texts)

    @classmethod
    def of(cls, markup: Markup) -> Selectors:
        # By the markup's identity first: hashing a Markup hashes its fifty fields on every call.
        if (known := _SAME.get(id(markup))) is not None and known[0] is markup:
            same: Selectors = known[1]
            return same
        found = cls._cache.get(markup)
        if found is None:
            found = cls._cache[markup] = cls(markup)
        _remember(markup, found)
        return found


def article_root(page: HtmlElement, q: Selectors) -> HtmlElement | None:
    """The first `article_root` match that holds `root_must_contain` (the title or the body unless the
    generation says otherwise), in document order: an inline-style wrapper the sidebar shares is not
    taken for the article's. None when no match holds it."""
    first = q.article_root.first(page)
    if first is None:
        return None
    if q.root_must_contain.first(first) is not None:
        return first
    for candidate in q.article_root.all(page):
        if q.root_must_contain.first(candidate) is not None:
            return candidate
    return None


_SITE_MARKUP: dict[tuple[Markup, ...], tuple[tuple[Query, Markup], ...]] = {}
# id(key) -> (key, value) for the caches here: a lookup by identity, the key held so that its id stays its own.
_SAME: dict[int, tuple[object, Any]] = {}


def _remember(key: object, value: object) -> None:
    if len(_SAME) < 10_000:  # bounded: profiles made on the fly (tests, replace()) fall back to hashing
        _SAME[id(key)] = (key, value)


def site_generations(profile: SiteProfile) -> tuple[tuple[Query, Markup], ...]:
    """The site's generations to detect, in order: (detect query, markup). Cached by the generations
    themselves (a profile made by replace() with other generations gets its own)."""
    key = profile.generations
    if (known := _SAME.get(id(key))) is not None and known[0] is key:
        found: tuple[tuple[Query, Markup], ...] = known[1]
        return found
    if key not in _SITE_MARKUP:
        generations = (*profile.generations, *cms.GENERATIONS)
        _SITE_MARKUP[key] = tuple((Query(m.detect), m) for m in generations if m.detect)
    _remember(key, _SITE_MARKUP[key])
    return _SITE_MARKUP[key]


def detect_generation(page: HtmlElement, profile: SiteProfile) -> Markup:
    """The markup generation of a page of the site: the first of the site's generations whose
    `detect` matches (in the page, or in its own article root); `markup.GENERIC` when none does."""
    for query, markup in site_generations(profile):
        if markup.detect_scope == "root":
            scope = article_root(page, Selectors.of(markup))
            if scope is None:
                continue
        else:
            scope = page
        if query.first(scope) is not None:
            return markup
    return cms.GENERIC
