"""Every registered site reads a page of its markup pattern that carries its own markup.

`fixtures/family-markup.json` says, per site, what the evidence says of its markup: its article root's
opening tags, its title, body, date, category path and tags elements (each as the site's selector and
the smallest markup it matches), whether each sits inside the article root or anywhere in the page, and
the date's text layout. It is written from the evidence, not from the profiles. For every site of the
registry (`PROFILES`, never a list here) this test takes the authored page of the site's pattern
(`fixtures/<site>-patterns/`, `fixtures/README.md` «Pattern pages»), puts the site's markup into it, parses it
as that site and checks what the pattern page holds, read by one of the site's own generations (a
family-wide fallback reading it would hide a wrong selector): a wrong selector in any profile fails here.

The substitution, on the parsed tree (`build_page`):
1. Root: the pattern page's article root (its representative's root selector, the first match holding the
   title; an `open` of N nested tags takes N-1 ancestors with it) becomes the site's `open`…`close`
   wrapper, its content moved in unchanged. A whole-page root (`#news`, the CMS's `<body id="news">`)
   unwraps it; a site without a root fact keeps the page's.
2. Title, body, date, path, tags: the page's element (found by its representative's selector, else the CMS
   default's, then taken up to the outermost element of that snippet) gives way to the site's snippet,
   or the CMS default's, filled with the page's values: in the same place when both sit in the same
   scope, else at the start of the site's root (scope root) or just before it (scope page). A body keeps
   its paragraphs, only its wrapper changes. The date is written in the site's layout, else the pattern's.
3. The page's other dates (`article:published_time`, JSON-LD) go, unless the site's date is that meta:
   the date can come from the site's own element only.
A pattern's representative site is parsed on its own page (step 3 only).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from datetime import datetime
from functools import cache

import pytest
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.sites import PROFILES, NotAnArticle, cms_for
from newscrawl.text import normalize_paragraphs, normalize_text

FACTS = json.loads((FIXTURES_DIR / "family-markup.json").read_text(encoding="utf-8"))
SITES, PATTERNS, DEFAULTS = FACTS["sites"], FACTS["patterns"], FACTS["cms_defaults"]
FIELDS = ("title", "body", "date", "path", "tags")
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
SERVICE_HREF, CATEGORY_HREF = "/fa/archive?service_id=1", "/fa/archive?service_id=1&cat_id=2"
META_DATE = "meta[property='article:published_time']"

# Sites of today's registry whose pattern page the parser cannot read yet (issue 18: the parser's new Markup
# fields land with 18-parse, the sites' new profiles with 18-sites). Strict: remove an entry once it passes.
AWAITING: dict[str, str] = {}


def _fa(number: int, width: int = 2) -> str:
    return str(number).zfill(width).translate(FA_DIGITS)


def date_text(layout: str, jalali: str, instant: str) -> str:
    """The date in one of the file's layouts (`layouts`), from the expected Jalali wall clock and instant."""
    y, m, d, hh, mm = map(int, re.match(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)", jalali).groups())
    month, clock = FACTS["months"][m - 1], f"{_fa(hh)}:{_fa(mm)}"
    forms = {
        "DD MonthName YYYY - HH:MM": f"{_fa(d)} {month} {_fa(y, 4)} - {clock}",
        "HH:MM - DD MonthName YYYY": f"{clock} - {_fa(d)} {month} {_fa(y, 4)}",
        "HH:MM - DD-MM-YYYY": f"{clock} - {_fa(d)}-{_fa(m)}-{_fa(y, 4)}",
        "HH:MM - YYYY/MM/DD": f"{clock} - {_fa(y, 4)}/{_fa(m)}/{_fa(d)}",
        "YYYY/MM/DD - HH:MM": f"{_fa(y, 4)}/{_fa(m)}/{_fa(d)} - {clock}",
        "DD MM YYYY - HH:MM, &nbsp; between the tokens": "&nbsp;".join([_fa(d), _fa(m), _fa(y, 4), "-", clock]),
        "YYYY-MM-DD HH:MM (Gregorian)": datetime.fromisoformat(instant).strftime("%Y-%m-%d %H:%M"),
    }
    return forms[layout]


@cache
def template(pattern: str) -> tuple[str, dict]:
    entry = PATTERNS[pattern]
    page = FIXTURES_DIR / entry["page"]
    return page.read_text(encoding="utf-8"), json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))


