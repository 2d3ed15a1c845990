"""IranSamaneh article page -> the finished Article. Pure: (html, url) in, item out, no Scrapy.

One step: the parser detects the page's markup generation (the site's `generations`, then the CMS's
`markup.GENERATIONS`: generations.py), reads every field
with that generation's selectors, and cleans the body from the element it holds. Each field is read
by its own function; one that raises becomes a defect naming that field, and every other field still
comes out (`strict=True`, for debugging a site's readers: the exception is raised instead, as Fundus's
error_handling="raise"). Problems that make the item unfit for the dataset (no body, an unreadable date, a
truncated page) are `defects`, which the validation pipeline quarantines; a page that is no article
at all raises NotAnArticle.

Every field comes from the best source the page has, in priority order, and `field_sources` says
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import jdatetime
from lxml.html import HtmlElement
from parsel import Selector

from newscrawl.exceptions import NotAnArticle
from newscrawl.items import Article, utc_stamp
from newscrawl.sites.iransamaneh import markup as cms
from newscrawl.sites.iransamaneh.body import clean_body
from newscrawl.sites.iransamaneh.comments import comments_in
from newscrawl.sites.iransamaneh.generations import Selectors, detect_generation
from newscrawl.sites.iransamaneh.markup import Markup
from newscrawl.sites.iransamaneh.metadata import PageMetadata, read_metadata
from newscrawl.sites.iransamaneh.toolbar import ToolbarValue, read_toolbar
from newscrawl.sites.iransamaneh.urls import absolute, article_url, news_id_from_url
from newscrawl.sites.iransamaneh.values import jalali_date, node_text
from newscrawl.sites.profiles import SiteProfile
from newscrawl.text import normalize_text, to_ascii_digits
from newscrawl.text.jalali import TEHRAN

PARSER_RELEASE = "2"  # bump when extraction changes what it outputs for the same markup

_DIGITS = re.compile(r"\d+")
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
DATE_AGREEMENT_SECONDS = 60
DATE_DEFECT_SECONDS = 24 * 3600


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


def read_published(p: _Page, item: Article) -> None:
    """The toolbar's date; else JSON-LD datePublished; else article:published_time. Each other
    source that has a date is checked against the chosen one (the rule in the module docstring)."""
    toolbar = p.toolbar.get("published")
    found: list[tuple[str, str | None, str, str | None]] = []  # (source, raw, ISO instant, Jalali ISO), by priority
    toolbar_error = None
    if toolbar is not None:
        iso, jalali, toolbar_error = jalali_date(toolbar.value)
        if iso:
            found.append(("toolbar", toolbar.value, iso, jalali))
    ld_text = p.meta.ld("datePublished")
    ld_date = _iso_date(ld_text)
    if ld_date is not None:
        jalali = jdatetime.datetime.fromgregorian(datetime=ld_date.replace(tzinfo=None))
        found.append(("jsonld", ld_text, ld_date.isoformat(), jalali.strftime("%Y-%m-%dT%H:%M:%S")))
    meta_text = p.meta.meta(cms.META_PUBLISHED)
    iso, jalali, _ = jalali_date(meta_text)
    if iso:
        found.append(("article:published_time", meta_text, iso, jalali))
    if toolbar is not None and toolbar_error:
        if not found:
            item.published_raw = toolbar.value
            item.defects.append(f"published_at: {toolbar_error}")
            return
        item.warnings.append(f"published_at: the toolbar's date is unreadable ({toolbar_error}); "
                             f"the {found[0][0]} gave it")
    if not found:
        return
    source, item.published_raw, item.published_at, item.published_at_jalali = found[0]
    item.field_sources["published_at"] = source
    chosen = datetime.fromisoformat(item.published_at)
    for other, _, other_iso, _ in found[1:]:
        apart = abs((datetime.fromisoformat(other_iso) - chosen).total_seconds())
        message = f"published_at: the {source} says {item.published_at} but the {other} says {other_iso}"
        if apart > DATE_DEFECT_SECONDS:
            item.defects.append(message)
        elif apart > DATE_AGREEMENT_SECONDS:
            item.warnings.append(message)
    aside = toolbar.aside if toolbar is not None else None
    day = _gregorian_day(aside)
    if aside is not None and day is not None and day != chosen.date():
        item.warnings.append(f"published_at: the toolbar's Gregorian date {aside.strip()!r} is not "
                             f"the day of {item.published_at}")


def read_title(p: _Page, item: Article) -> None:
    item.title = node_text(p.q.title.first(p.root))
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
    item.supertitle = node_text(p.q.supertitle.first(p.root))
    _source(item, "supertitle", "markup")


def read_lead(p: _Page, item: Article) -> None:
    item.lead = node_text(p.q.lead.first(p.root))
    _source(item, "lead", "markup")
    if not item.lead and (description := p.meta.meta(cms.META_DESCRIPTION)):
        item.lead = " ".join(description.split())
        _source(item, "lead", "meta:description")


def read_path(p: _Page, item: Article) -> None:
    path = [t for t in map(node_text, p.q.path_links.all(p.root)) if t]
    item.service = path[0] if path else None
    item.category = path[1] if len(path) > 1 else None
    _source(item, "service", "markup")
    _source(item, "category", "markup")


def read_tags(p: _Page, item: Article) -> None:
    tags = [t for t in map(node_text, p.q.tag_links.all(p.root)) if t]
    if not tags:
        text = node_text(p.q.tags_text.first(p.root)) or ""
        text = text.replace(cms.TAGS_LABEL, "").strip(" :")
        tags = [t.strip() for t in text.split("،") if t.strip()]
    item.tags = list(dict.fromkeys(tags))
    _source(item, "tags", "markup")


def read_lead_image(p: _Page, item: Article) -> None:
    image = p.q.lead_image.first(p.root)
    if image is not None:
        item.lead_image = absolute(p.profile, image.get("data-src") or image.get("src"))
        _source(item, "lead_image", "markup")
    if not item.lead_image:
        item.lead_image = absolute(p.profile, p.meta.meta(cms.META_IMAGE))
        _source(item, "lead_image", "og:image")


def read_short_url(p: _Page, item: Article) -> None:
    link = p.q.short_link.first(p.root)
    item.short_url = None if link is None else absolute(p.profile, link.get("href"))
    _source(item, "short_url", "markup")


def read_comments(p: _Page, item: Article) -> None:
    item.comments = comments_in(p.root)


def _in_body(el: HtmlElement) -> bool:
    return any("body" in (a.get("class") or "").split() for a in el.iterancestors("div"))


def read_body(p: _Page, item: Article) -> None:
    """The body, cleaned from the page's own elements (moved out of the tree: read last)."""
    body = p.q.body.first(p.root)
    if body is None:
        item.defects.append("body: the page has no div.body")
        return
    parts = [body]
    album = p.q.album.first(p.root)
    if album is not None and not _in_body(album):
        parts.append(album)
    wrapper = p.page.makeelement("div")
    for part in parts:
        part.tail = None
        wrapper.append(part)  # moves it: nothing reads the page after the body
    content = clean_body(wrapper, p.profile, item.news_id)
    item.body = content.text or None
    item.images, item.videos, item.related = content.images, content.videos, content.related
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


def parse_article(html: str, url: str | None = None, *, profile: SiteProfile,
                  crawled_at: datetime | None = None, family: tuple[Markup, ...] = (),
                  strict: bool = False) -> Article:
    """Parse one article page of the site `profile`. `url` is where it was fetched from (it may be a
    mirror or None). `family`: the generations of the CMS's other sites, which a page none of the
    site's generations detects is read with too (newscrawl.sites.parse_page passes the registry's).
    `strict`: a field reader's exception is raised, not turned into a defect naming the field."""
    page = Selector(text=html).root  # parsel's parser setup; lxml elements from here on
    markup = detect_generation(page, profile, family)
    q = Selectors.of(markup)
    root = q.article_root.first(page)
    root = page if root is None else root
    toolbar = read_toolbar(root, markup)
    if "news_id" not in toolbar and q.title.first(root) is None:
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
