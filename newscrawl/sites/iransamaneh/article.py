"""IranSamaneh article page -> the finished Article. Pure: (html, url) in, item out, no Scrapy.

One step: the parser detects the page's markup generation (the site's `generations`, then the CMS's
`markup.GENERATIONS`; else `markup.GENERIC`: generations.py), finds its article root, reads every
field with that generation's selectors where the generation says (the root; the whole page for its
`page_fields`; the root, else the page, for its `page_fallback`), and cleans the body from the
elements it holds. Each field is read
by its own function; one that raises becomes a defect naming that field, and every other field still
comes out (`strict=True`, for debugging a site's readers: the exception is raised instead, as Fundus's
error_handling="raise"). Problems that make the item unfit for the dataset (no body, an unreadable date, a
truncated page) are `defects`, which the validation pipeline quarantines; a page that is no article
at all raises NotAnArticle.

Every field comes from the best source the page has, in priority order (for the date, the
generation's `date_sources`), and `field_sources` says
which one gave it: the visible markup first (the toolbar for the id and date), page metadata second
(JSON-LD `NewsArticle`, `article:published_time`, `og:url` / `dc.identifier`, `og:image`,
`meta description`), the URL last. When two sources disagree the item says so, by this rule:
- news id: the toolbar, `og:url` / `dc.identifier` and the URL must agree; any difference is a
  defect (the page is not the article that was asked for, or contradicts itself);
- publish date: toolbar vs JSON-LD `datePublished` / `article:published_time`: more than a minute
  apart is a warning (the toolbar's value is kept), more than a day apart a defect; a toolbar
  Gregorian copy (`en_date`) of another day is a warning; an unreadable toolbar date is a defect
  when no other source has a date, else a warning and the next source gives it;
- headline: `h1` vs JSON-LD `headLine` differing (after text normalization) is a warning, unless
  one holds the other (real tabnak: `headLine` is the first of the h1's «/»-separated headlines).
Warnings do not stop an article; they are counted per field in the run's stats and report.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from parsel import Selector

from newscrawl.exceptions import NotAnArticle
from newscrawl.items import Article, utc_stamp
from newscrawl.sites.iransamaneh import markup as cms
from newscrawl.sites.iransamaneh.body import clean_body, related_in_blocks
from newscrawl.sites.iransamaneh.comments import comments_in
from newscrawl.sites.iransamaneh.generations import Selectors, article_root, detect_generation
from newscrawl.sites.iransamaneh.markup import Markup
from newscrawl.sites.iransamaneh.metadata import PageMetadata, read_metadata
from newscrawl.sites.iransamaneh.toolbar import ToolbarValue, in_site_clock, read_toolbar
from newscrawl.sites.iransamaneh.urls import absolute, article_url, news_id_from_url
from newscrawl.sites.iransamaneh.values import DateValue, node_text, read_date
from newscrawl.sites.profiles import SiteProfile
from newscrawl.sites.query import Query
from newscrawl.sites.topics import ids_from_link
from newscrawl.text import fold, normalize_text, to_ascii_digits
from newscrawl.text.jalali import TEHRAN

PARSER_RELEASE = "3"  # bump when extraction changes what it outputs for the same markup

_DIGITS = re.compile(r"\d+")
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
DATE_AGREEMENT_SECONDS = 60
DATE_DEFECT_SECONDS = 24 * 3600


_XML_DECLARATION = re.compile(r"[\s\ufeff]*<\?xml\s")  # parsel's test: such a text is parsed as XML
_LEADING_BLANKS = re.compile(r"[ \t\n\r]*<")  # what libxml2 skips before the first tag
# A class, not the literal: `"\x00" in text` restarts at every ASCII character of a Persian text (the
# zero high byte of its UTF-16 unit), three times slower.
_NUL = re.compile("[\x00]")
_PARSERS = threading.local()  # an lxml parser is used by one thread at a time


def _stripped(html: str) -> str:
    """The text parsel parses (stripped, no NUL), or the page's text itself when that gives the same
    tree: libxml2 skips blanks before the first tag and reads nothing after `</html>`, and copying a
    200 KB text to strip a final newline costs more than a tenth of the parse."""
    if _LEADING_BLANKS.match(html) and not _NUL.search(html):
        end = html.rfind("</html>")
        if end >= 0 and (end + 7 == len(html) or html[end + 7:].isspace()):
            return html
    return html.strip().replace("\x00", "")


def parse_html(html: str) -> HtmlElement:
    """The page's tree, as parsel's `Selector(text=html).root` makes it: the text stripped, without NUL
    characters, parsed by lxml.html's parser (recover, huge_tree). The text goes to lxml as it is, not
    encoded to UTF-8 bytes first as parsel does (that copy cost ~0.3 ms of a 1.5 ms parse of a
    200 KB page; the tree is the same: tests/test_parse_html.py). A text parsel reads otherwise
    (JSON, an XML declaration) or one lxml refuses as text, or parses with a fatal error, goes through
    parsel."""
    text = _stripped(html)
    if _LEADING_BLANKS.match(text) and not _XML_DECLARATION.match(html):  # never JSON; parsel's HTML
        parser = getattr(_PARSERS, "html", None)
        if parser is None:
            parser = _PARSERS.html = lxml.html.HTMLParser(recover=True, huge_tree=True)
        root: HtmlElement | None
        try:
            root = etree.fromstring(text, parser=parser)
        except (ValueError, etree.XMLSyntaxError):  # e.g. an encoding declaration in a text
            root = None
        # A fatal error (a lone surrogate: parsel's encoding raises on it) is left to parsel too.
        if root is not None and not parser.error_log.filter_from_fatals():
            return root
    parsed: HtmlElement = Selector(text=html).root
    return parsed


def _scopes(field: str, page: HtmlElement, root: HtmlElement, markup: Markup) -> tuple[HtmlElement, ...]:
    """Where a field is read: the root; the whole page for the generation's `page_fields`; the root,
    then the page, for its `page_fallback`."""
    if root is page or field in markup.page_fields:
        return (page,)
    if field in markup.page_fallback:
        return (root, page)
    return (root,)


@dataclass
class _Page:
    html: str
    url: str | None
    profile: SiteProfile
    page: HtmlElement
    root: HtmlElement
    q: Selectors
    toolbar: dict[str, ToolbarValue]
    meta: PageMetadata

    @property
    def markup(self) -> Markup:
        return self.q.markup

    def scopes(self, field: str) -> tuple[HtmlElement, ...]:
        return _scopes(field, self.page, self.root, self.markup)

    def first(self, field: str, query: Query) -> HtmlElement | None:
        for scope in self.scopes(field):
            if (found := query.first(scope)) is not None:
                return found
        return None

    def all(self, field: str, query: Query) -> list[HtmlElement]:
        for scope in self.scopes(field):
            if found := query.all(scope):
                return found
        return []


def _int(text: str | None) -> int | None:
    match = _DIGITS.search(to_ascii_digits(text)) if text else None
    return int(match.group()) if match else None


def _iso_date(text: str | None) -> datetime | None:
    """An ISO 8601 instant with an offset (JSON-LD datePublished), in Tehran time; None otherwise."""
    try:
        value = datetime.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None
    return value.astimezone(TEHRAN) if value is not None and value.utcoffset() is not None else None


def _source(item: Article, name: str, source: str) -> None:
    if getattr(item, name):
        item.field_sources[name] = source


# ---- The fields, one function each: (page, item) -> None, filling the item ----

def read_news_id(p: _Page, item: Article) -> None:
    toolbar = p.toolbar.get("news_id")
    page_id = _int(toolbar.value) if toolbar else None
    meta_ids = {name: news_id_from_url(p.meta.meta(name)) for name in cms.META_ID_URLS}
    meta_ids = {name: value for name, value in meta_ids.items() if value}
    url_id = news_id_from_url(p.url)
    candidates = [("toolbar", page_id), *meta_ids.items(), ("url", url_id)]
    found = [(source, value) for source, value in candidates if value]
    if not found:
        return
    source, news_id = found[0]
    item.news_id = news_id
    item.field_sources["news_id"] = source
    for other, value in found[1:]:
        if value != news_id:
            item.defects.append(f"news_id: the {source} says {news_id} but the {other} says {value}")
            break
    item.url = article_url(p.profile, news_id)


def _gregorian_day(text: str | None) -> date | None:
    """The toolbar's Gregorian copy of the date (tabnak's en_date «21 July 2018»), or None."""
    try:
        return datetime.strptime(" ".join(text.split()), "%d %B %Y").date() if text else None
    except ValueError:
        return None


def _css_date(p: _Page) -> tuple[str | None, DateValue | None]:
    """The generation's date element (`date_css`; never the site clock): its `date_attr`, else the
    `datetime` / `content` it carries, else its text. (raw, value) of the first that reads, else of
    the first there is."""
    if p.q.date_css is None:
        return None, None
    first: tuple[str | None, DateValue | None] = (None, None)
    for scope in p.scopes("published_at"):
        for el in p.q.date_css.all(scope):
            if in_site_clock(el, p.markup):
                continue
            attr = p.markup.date_attr
            for raw in filter(None, [el.get(attr)] if attr else [el.get("datetime"), el.get("content"), node_text(el)]):
                value = read_date(raw, p.markup.date_layout)
                if value.iso:
                    return raw, value
                first = first if first[0] else (raw, value)
        if first[0]:
            return first
    return first


def _meta_date(text: str | None) -> DateValue:
    """article:published_time: Jalali on this CMS («۱۳۹۷/۰۴/۳۰ - ۰۰:۲۰»), else ISO; a value whose
    rest does not read still gives its first part, the date (what 22 sites' scrapers keep)."""
    value = read_date(text, "jalali")
    if value.iso is None and text and text.split():
        head = read_date(text.split()[0], "jalali")
        if head.iso:
            return head
    return value


def read_published(p: _Page, item: Article) -> None:
    """The date from the generation's `date_sources`, in order (the toolbar's, JSON-LD datePublished,
    article:published_time, the `date_css` element). Each other source that has a date is checked
    against the chosen one (the rule in the module docstring); a source that gives the day only
    yields to a later one with the time of that day."""
    # (source, raw, value), by priority
    found: list[tuple[str, str | None, DateValue]] = []
    unreadable: list[tuple[str, str, str]] = []  # (source, raw, error)
    toolbar = p.toolbar.get("published")
    for source in p.markup.date_sources:
        raw: str | None
        if source == "toolbar":
            raw = toolbar.value if toolbar is not None else None
            value = read_date(raw, p.markup.date_layout)
        elif source == "jsonld":
            raw = p.meta.ld("datePublished")
            ld_date = _iso_date(raw)
            value = DateValue.of(ld_date) if ld_date is not None else DateValue()
            source = "jsonld"
        elif source == "meta":
            raw = p.meta.meta(cms.META_PUBLISHED)
            value = _meta_date(raw)
            source = "article:published_time"
        else:
            raw, css_value = _css_date(p)
            value = css_value or DateValue()
            source = "date_css"
        if value.iso:
            found.append((source, raw, value))
        elif raw and value.error and source in ("toolbar", "date_css"):
            unreadable.append((source, raw, value.error))
    for source, raw, error in unreadable:
        if not found:
            item.published_raw = raw
            item.defects.append(f"published_at: {error}" if source == "toolbar"
                                else f"published_at: the {source} element: {error}")
            return
        what = "the toolbar's date" if source == "toolbar" else f"the {source} element's date"
        item.warnings.append(f"published_at: {what} is unreadable ({error}); the {found[0][0]} gave it")
    if not found:
        return
    chosen = found[0]
    if not chosen[2].has_time:
        chosen = next((f for f in found[1:] if f[2].has_time and f[2].day == chosen[2].day), chosen)
    source, item.published_raw, value = chosen
    item.published_at, item.published_at_jalali = value.iso, value.jalali
    item.field_sources["published_at"] = source
    if not value.has_time:
        item.warnings.append(f"published_at: the {source} gives the day only ({item.published_raw!r}): "
                             "read as 00:00 Tehran time")
    instant = datetime.fromisoformat(value.iso or "")
    for other, _, other_value in found:
        if other == source or other_value.iso is None:
            continue
        if not (value.has_time and other_value.has_time):  # a day only: the same day agrees
            if other_value.day == value.day:
                continue
        apart = abs((datetime.fromisoformat(other_value.iso) - instant).total_seconds())
        message = f"published_at: the {source} says {value.iso} but the {other} says {other_value.iso}"
        if apart > DATE_DEFECT_SECONDS:
            item.defects.append(message)
        elif apart > DATE_AGREEMENT_SECONDS:
            item.warnings.append(message)
    aside = toolbar.aside if toolbar is not None else None
    gregorian = _gregorian_day(aside)
    if aside is not None and gregorian is not None and gregorian != instant.date():
        item.warnings.append(f"published_at: the toolbar's Gregorian date {aside.strip()!r} is not "
                             f"the day of {item.published_at}")


def read_title(p: _Page, item: Article) -> None:
    item.title = node_text(p.first("title", p.q.title))
    headline = p.meta.ld("headLine", "headline")
    if item.title:
        item.field_sources["title"] = "markup"
        ours, theirs = normalize_text(item.title), normalize_text(headline or "")
        if theirs and theirs not in ours and ours not in theirs:
            item.warnings.append(f"title: the page's h1 and JSON-LD headLine differ ({headline!r})")
    elif headline:
        item.title = " ".join(headline.split())
        item.field_sources["title"] = "jsonld"


def read_supertitle(p: _Page, item: Article) -> None:
    # JSON-LD alternativeHeadline is not used: on the real tabnak page it is the body's first
    # subhead, not the rutitr.
    item.supertitle = node_text(p.first("supertitle", p.q.supertitle))
    _source(item, "supertitle", "markup")


def read_lead(p: _Page, item: Article) -> None:
    item.lead = node_text(p.first("lead", p.q.lead))
    _source(item, "lead", "markup")
    if not item.lead and (description := p.meta.meta(cms.META_DESCRIPTION)):
        item.lead = " ".join(description.split())
        _source(item, "lead", "meta:description")


def _at(texts: list[str], index: int | None) -> str | None:
    if index is None or not -len(texts) <= index < len(texts):
        return None
    return texts[index]


def read_path(p: _Page, item: Article) -> None:
    """The service and the category: their own elements (`service`, `category`) when the generation
    names them, else the path's links at `path_service_index` / `path_category_index`, after the
    links that are no section (`path_skip_texts`). A service element that is one of the path's links
    (jamejamonline's a.service-name-news after «صفحه نخست») makes the next link the category."""
    links = [(a, t) for a in p.all("path", p.q.path_links)
             if (t := node_text(a)) and fold(t) not in p.q.path_skip_texts]
    path = [t for _, t in links]
    item.service = _at(path, p.markup.path_service_index)
    item.category = _at(path, p.markup.path_category_index)
    service = p.first("path", p.q.service) if p.q.service is not None else None
    if service is not None and (text := node_text(service)):
        item.service = text
        at = next((i for i, (a, _) in enumerate(links) if a is service), None)
        if at is not None:
            item.category = _at(path, at + 1)
    category = p.first("path", p.q.category) if p.q.category is not None else None
    if category is not None and (text := node_text(category)):
        item.category = text
    _section_ids(item, links, {"service": service, "category": category})
    _source(item, "service", "markup")
    _source(item, "category", "markup")


def _section_ids(item: Article, links: list[tuple[HtmlElement, str]], own: dict[str, HtmlElement | None]) -> None:
    """The ids the service's and the category's archive links carry (/fa/archive?service_id=24&cat_id=77:
    the category's link names both), for the topic (newscrawl.sites.topics). Each link is the element
    its text came from: its own element, else the path's link with that text (the category's after
    the service's: yjc's «یزد » یزد»)."""
    start = 0
    for kind, text in (("service", item.service), ("category", item.category)):
        if not text:
            continue
        element = own[kind] if own[kind] is not None and node_text(own[kind]) == text else None
        if element is None:
            at = next((i for i in range(start, len(links)) if links[i][1] == text), None)
            if at is None:
                continue
            element, start = links[at][0], at + 1
        service_id, cat_id = ids_from_link(element.get("href"))
        if service_id is not None:
            item.section_ids["service_id"] = service_id
        if kind == "category" and cat_id is not None:
            item.section_ids["cat_id"] = cat_id


def read_tags(p: _Page, item: Article) -> None:
    tags = [t for t in map(node_text, p.all("tags", p.q.tag_links)) if t]
    if not tags:
        text = node_text(p.first("tags", p.q.tags_text)) or ""
        text = text.replace(cms.TAGS_LABEL, "").strip(" :")
        tags = [t.strip() for t in text.split("،") if t.strip()]
    item.tags = list(dict.fromkeys(tags))
    _source(item, "tags", "markup")


def read_lead_image(p: _Page, item: Article) -> None:
    image = p.first("lead_image", p.q.lead_image)
    if image is not None:
        item.lead_image = absolute(p.profile, image.get("data-src") or image.get("src"))
        _source(item, "lead_image", "markup")
    if not item.lead_image:
        item.lead_image = absolute(p.profile, p.meta.meta(cms.META_IMAGE))
        _source(item, "lead_image", "og:image")


def read_short_url(p: _Page, item: Article) -> None:
    """The short link's `short_link_attr` (`href`); an <input>'s `value` (tabnak 2023 `input#foo`)."""
    link = p.first("short_url", p.q.short_link)
    if link is None:
        item.short_url = None
    else:
        attr = "value" if link.tag == "input" else p.markup.short_link_attr
        item.short_url = absolute(p.profile, link.get(attr))
    _source(item, "short_url", "markup")


def read_comments(p: _Page, item: Article) -> None:
    item.comments = next((found for scope in p.scopes("comments") if (found := comments_in(scope, p.q))), [])


def _in_body(el: HtmlElement) -> bool:
    return any("body" in (a.get("class") or "").split() for a in el.iterancestors("div"))


def _body_parts(p: _Page) -> list[HtmlElement]:
    """The body's elements: the first `body` match; with `body_parts`, every match in document order
    (jamejamonline 2023: div.text-justify, p[style], section.body), none inside another."""
    if not p.markup.body_parts:
        first = p.q.body.first(p.root)
        return [] if first is None else [first]
    parts: list[HtmlElement] = []
    for el in p.q.body.all(p.root):
        if not any(a in parts for a in el.iterancestors()):
            parts.append(el)
    return parts


def read_body(p: _Page, item: Article) -> None:
    """The body, cleaned from the page's own elements (moved out of the tree: read last), and the
    related articles: the body's «بیشتر بخوانید» links, then the family's related-news block."""
    blocks = next((found for scope in p.scopes("related")
                   if (found := related_in_blocks(scope, p.q.related, item.news_id))), [])
    parts = _body_parts(p)
    if not parts:
        item.defects.append(f"body: the page has no {p.markup.body}")
        item.related = blocks
        return
    album = p.q.album.first(p.root)
    if album is not None and not _in_body(album) and not any(a in parts for a in album.iterancestors()):
        parts.append(album)
    wrapper = p.page.makeelement("div")
    for part in parts:
        part.tail = None
        wrapper.append(part)  # moves it: nothing reads the page after the body
    content = clean_body(wrapper, p.profile, item.news_id, p.q.drop)
    item.body = content.text or None
    item.images, item.videos, item.blocks = content.images, content.videos, content.blocks
    item.related = content.related + [r for r in blocks if all(r["news_id"] != o["news_id"] for o in content.related)]
    _source(item, "body", "markup")


# In order; the body comes last because cleaning it takes its elements out of the page.
FIELD_READERS: dict[str, Callable[[_Page, Article], None]] = {
    "news_id": read_news_id,
    "published_at": read_published,
    "title": read_title,
    "supertitle": read_supertitle,
    "lead": read_lead,
    "category": read_path,
    "tags": read_tags,
    "lead_image": read_lead_image,
    "short_url": read_short_url,
    "comments": read_comments,
    "body": read_body,
}


def readers(profile: SiteProfile) -> dict[str, Callable[[_Page, Article], None]]:
    """The field readers for a site: the CMS's, with any the site replaces (one function per field)."""
    unknown = set(profile.field_readers) - set(FIELD_READERS)
    if unknown:
        raise ValueError(f"{profile.name}: field_readers names no field of the CMS: {sorted(unknown)}")
    return {**FIELD_READERS, **profile.field_readers}


def _toolbar(page: HtmlElement, root: HtmlElement, markup: Markup) -> dict[str, ToolbarValue]:
    """The toolbar's news id and date, each where the generation reads it (root, page, or root then
    page)."""
    in_root = read_toolbar(root, markup)
    wanted = {kind for kind, field in (("news_id", "news_id"), ("published", "published_at"))
              if page in _scopes(field, page, root, markup) and (field in markup.page_fields or kind not in in_root)}
    if root is page or not wanted:
        return in_root
    on_page = read_toolbar(page, markup)
    found = {kind: value for kind, value in in_root.items() if kind not in wanted}
    found.update({kind: value for kind, value in on_page.items() if kind in wanted})
    return found


def parse_article(html: str, url: str | None = None, *, profile: SiteProfile,
                  crawled_at: datetime | None = None, strict: bool = False) -> Article:
    """Parse one article page of the site `profile`. `url` is where it was fetched from (it may be a
    mirror or None). A page none of the site's generations detects, and any page of a site with no
    generations (a host no profile names), is read with the CMS's generic reader.
    `strict`: a field reader's exception is raised, not turned into a defect naming the field."""
    page = parse_html(html)  # parsel's parser setup; lxml elements from here on
    markup = detect_generation(page, profile)
    q = Selectors.of(markup)
    root = article_root(page, q)
    root = page if root is None else root
    toolbar = _toolbar(page, root, markup)
    if "news_id" not in toolbar and all(q.title.first(s) is None for s in _scopes("title", page, root, markup)):
        if q.not_found.first(page) is not None:
            raise NotAnArticle("the CMS's not-found page (div.error_container): the article does not exist")
        raise NotAnArticle("no article markup: the page has neither a headline nor a news id")

    item = Article(site=profile.name, news_id=None, url=None, source_url=url,
                   crawled_at=utc_stamp(crawled_at),
                   parser_version=f"{profile.cms}/{PARSER_RELEASE}:{markup.generation}")
    try:
        meta = read_metadata(page)
    except Exception as exc:  # noqa: BLE001 - metadata is a second source; the markup still reads
        meta = PageMetadata()
        item.warnings.append(f"metadata: parser: {type(exc).__name__}: {exc}")
    item.warnings.extend(f"metadata: broken attributes in <meta {name}>, ignored" for name in meta.broken)
    p = _Page(html=html, url=url, profile=profile, page=page, root=root, q=q, toolbar=toolbar, meta=meta)
    for name, reader in readers(profile).items():
        try:
            reader(p, item)
        except Exception as exc:  # noqa: BLE001 - one bad field never sinks the article
            if strict:
                raise
            item.defects.append(f"{name}: parser: {type(exc).__name__}: {exc}")
    if not _HTML_END.search(html[-4096:]):
        item.defects.append("page: truncated, it ends before </html>")
    return item
