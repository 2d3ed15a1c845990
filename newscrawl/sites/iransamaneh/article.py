"""IranSamaneh article page -> Article. Pure: (html, url) in, item out, no Scrapy machinery.

The parser reads the article's metadata and hands the raw `div.body` (plus a photo page's album) to
the boilerplate pipeline as `body_html`. Problems that make the item unfit for the dataset (no body,
an unreadable date, a truncated page) are recorded in `defects`; the validation pipeline quarantines
them with those reasons. A page that is no article at all raises NotAnArticle.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import lxml.html
from lxml import etree
from parsel import Selector

from newscrawl.items import Article, Comment
from newscrawl.sites.errors import NotAnArticle
from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.iransamaneh.urls import absolute, article_url, news_id_from_url
from newscrawl.sites.profiles import PROFILES, SiteProfile, profile_for_url
from newscrawl.sites.query import Query
from newscrawl.text import DateParseError, parse_jalali, to_ascii_digits

PARSER_RELEASE = "1"  # bump when extraction changes what it outputs for the same markup

_DIGITS = re.compile(r"\d+")
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
_OWN_TEXT = etree.XPath("text()")
_REPLY_OWN_TEXT = etree.XPath(markup.REPLY_OWN_TEXT)
Q = {name: Query(getattr(markup, name)) for name in (
    "ARTICLE_ROOT", "TITLE", "SUPERTITLE", "LEAD", "BODY", "ALBUM", "LEAD_IMAGE", "NEWS_ID",
    "PUBLISHED", "PATH_LINKS", "TAG_LINKS", "TAGS_TEXT", "SHORT_LINK", "NOT_FOUND", "COMMENT",
    "COMMENT_AUTHOR", "COMMENT_DATE", "COMMENT_TEXT", "COMMENT_REPLY", "REPLY_AUTHOR", "REPLY_DATE",
)}


def _text(node) -> str | None:
    """All text under a node, whitespace collapsed; None when there is none."""
    if node is None:
        return None
    return " ".join(node.text_content().split()) or None


def _own_text(node) -> str | None:
    """The node's own text nodes only: skips the label span and any other child element."""
    if node is None:
        return None
    return " ".join(" ".join(_OWN_TEXT(node)).split()) or None


def _int(text: str | None) -> int | None:
    match = _DIGITS.search(to_ascii_digits(text)) if text else None
    return int(match.group()) if match else None


def _date(text: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """(ISO instant, Jalali ISO, layout, error) of a date text."""
    if not text:
        return None, None, None, None
    try:
        stamp = parse_jalali(text)
    except DateParseError as exc:
        return None, None, None, str(exc)
    return stamp.iso, stamp.jalali_iso, stamp.layout, None


def _tags(root) -> list[str]:
    tags = [t for t in map(_text, Q["TAG_LINKS"].all(root)) if t]
    if not tags:
        text = _text(Q["TAGS_TEXT"].first(root)) or ""
        text = text.replace(markup.TAGS_LABEL, "").strip(" :")
        tags = [t.strip() for t in text.split("،") if t.strip()]
    return list(dict.fromkeys(tags))


def _in_answer_box(el) -> bool:
    return any(markup.ANSWER_BOX in (a.get("class") or "") for a in el.iterancestors())


def _comments(root) -> list[Comment]:
    comments: list[Comment] = []
    for item in Q["COMMENT"].all(root):
        own_text = [t for t in Q["COMMENT_TEXT"].all(item) if not _in_answer_box(t)]
        parent = len(comments)
        comments.append(Comment(
            author=_text(Q["COMMENT_AUTHOR"].first(item)),
            published_at=_date(_text(Q["COMMENT_DATE"].first(item)))[0],
            text=_text(own_text[0]) if own_text else "",
            reply_to=None,
        ))
        for reply in Q["COMMENT_REPLY"].all(item):
            text = _text(Q["COMMENT_TEXT"].first(reply)) or " ".join(" ".join(_REPLY_OWN_TEXT(reply)).split())
            comments.append(Comment(
                author=_text(Q["REPLY_AUTHOR"].first(reply)),
                published_at=_date(_text(Q["REPLY_DATE"].first(reply)))[0],
                text=text,
                reply_to=parent,
            ))
    return [c for c in comments if c["text"]]


def _in_body(el) -> bool:
    return any("body" in (a.get("class") or "").split() for a in el.iterancestors("div"))


def parse_article(
    html: str, url: str | None = None, *, site: str | None = None, crawled_at: datetime | None = None
) -> Article:
    """Parse one article page. `url` is where it was fetched from (it may be a mirror or None);
    `site` names the profile when the URL cannot tell it."""
    profile: SiteProfile = PROFILES[site] if site else profile_for_url(url)
    page = Selector(text=html).root  # parsel's parser setup; lxml elements from here on
    root = Q["ARTICLE_ROOT"].first(page)
    root = page if root is None else root
    title = _text(Q["TITLE"].first(root))
    id_text = _text(Q["NEWS_ID"].first(root))
    if title is None and id_text is None:
        if Q["NOT_FOUND"].first(page) is not None:
            raise NotAnArticle("the CMS's not-found page (div.error_container): the article does not exist")
        raise NotAnArticle("no article markup: the page has neither a headline nor a news id")

    defects: list[str] = []
    page_id, url_id = _int(id_text), news_id_from_url(url)
    if page_id and url_id and page_id != url_id:
        defects.append(f"news_id: the page says {page_id} but its URL says {url_id}")
    news_id = page_id or url_id

    published_raw = _own_text(Q["PUBLISHED"].first(root))
    published_at, published_jalali, layout, date_error = _date(published_raw)
    if date_error:
        defects.append(f"published_at: {date_error}")
    if not _HTML_END.search(html[-4096:]):
        defects.append("page: truncated, it ends before </html>")

    body = Q["BODY"].first(root)
    if body is None:
        defects.append("body: the page has no div.body")
    content = [] if body is None else [lxml.html.tostring(body, encoding="unicode", with_tail=False)]
    album = Q["ALBUM"].first(root)
    if album is not None and not _in_body(album):
        content.append(lxml.html.tostring(album, encoding="unicode", with_tail=False))

    path = [t for t in map(_text, Q["PATH_LINKS"].all(root)) if t]
    lead_image = Q["LEAD_IMAGE"].first(root)
    short_link = Q["SHORT_LINK"].first(root)
    generation = markup.GENERATION_BY_DATE_LAYOUT.get(layout or "", "unknown")
    crawled = (crawled_at or datetime.now(timezone.utc)).astimezone(timezone.utc)

    return Article(
        site=profile.name,
        news_id=news_id,
        url=article_url(profile, news_id) if news_id else None,
        title=title,
        supertitle=_text(Q["SUPERTITLE"].first(root)),
        lead=_text(Q["LEAD"].first(root)),
        published_at=published_at,
        published_at_jalali=published_jalali,
        published_raw=published_raw,
        service=path[0] if path else None,
        category=path[1] if len(path) > 1 else None,
        tags=_tags(root),
        lead_image=None if lead_image is None
        else absolute(profile, lead_image.get("data-src") or lead_image.get("src")),
        comments=_comments(root),
        short_url=None if short_link is None else absolute(profile, short_link.get("href")),
        crawled_at=crawled.strftime("%Y-%m-%dT%H:%M:%SZ"),
        parser_version=f"{profile.cms}/{PARSER_RELEASE}:{generation}",
        body_html="\n".join(content) or None,
        source_url=url,
        defects=defects,
    )