def values(expected: dict, layout: str) -> dict[str, str]:
    """The pattern page's values, escaped for markup (the date is markup already)."""
    out = {k: html.escape(v or "", quote=True) for k, v in (("title", expected["title"]),
                                                             ("service", expected["service"]),
                                                             ("category", expected["category"]))}
    out.update(href=f"/fa/news/{expected['news_id']}", service_href=html.escape(SERVICE_HREF),
               category_href=html.escape(CATEGORY_HREF),
               date=date_text(layout, expected["published_at_jalali"], expected["published_at"]),
               en_date=datetime.fromisoformat(expected["published_at"]).strftime("%d %B %Y"))
    return out


def snippet(field: str, fact: dict, vals: dict, tags: list[str]) -> str:
    if field == "tags":
        items = [fact["item"].format(tag=html.escape(t), tag_id=1000 + i, tag_slug=html.escape(t.replace(" ", "-")))
                 for i, t in enumerate(tags)]
        return fact["open"] + fact["sep"].join(items) + fact["close"]
    return fact["html"].format(**vals)


def fact_of(site: dict, field: str) -> dict:
    """The site's fact for a field, the CMS default's where the evidence gives none (or gives only a layout)."""
    fact = site.get(field)
    if fact is None:
        return {**DEFAULTS[field], "default": True}
    if field == "date" and fact.get("html") is None:
        return {**DEFAULTS["date"], **{k: v for k, v in fact.items() if v is not None and k != "css"}}
    return fact


def _first_element(markup: str) -> etree._Element:
    return lxml_html.fragments_fromstring(markup)[0]


def _same_kind(el, model) -> bool:
    classes = set((el.get("class") or "").split())
    return (el.tag == model.tag and set((model.get("class") or "").split()) <= classes
            and all(el.get(a) == model.get(a) for a in ("id", "style", "rel")))


def _locate(scope_el, css: str, model_markup: str):
    """The first match of `css` under `scope_el`, taken up to the outermost element of `model_markup`."""
    matches = CSSSelector(css, translator="html")(scope_el)
    assert matches, f"the pattern page has no {css!r}"
    model = _first_element(model_markup)
    for el in (matches[0], *matches[0].iterancestors()):
        if _same_kind(el, model):
            return el
        if el is scope_el:
            break
    raise AssertionError(f"{css!r} is not inside markup like {model_markup[:80]!r}")


def _remove(el) -> None:
    parent, previous = el.getparent(), el.getprevious()
    if el.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _wrapper(open_close: str):
    outer = lxml_html.fragment_fromstring(open_close)
    inner = outer
    while len(inner):
        inner = inner[0]
    return outer, inner


def _move_content(source, target) -> None:
    target.text = source.text
    for child in list(source):
        target.append(child)


def _root(doc, rep: dict, pattern: dict):
    """(outer, inner) of the pattern page's article root."""
    root = rep.get("root") or pattern.get("root")
    title = fact_of(rep, "title")["css"]
    inner = next(el for el in CSSSelector(root["css"], translator="html")(doc)
                 if CSSSelector(title, translator="html")(el))
    outer = inner
    for _ in range(len(re.findall(r"<\w", root["open"])) - 1):
        outer = outer.getparent()
    return outer, inner


