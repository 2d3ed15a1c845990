"""A synthetic mirror of the site: N generated articles in the markup of every generation, with the
page chrome of real-sized pages, archive pages and a feed over them. Deterministic for a seed.

Each generation's template is a page of that generation (TEMPLATE_PAGES names the authored fixture
pages the mirror passes in) with its article replaced by placeholders; the text comes from a TextPool
(the mirror fills it from the fixtures' own reviewed bodies and headlines), reshuffled. Every generated
article is a valid one (tests hold the parser to that). This module takes its inputs as arguments:
it reads no file (newscrawl.mirror.synth does).
"""

from __future__ import annotations

import html as html_lib
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jdatetime
import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.query import Query

FIRST_ID = 2_000_001  # the synthetic site's first article id: above every fixture's
TEMPLATE_SITE = "asriran"  # whose fixture pages are the templates
# Sites whose reader does not read the synthetic pages whole (gardeshban's title is elsewhere on its
# pages): a family root leaves them out unless named (tests/test_multisite.py checks the list).
SYNTH_UNREAD: tuple[str, ...] = ("gardeshban",)
# generation -> (template fixture id, the era its dates fall in: first day, Jalali)
GENERATIONS = {
    "2014": (337590, (1393, 1, 15)),
    "2020": (760311, (1399, 1, 15)),
    "2023": (917512, (1402, 1, 15)),
    "2024": (1077602, (1404, 1, 15)),
}
ARCHIVE_PAGE_SIZE = 100
FEED_SIZE = 100
_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_MONTHS_ARABIC_YEH = [m.replace("ی", "ي") for m in jdatetime.date.j_months_fa]
_SLOTS = ("TITLE", "ID", "ID_FA", "DATE", "SUPERTITLE", "LEAD", "LEAD_IMAGE", "BODY", "TAGS", "SHORT")


def _slot(name: str) -> str:
    return f"@@{name}@@"


def _set_text(el: etree._Element, text: str) -> None:
    for child in list(el):
        el.remove(child)
    el.text = text


def _set_own_text(el: etree._Element, text: str) -> None:
    """Keep the label span, drop any other child, put the text right after the label."""
    children = list(el)
    label = children[0] if children and children[0].tag == "span" else None
    for child in children:
        if child is not label:
            el.remove(child)
    if label is not None:
        label.tail = text
    else:
        el.text = text


def _required(css: str, element: HtmlElement) -> HtmlElement:
    """The first match of a selector every template page answers."""
    found = Query(css).first(element)
    if found is None:
        raise ValueError(f"the template page has no {css}")
    return found


def _article_template(page: str) -> str:
    """A page (its HTML) with its article replaced by @@SLOT@@ placeholders."""
    tree = lxml.html.fromstring(page)
    root = _required(markup.ARTICLE_ROOT, tree)
    title = _required(markup.TITLE, root)
    link = title.find("a")
    if link is not None:
        _set_text(link, _slot("TITLE"))
        link.set("href", f"/fa/news/{_slot('ID')}")
        link.set("title", _slot("TITLE"))
    else:
        _set_text(title, _slot("TITLE"))
    _set_text(_required("title", tree), _slot("TITLE"))
    for el in Query(markup.ALL_NEWS_ID_COPIES).all(root):
        _set_own_text(el, _slot("ID_FA"))
    for el in Query(markup.ALL_PUBLISHED_COPIES).all(root):
        _set_own_text(el, _slot("DATE"))
    for name, css in (("SUPERTITLE", markup.SUPERTITLE), ("LEAD", markup.LEAD)):
        part = Query(css).first(root)
        if part is not None:
            _set_text(part, _slot(name))
    image = Query(markup.LEAD_IMAGE).first(root)
    if image is not None:
        image.set("data-src" if image.get("data-src") else "src", _slot("LEAD_IMAGE"))
        image.set("alt", _slot("TITLE"))
        image.set("title", _slot("TITLE"))
    body = _required(markup.BODY, root)
    marker = Query(markup.CUT_AT).first(body)
    for child in list(body):
        if child is marker:
            break
        body.remove(child)
    body.text = _slot("BODY")
    tags = Query(markup.TAG_LINKS).all(root)
    if tags and (holder := tags[0].getparent()) is not None:
        for tag in tags:
            holder.remove(tag)
        label = (holder.text or "").strip()
        holder.text = f"{label} {_slot('TAGS')}" if label else _slot("TAGS")
    short = Query(markup.SHORT_LINK).first(root)
    if short is not None:
        short.set("href", f"/{_slot('SHORT')}")
        short.text = f"asriran.com/{_slot('SHORT')}"
    for comment in Query(markup.COMMENT).all(root):
        if (parent := comment.getparent()) is not None:
            parent.remove(comment)
    doctype = tree.getroottree().docinfo.doctype
    return etree.tostring(tree.getroottree(), encoding="unicode", method="html", doctype=doctype)


