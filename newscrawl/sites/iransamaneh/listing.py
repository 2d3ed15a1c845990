"""IranSamaneh listings: which articles an archive page or a feed names, and the next archive page."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.iransamaneh.urls import news_id_from_url
from newscrawl.sites.profiles import SiteProfile
from newscrawl.sites.query import Query
from newscrawl.text import to_ascii_digits

_AREA_2014 = etree.XPath(markup.ARCHIVE_AREA_2014)
_QUERIES: dict[str, Query] = {}


@dataclass
class ListingPage:
    news_ids: list[int]      # in page order, each once
    next_href: str | None    # as written on the page (relative or absolute), None on the last page


def _unique_ids(hrefs: Iterable[str | None], profile: SiteProfile | None = None) -> list[int]:
    ids = (news_id_from_url(h, profile) for h in hrefs)
    return list(dict.fromkeys(i for i in ids if i))


def _query(css: str) -> Query:
    if css not in _QUERIES:
        _QUERIES[css] = Query(css)
    return _QUERIES[css]


def _on_last_page(page: etree._Element, pager_text: str | None) -> bool:
    """Whether the pager's text («صفحه ۳ از ۳») says this is the last page."""
    if not pager_text:
        return False
    match = re.search(pager_text, to_ascii_digits(" ".join(page.itertext())))
    return match is not None and int(match.group(1)) >= int(match.group(2))


def parse_archive(html: str, profile: SiteProfile | None = None) -> ListingPage:
    """The articles of an archive page, read from its list area only (never the ticker or sidebars),
    and its link to the next page (the site's pager, `markup.ARCHIVE_NEXT` by default). The area and
    its item links are the site's (`Archive.area`, `Archive.items`) or the CMS's."""
    archive = profile.archive if profile else None
    page = Selector(text=html).root
    area = _query(archive.area if archive and archive.area else markup.ARCHIVE_AREA).first(page)
    if area is None and not (archive and archive.area):
        found = _AREA_2014(page)
        area = found[0] if found else None
    if area is None:
        return ListingPage([], None)
    links = _query(archive.items if archive and archive.items else markup.ARCHIVE_ITEM_LINKS).all(area)
    next_link = _query(archive.next_link if archive else markup.ARCHIVE_NEXT).first(page)
    if archive and _on_last_page(page, archive.pager_text):
        next_link = None
    return ListingPage(_unique_ids((a.get("href") for a in links or area.iter("a")), profile),
                       None if next_link is None else next_link.get("href"))


def parse_feed(xml: str | bytes) -> list[int]:
    """The articles an RSS feed links to, in feed order, each once."""
    selector = Selector(body=xml if isinstance(xml, bytes) else xml.encode("utf-8"), type="xml")
    return _unique_ids(selector.xpath(markup.RSS_LINKS).getall())