def build_page(name: str) -> tuple[str, dict]:
    """The pattern page of the site's pattern with the site's markup in it (the steps in the docstring)."""
    site = SITES[name]
    pattern = PATTERNS[site["pattern"]]
    rep = SITES[pattern["site"]]
    page, expected = template(site["pattern"])
    doc = lxml_html.document_fromstring(page)
    date_fact = fact_of(site, "date")
    if name != pattern["site"]:
        layout = date_fact.get("layout") or pattern["date_layout"]
        vals, rep_vals = values(expected, layout), values(expected, pattern["date_layout"])
        outer, inner = _root(doc, rep, pattern)
        whole_page = bool(site.get("root") and site["root"]["whole_page"])
        # 1. the root
        if site.get("root") and whole_page:
            chain = [inner]
            while chain[-1] is not outer:
                chain.append(chain[-1].getparent())
            for el in chain:
                el.drop_tag()
            outer = inner = doc.body
        elif site.get("root"):
            new_outer, new_inner = _wrapper(site["root"]["open"] + site["root"]["close"])
            _move_content(inner, new_inner)
            new_outer.tail = outer.tail
            outer.getparent().replace(outer, new_outer)
            outer, inner = new_outer, new_inner
        # 2. the fields
        for field in FIELDS:
            old_fact, new_fact = fact_of(rep, field), fact_of(site, field)
            if field == "body":
                old = _locate(inner, old_fact["css"], old_fact["open"] + old_fact["close"])
                new_outer, new_inner = _wrapper(new_fact["open"] + new_fact["close"])
                body = CSSSelector(old_fact["css"], translator="html")(old)
                _move_content(body[0] if body else old, new_inner)
                new_outer.tail = old.tail
                old.getparent().replace(old, new_outer)
                continue
            old_scope, new_scope = old_fact["scope"], new_fact["scope"]
            where = doc.head if old_scope == "head" else inner if old_scope == "root" else doc
            old_markup = snippet(field, old_fact, rep_vals, expected["tags"])
            old = _locate(where, old_fact["css"], old_markup)
            new = lxml_html.fragments_fromstring(snippet(field, new_fact, vals, expected["tags"]))
            if new_scope == old_scope or whole_page:
                for el in new:
                    old.addprevious(el)
            elif new_scope == "head":
                doc.head.extend(new)
            elif new_scope == "root":
                for i, el in enumerate(new):
                    inner.insert(i, el)
            else:
                for el in new:
                    outer.addprevious(el)
            _remove(old)
    # 3. the other dates
    for el in CSSSelector("script[type='application/ld+json']" + ("" if date_fact["scope"] == "head"
                                                                  else f", {META_DATE}"), translator="html")(doc):
        _remove(el)
    return lxml_html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>"), expected


def _url(name: str, news_id: int) -> str:
    site = SITES[name]
    base = f"{site['scheme']}://{site['host']}" if site["host"] else PROFILES[name].base_url
    return f"{base}/fa/news/{news_id}"


def _cases():
    for name in sorted(set(PROFILES) | set(SITES)):
        marks = [pytest.mark.xfail(strict=True, reason=AWAITING[name])] if name in AWAITING and name in PROFILES else []
        yield pytest.param(name, id=name, marks=marks)


def differences(name: str, profile) -> dict:
    """What `profile` reads wrong on the site's pattern page with its markup: {field: (got, expected)}."""
    page, expected = build_page(name)
    url = _url(name, expected["news_id"])
    try:
        item = cms_for(profile).parse_article(page, url, profile=profile)
    except NotAnArticle as exc:
        return {"article": (f"not an article: {exc}", "an article")}
    gives = fact_of(SITES[name], "path").get("gives", ["service", "category"])
    representative = PATTERNS[SITES[name]["pattern"]]["site"] == name
    paragraphs = (normalize_paragraphs(item.body) or "").split("\n\n")
    body = expected["body"].split("\n\n")
    got = {
        "news_id": item.news_id, "url": item.url, "title": normalize_text(item.title),
        "first paragraph": paragraphs[0], "last paragraph": paragraphs[-1], "published_at": item.published_at,
        "service": normalize_text(item.service), "category": normalize_text(item.category),
        "tags": [normalize_text(t) for t in item.tags], "defects": item.defects,
        # read by the site's own markup, not a family-wide fallback that would hide a wrong selector
        "generation": item.parser_version.rsplit(":", 1)[-1],
    }
    # A site whose pages are the CMS's own markup declares no generation: the generic reader is its reader.
    own = sorted(m.generation for m in profile.generations) or ["generic"]
    want = {
        "news_id": expected["news_id"], "url": url, "title": expected["title"], "first paragraph": body[0],
        "last paragraph": body[-1], "published_at": expected["published_at"],
        "service": expected["service"] if representative or "service" in gives else None,
        "category": expected["category"] if representative or "category" in gives else None,
        "tags": expected["tags"], "defects": [],
        "generation": got["generation"] if got["generation"] in own else f"one of {own}",
    }
    return {k: (got[k], want[k]) for k in want if got[k] != want[k]}