@dataclass
class TextPool:
    sentences: list[str]
    headlines: list[str]
    captions: list[str]
    tags: list[str]


def _date_text(generation: str, when: jdatetime.datetime) -> str:
    hm = when.strftime("%H:%M")
    if generation == "2014":
        text = f"{hm} - {when.strftime('%Y/%m/%d')}"
    elif generation == "2020":
        text = f"{hm} - {when.day:02d} {_MONTHS_ARABIC_YEH[when.month - 1]} {when.year}"
    else:
        text = f"{hm} - {when.strftime('%d-%m-%Y')}"
    return text.translate(_PERSIAN)


TEMPLATE_PAGES = {generation: fixture_id for generation, (fixture_id, _) in GENERATIONS.items()}


class Synthesizer:
    def __init__(self, templates: dict[str, str], pool: TextPool, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.pool = pool
        self.templates = {g: _article_template(templates[g]) for g in GENERATIONS}

    def _paragraphs(self, low: int, high: int) -> list[str]:
        rng = self.rng
        out = []
        for _ in range(rng.randint(low, high)):
            text = " ".join(rng.choice(self.pool.sentences) for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.15:  # the site's text mixes Arabic yeh and kaf in
                text = text.replace("ی", "ي", 2).replace("ک", "ك", 1)
            out.append(text)
        return out

    def _body_html(self, generation: str, news_id: int, earlier: list[tuple[int, str]]) -> str:
        rng = self.rng
        parts = [f"<p>{html_lib.escape(p)}</p>" for p in self._paragraphs(3, 25)]
        for _ in range(rng.choice((0, 0, 1, 2))):
            url = f"/files/fa/news/1402/1/1/{rng.randint(100000, 999999)}_{rng.randint(100, 999)}.jpg"
            at = rng.randint(1, len(parts))
            caption = html_lib.escape(rng.choice(self.pool.captions))
            parts[at:at] = [f'<p style="text-align: center;"><img src="{url}" alt=""></p>',
                            f'<p style="text-align: center;">{caption}</p>']
        if earlier and rng.random() < 0.3:
            links = [f'<a href="/fa/news/{i}/{quote(t[:40])}">{html_lib.escape(t)}</a>'
                     for i, t in rng.sample(earlier, min(3, len(earlier)))]
            if generation in ("2014", "2020"):
                parts += ["<p>------</p>", "<p><strong>بیشتر بخوانید:</strong></p>",
                          *(f"<p>{link}</p>" for link in links)]
            else:
                items = "".join(f"<li>{link}</li>" for link in links)
                parts.append(f"<div><strong>بیشتر بخوانید:</strong><ul>{items}</ul></div>")
        return "\n".join(parts) + "\n"

    def article(self, generation: str, news_id: int, when: jdatetime.datetime,
                earlier: list[tuple[int, str]]) -> tuple[str, str]:
        """(page html, title) of one generated article."""
        rng = self.rng
        title = rng.choice(self.pool.headlines)
        values = {
            "TITLE": html_lib.escape(title),
            "ID": str(news_id),
            "ID_FA": str(news_id).translate(_PERSIAN),
            "DATE": _date_text(generation, when),
            "SUPERTITLE": html_lib.escape(rng.choice(self.pool.headlines)) if rng.random() < 0.3 else "",
            "LEAD": html_lib.escape(" ".join(self._paragraphs(1, 1))),
            "LEAD_IMAGE": f"/files/fa/news/{when.year}/{when.month}/{when.day}/{news_id}_1.jpg",
            "BODY": self._body_html(generation, news_id, earlier),
            "TAGS": "، ".join(f'<a class="tags_item" href="/fa/tags/{rng.randint(1, 9999)}/1/{quote(t)}">'
                              f"{html_lib.escape(t)}</a>" for t in rng.sample(self.pool.tags, rng.randint(0, 4))),
            "SHORT": f"{news_id:x}",
        }
        page = self.templates[generation]
        for name in _SLOTS:
            page = page.replace(_slot(name), values[name])
        return page, title


def _archive_page(items: list[tuple[int, str, str]], page: int, pages: int) -> str:
    rows = "\n".join(
        f'<div class="linear_news"><span class="bolet_red"></span><a class="title5" '
        f'href="/fa/news/{i}/{quote(t[:40])}" title="{d}">{html_lib.escape(t)}</a></div>' for i, t, d in items)
    pager = f"صفحه {page} از {pages}".translate(_PERSIAN)
    if page < pages:
        pager += (f' <a class="next" href="/fa/archive?service_id=-1&amp;sec_id=-1&amp;cat_id=-1&amp;rpp=100'
                  f'&amp;from_date=1384/01/01&amp;to_date=1404/12/29&amp;p={page + 1}">►</a>')
    return ('<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>آرشیو مطالب - عصر ایران</title>'
            f'</head><body id="archive"><div class="page_title">آرشیو مطالب</div><div id="pager">{pager}</div>'
            f'<div class="archive_content">{rows}</div></body></html>')


def _feed(items: list[tuple[int, str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{html_lib.escape(t)}</title><link>https://www.asriran.com/fa/news/{i}</link>"
        f"<pubDate>{d.strftime('%a, %d %b %Y %H:%M:%S')} +0330</pubDate></item>" for i, t, d in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>عصر ایران</title>'
            f"<link>https://www.asriran.com</link>{entries}</channel></rss>")


def synthesize(out: Path, articles: int, seed: int = 1, *, templates: dict[str, str], pool: TextPool,
               robots: bytes | None = None) -> dict[str, Any]:
    """Write a mirror folder of `articles` generated articles; returns its manifest (also written as
    manifest.json): the ids, and how many of each generation. `templates`: generation -> a page of it
    (TEMPLATE_PAGES says which); `pool`: the text to draw from; `robots`: the site's robots.txt."""
    synth = Synthesizer(templates, pool, seed)
    out = Path(out)
    (out / "news").mkdir(parents=True, exist_ok=True)
    (out / "archive").mkdir(exist_ok=True)
    (out / "rss").mkdir(exist_ok=True)
    names = list(GENERATIONS)
    listed: list[tuple[int, str, str]] = []
    feed: list[tuple[int, str, datetime]] = []
    counts = dict.fromkeys(names, 0)
    for n in range(articles):
        news_id = FIRST_ID + n
        generation = names[min(len(names) - 1, n * len(names) // max(articles, 1))]
        first_day = jdatetime.datetime(*GENERATIONS[generation][1], 8, 0)
        in_era = n - names.index(generation) * articles // len(names)
        when = first_day + timedelta(minutes=37 * in_era + synth.rng.randint(0, 30))
        earlier = [(i, t) for i, t, _ in listed[-50:]]
        page, title = synth.article(generation, news_id, when, earlier)
        (out / "news" / f"{news_id}.html").write_text(page, encoding="utf-8")
        counts[generation] += 1
        gregorian = when.togregorian()
        listed.append((news_id, title, gregorian.strftime("%H:%M - %Y/%m/%d")))
        feed.append((news_id, title, gregorian))
    listed.reverse()  # the archive and the feed list the newest first
    pages = max(1, -(-len(listed) // ARCHIVE_PAGE_SIZE))
    for number in range(1, pages + 1):
        chunk = listed[(number - 1) * ARCHIVE_PAGE_SIZE: number * ARCHIVE_PAGE_SIZE]
        (out / "archive" / f"{number}.html").write_text(_archive_page(chunk, number, pages), encoding="utf-8")
    (out / "rss" / "allnews.xml").write_text(_feed(feed[::-1][:FEED_SIZE]), encoding="utf-8")
    if robots is not None:
        (out / "robots.txt").write_bytes(robots)
    manifest = {"seed": seed, "articles": articles, "first_id": FIRST_ID,
                "last_id": FIRST_ID + articles - 1, "generations": counts, "archive_pages": pages}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest
