"""IranSamaneh listings: which articles an archive page or a feed names, and the next archive page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.iransamaneh.urls import news_id_from_url
from newscrawl.sites.profiles import SiteProfile
from newscrawl.sites.query import Query

_AREA = Query(markup.ARCHIVE_AREA)
_AREA_2014 = etree.XPath(markup.ARCHIVE_AREA_2014)
_ITEMS = Query(markup.ARCHIVE_ITEM_LINKS)
_NEXT: dict[str, Query] = {}


@dataclass
class ListingPage:
    news_ids: list[int]      # in page order, each once
    next_href: str | None    # as written on the page (relative or absolute), None on the last page


def _unique_ids(hrefs: Iterable[str | None]) -> list[int]:
    ids = (news_id_from_url(h) for h in hrefs)
    return list(dict.fromkeys(i for i in ids if i))


def _next_link(css: str) -> Query:
    if css not in _NEXT:
        _NEXT[css] = Query(css)
    return _NEXT[css]


def parse_archive(html: str, profile: SiteProfile | None = None) -> ListingPage:
    """The articles of an archive page, read from its list area only (never the ticker or sidebars),
    and its link to the next page (the site's pager, `markup.ARCHIVE_NEXT` by default)."""
    page = Selector(text=html).root
    area = _AREA.first(page)
    if area is None:
        found = _AREA_2014(page)
        area = found[0] if found else None
    if area is None:
        return ListingPage([], None)
    links = _ITEMS.all(area) or area.iter("a")
    next_link = _next_link(profile.archive.next_link if profile else markup.ARCHIVE_NEXT).first(page)
    return ListingPage(_unique_ids(a.get("href") for a in links),
                       None if next_link is None else next_link.get("href"))


def parse_feed(xml: str | bytes) -> list[int]:
    """The articles an RSS feed links to, in feed order, each once."""
    selector = Selector(body=xml if isinstance(xml, bytes) else xml.encode("utf-8"), type="xml")
    return _unique_ids(selector.xpath(markup.RSS_LINKS).getall())