@pytest.mark.parametrize("name", list(_cases()))
def test_the_sites_profile_reads_its_pattern_page_with_its_own_markup(name):
    if name not in SITES:
        pytest.fail(f"{name} is registered but fixtures/family-markup.json has no markup facts for it: add them")
    if name not in PROFILES:
        pytest.skip(f"{name} is not registered yet (issue 18: 18-sites registers every site of the evidence)")
    wrong = differences(name, PROFILES[name])
    assert not wrong, f"{name} ({SITES[name]['pattern']}): fields that differ (got, expected): {wrong!r}"


def test_a_wrong_title_selector_in_a_profile_fails_the_check():
    name = next(n for n in sorted(PROFILES) if n in SITES and n not in AWAITING)
    profile = PROFILES[name]
    wrong_title = tuple(replace(m, title="h1.no-such-headline") for m in profile.generations)
    # another name: whatever the parser caches per profile is not this one's
    wrong = differences(name, replace(profile, name=f"{name}_wrong_title", generations=wrong_title))
    assert not differences(name, profile) and ("title" in wrong or "article" in wrong), wrong


# ---- the facts file itself (no profile needed) ----

def test_every_site_has_a_known_pattern_and_its_pattern_page_exists():
    for name, site in SITES.items():
        assert site["pattern"] in PATTERNS, name
        assert (FIXTURES_DIR / PATTERNS[site["pattern"]]["page"]).exists()
        layout = (site.get("date") or {}).get("layout")
        assert layout is None or layout in FACTS["layouts"], name
    assert {p["site"] for p in PATTERNS.values()} <= set(SITES)


@pytest.mark.parametrize("name", sorted(SITES))
def test_each_facts_markup_is_matched_by_its_own_selector(name):
    """The snippet written for a selector is what that selector finds (the text of the field's element)."""
    site = SITES[name]
    vals = values(template(site["pattern"])[1], PATTERNS[site["pattern"]]["date_layout"])
    tags = ["برچسب یک", "برچسب دو"]
    for field in ("title", "date", "path", "tags"):
        fact = site.get(field)
        if not fact or not fact.get("html", fact.get("item")):
            continue
        markup = snippet(field, fact, vals, tags)
        doc = lxml_html.document_fromstring(f"<html><head></head><body><div>{markup}</div></body></html>")
        found = CSSSelector(fact["css"], translator="html")(doc)
        assert found, f"{name}.{field}: {fact['css']!r} does not match {markup!r}"
        if field == "title":
            assert normalize_text(found[0].text_content()) == normalize_text(html.unescape(vals["title"]))
    if site.get("root"):
        root = site["root"]
        doc = lxml_html.document_fromstring(f"<html><body>{root['open']}<p>x</p>{root['close']}</body></html>")
        if not site["root"]["whole_page"]:
            assert CSSSelector(site["root"]["css"], translator="html")(doc), name


def test_the_representatives_facts_describe_their_pattern_page():
    for pattern, entry in PATTERNS.items():
        page, expected = template(pattern)
        doc = lxml_html.document_fromstring(page)
        rep = SITES[entry["site"]]
        outer, inner = _root(doc, rep, entry)
        for field in ("title", "date", "path", "tags"):
            fact = fact_of(rep, field)
            where = doc.head if fact["scope"] == "head" else inner if fact["scope"] == "root" else doc
            found = CSSSelector(fact["css"], translator="html")(where)
            assert found, f"{pattern}: {entry['site']}'s {field} {fact['css']!r} is not on its page ({fact['scope']})"
            if fact["scope"] == "page" and field != "title":
                assert not any(a is inner for a in (found[0], *found[0].iterancestors())), (
                    f"{pattern}: {entry['site']}'s page-level {field} sits inside the root")
        date = date_text(fact_of(rep, "date").get("layout") or entry["date_layout"], expected["published_at_jalali"],
                         expected["published_at"])
        assert " ".join(html.unescape(date).split()) == expected["published_raw"], pattern
