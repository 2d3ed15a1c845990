"""Which markup generation a page is in, and each generation's selectors, compiled once.

A site's own generations (its profile's `generations`) are tried first, then the CMS's
(`markup.GENERATIONS`), each by its `detect` selector on the page's article column. A page none of
them detects is read with every alternative the family knows, as one selector list per field
(`markup.merged`): the site's, the CMS's, and those of the CMS's other sites, which the registry
passes in (`newscrawl.sites.profiles.family_generations`): a site that moves to a sister site's
theme still reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from newscrawl.sites.iransamaneh import markup as cms
from newscrawl.sites.iransamaneh.markup import Markup
from newscrawl.sites.profiles import SiteProfile
from newscrawl.sites.query import Query


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

    def __init__(self, markup: Markup) -> None:
        self.markup = markup
        for name in ("article_root", "title", "supertitle", "lead", "body", "album", "lead_image",
                     "path_links", "tag_links", "tags_text", "short_link", "not_found"):
            setattr(self, name, Query(getattr(markup, name)))

    @classmethod
    def of(cls, markup: Markup) -> Selectors:
        if markup not in cls._cache:
            cls._cache[markup] = cls(markup)
        return cls._cache[markup]


@dataclass(frozen=True)
class SiteMarkup:
    """A site's generations, ready to detect: (detect query, markup) in order, the column they are
    detected in, and the markup of a page none detects (every alternative the family knows)."""

    detect: tuple[tuple[Query, Markup], ...]
    column: Query
    unknown: Markup


_SITE_MARKUP: dict[tuple[tuple[Markup, ...], tuple[Markup, ...]], SiteMarkup] = {}


def site_markup(profile: SiteProfile, family: tuple[Markup, ...] = ()) -> SiteMarkup:
    """The site's generations to detect, and the markup of a page none detects: read with every
    alternative of the site, its CMS and `family` (the generations of the CMS's other sites)."""
    key = (profile.generations, family)  # a profile made by replace() with other generations gets its own
    if key not in _SITE_MARKUP:
        generations = (*profile.generations, *cms.GENERATIONS)
        unknown = cms.merged((*generations, *family))
        _SITE_MARKUP[key] = SiteMarkup(tuple((Query(m.detect), m) for m in generations),
                                       Query(unknown.article_root), unknown)
    return _SITE_MARKUP[key]


def detect_generation(page: HtmlElement, profile: SiteProfile, family: tuple[Markup, ...] = ()) -> Markup:
    """The markup generation of a page of the site, told by the markup of its article column (the
    whole page when it has none); every alternative the family knows when no generation matches."""
    known = site_markup(profile, family)
    column = known.column.first(page)
    column = page if column is None else column
    for query, markup in known.detect:
        if query.first(column) is not None:
            return markup
    return known.unknown
