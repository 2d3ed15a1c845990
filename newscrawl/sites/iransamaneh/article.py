"""IranSamaneh article page -> Article. Pure: (html, url) in, item out, no Scrapy machinery.

The parser reads the article's metadata and hands the raw `div.body` (plus a photo page's album) to
the boilerplate pipeline as `body_html`. Problems that make the item unfit for the dataset (no body,
an unreadable date, a truncated page) are recorded in `defects`; the validation pipeline quarantines
them with those reasons. A page that is no article at all raises NotAnArticle.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from parsel import Selector

from newscrawl.items import Article, Comment
from newscrawl.sites.errors import NotAnArticle
from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.iransamaneh.urls import absolute, article_url, news_id_from_url
from newscrawl.sites.profiles import PROFILES, SiteProfile, profile_for_url
from newscrawl.text import DateParseError, parse_jalali, to_ascii_digits

PARSER_RELEASE = "1"  # bump when extraction changes what it outputs for the same markup

_DIGITS = re.compile(r"\d+")
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)


def _first(scope: Selector, selectors: tuple[str, ...] | str) -> Selector | None:
    for css in (selectors,) if isinstance(selectors, str) else selectors:
        found = scope.css(css)
        if found:
            return found[0]
    return None


def _text(node: Selector | None) -> str | None:
    """All text under a node, whitespace collapsed; None when there is none."""
    if node is None:
        return None
    text = " ".join(node.xpath("string()").get("").split())
    return text or None


def _own_text(node: Selector | None) -> str | None:
    """The node's own text nodes only: skips the label span and any other child element."""
    if node is None:
        return None
    text = " ".join(" ".join(node.xpath("text()").getall()).split())
    return text or None


def _int(text: str | None) -> int | None:
    match = _DIGITS.search(to_ascii_digits(text)) if text else None
    return int(match.group()) if match else None


def _date(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(ISO instant, Jalali ISO, layout) of a date text; Nones when it does not parse."""
    if not text:
        return None, None, None
    try:
        stamp = parse_jalali(text)
    except DateParseError:
        return None, None, None
    return stamp.iso, stamp.jalali_iso, stamp.layout


def _tags(root: Selector) -> list[str]:
    tags: list[str] = []
    for selector in markup.TAG_LINKS:
        tags = [t for t in (_text(a) for a in root.css(selector)) if t]
        if tags:
            break
    else:
        text = _text(_first(root, markup.TAGS_TEXT)) or ""
        text = text.replace(markup.TAGS_LABEL, "").strip(" :")
        tags = [t.strip() for t in text.split("،") if t.strip()]
    return list(dict.fromkeys(tags))


def _comments(root: Selector) -> list[Comment]:
    comments: list[Comment] = []
    for item in root.css(markup.COMMENT):
        replies = item.css(markup.COMMENT_REPLY)
        own_text = item.css(markup.COMMENT_TEXT)
        own_text = [t for t in own_text if not t.xpath(f"ancestor::*[contains(@class,'comm_answer')]")]
        parent = len(comments)
        comments.append(Comment(
            author=_text(_first(item, markup.COMMENT_AUTHOR)),
            published_at=_date(_text(_first(item, markup.COMMENT_DATE)))[0],
            text=_text(own_text[0]) if own_text else "",
            reply_to=None,
        ))
        for reply in replies:
            comments.append(Comment(
                author=_text(_first(reply, markup.REPLY_AUTHOR)),
                published_at=_date(_text(_first(reply, markup.REPLY_DATE)))[0],
                text=_text(_first(reply, markup.COMMENT_TEXT)) or "",
                reply_to=parent,
            ))
    return [c for c in comments if c["text"]]


def parse_article(
    html: str, url: str | None = None, *, site: str | None = None, crawled_at: datetime | None = None
) -> Article:
    """Parse one article page. `url` is where it was fetched from (it may be a mirror or None);
    `site` names the profile when the URL cannot tell it."""
    profile: SiteProfile = PROFILES[site] if site else profile_for_url(url)
    page = Selector(text=html)
    root = _first(page, markup.ARTICLE_ROOT) or page
    title = _text(_first(root, markup.TITLE))
    id_text = _text(_first(root, markup.NEWS_ID))
    if title is None and id_text is None:
        if page.css(markup.NOT_FOUND):
            raise NotAnArticle("the CMS's not-found page (div.error_container): the article does not exist")
        raise NotAnArticle("no article markup: the page has neither a headline nor a news id")

    defects: list[str] = []
    page_id, url_id = _int(id_text), news_id_from_url(url)
    if page_id and url_id and page_id != url_id:
        defects.append(f"news_id: the page says {page_id} but its URL says {url_id}")
    news_id = page_id or url_id

    published_raw = _own_text(_first(root, markup.PUBLISHED))
    published_at, published_jalali, layout = _date(published_raw)
    if published_raw and not published_at:
        try:
            parse_jalali(published_raw)
        except DateParseError as exc:
            defects.append(f"published_at: {exc}")
    if not _HTML_END.search(html[-4096:]):
        defects.append("page is truncated: it ends before </html>")

    body = root.css(markup.BODY)
    if not body:
        defects.append("body: the page has no div.body")
    content = [body[0].get()] if body else []
    album = root.css(markup.ALBUM)
    if album and not album[0].xpath(f"ancestor::div[contains(concat(' ', @class, ' '), ' body ')]"):
        content.append(album[0].get())

    path = [t for t in (_text(a) for a in root.css(markup.PATH_LINKS)) if t]
    lead_image = _first(root, markup.LEAD_IMAGE)
    short_link = _first(root, markup.SHORT_LINK)
    generation = markup.GENERATION_BY_DATE_LAYOUT.get(layout or "", "unknown")
    crawled = (crawled_at or datetime.now(timezone.utc)).astimezone(timezone.utc)

    return Article(
        site=profile.name,
        news_id=news_id,
        url=article_url(profile, news_id) if news_id else None,
        title=title,
        supertitle=_text(_first(root, markup.SUPERTITLE)),
        lead=_text(_first(root, markup.LEAD)),
        published_at=published_at,
        published_at_jalali=published_jalali,
        published_raw=published_raw,
        service=path[0] if path else None,
        category=path[1] if len(path) > 1 else None,
        tags=_tags(root),
        lead_image=absolute(profile, lead_image.attrib.get("data-src") or lead_image.attrib.get("src"))
        if lead_image is not None else None,
        comments=_comments(root),
        short_url=absolute(profile, short_link.attrib.get("href")) if short_link is not None else None,
        crawled_at=crawled.strftime("%Y-%m-%dT%H:%M:%SZ"),
        parser_version=f"{profile.cms}/{PARSER_RELEASE}:{generation}",
        body_html="\n".join(content) or None,
        source_url=url,
        defects=defects,
    )
