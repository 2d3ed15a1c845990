"""sites/query.py matches a selector list of three or more alternatives in Python (cheaper than libxml2's
string tests): it must find exactly what the XPath translation finds, in the same order, from any
element, for every selector the CMS, the generic reader and the registered profiles use, and for
combinator forms the Query itself leaves to XPath (the matcher is checked on them all the same)."""

from __future__ import annotations

from dataclasses import fields

import cssselect
import pytest
from lxml import etree
from parsel import Selector
from parsel.csstranslator import css2xpath

from newscrawl.replay.fixtures import fixture_pages
from newscrawl.replay.pages import read_page
from newscrawl.sites import PROFILES
from newscrawl.sites.iransamaneh.markup import CMS, GENERIC, Markup
from newscrawl.sites.query import Query, _chain, _PythonMatch, css_to_xpath

NOT_CSS = {"generation", "detect_scope", "date_layout", "short_link_attr"}
TRICKY = (
    "div.a > p, .x span, h1",
    "div > div > a, #box-top-news > div > div > a, section.padd-breadcrumb div a",
    "a[href*='/fa/tags/'], a[href^='/fa/news/'], a[href$='.jpg'], div[class~='body'], a[href*='']",
    "div.row div.col-md-27, .main_body .col-md-27, div.container div.row > div",
    "div[style='direction: rtl;'], div[style='direction: right;'], div[style], #news, body#news",
)


def matcher(css: str) -> _PythonMatch | None:
    """The Python matcher of a selector list, whether or not Query uses it for the list."""
    chains = [_chain(s) for s in cssselect.parse(css)]
    return _PythonMatch(chains) if all(c is not None for c in chains) else None


def selector_lists() -> list[str]:
    found = set(TRICKY)
    for markup in (CMS, GENERIC, *(g for p in PROFILES.values() for g in p.generations)):
        for f in fields(Markup):
            value = getattr(markup, f.name)
            if f.name not in NOT_CSS and isinstance(value, str) and value and matcher(value) is not None:
                found.add(value)
    return sorted(found)


def test_lists_of_three_or_more_plain_selectors_are_matched_in_python_others_by_xpath():
    assert Query(GENERIC.article_root)._python is not None
    assert Query("div.body")._python is None and Query(".a, .b")._python is None
    assert Query("div.a, div.b:first-child, div.c")._python is None  # a pseudo-class: XPath
    assert Query("div.a, div.b + p, div.c")._python is None  # a sibling combinator: XPath
    assert Query("div.news_path a, div.x a, div.y a")._python is None  # bare tags under a context: XPath
    assert Query("div.tags a.tags_item, div.x > a.y, .z")._python is not None


@pytest.mark.parametrize("page", fixture_pages()[::3], ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_python_matching_finds_what_the_xpath_finds(page):
    root = Selector(text=read_page(page)).root
    scopes = [root, *root.xpath("//div[contains(@class, 'col')][position() < 4]"), *root.xpath("//p[1]")]
    for css in selector_lists():
        query, python = Query(css), matcher(css)
        for scope in scopes:
            expected = query._xpath(scope)
            assert python.all(scope) == expected, (css, scope.get("class"))
            assert python.first(scope) is (expected[0] if expected else None), (css, scope.get("class"))


def every_selector_list() -> list[str]:
    """Every CSS value of the CMS, the generic reader and the registered profiles, and TRICKY."""
    found = set(TRICKY) | {"div.title > h1", "A.x B > C.y, p", "div > div > a", "div a > b"}
    for markup in (CMS, GENERIC, *(g for p in PROFILES.values() for g in p.generations)):
        for f in fields(Markup):
            value = getattr(markup, f.name)
            if f.name not in NOT_CSS and isinstance(value, str) and value:
                found.add(value)
    return sorted(found)


def test_a_selector_with_combinators_is_scanned_subject_first_from_a_pages_root_only():
    query = Query(".main_body .col-md-27")
    assert query._first_from_root.path.startswith("descendant-or-self::*[contains(@class, 'col-md-27')")
    assert "[parent::div[" in Query("div.title > h1")._first_from_root.path
    query = Query("div.body, .lead")
    assert query._first_from_root is query._first  # no combinator
    query = Query("div.news_path a")  # a bare tag under a descendant: every <a> would walk up
    assert query._first_from_root is query._first


@pytest.mark.parametrize("page", fixture_pages()[::2], ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_the_first_match_from_a_pages_root_or_an_inner_element_is_the_first_the_xpath_finds(page):
    root = Selector(text=read_page(page)).root
    inner = root.xpath("//div[contains(@class, 'col') or contains(@class, 'body')][position() < 3]")
    for css in every_selector_list():
        query = Query(css)
        if query._python is not None:
            continue  # matched in Python, checked above
        for scope in (root, *inner):
            expected = query._xpath(scope)
            assert query.first(scope) is (expected[0] if expected else None), (css, scope.get("class"))


def test_a_class_is_tested_without_a_leading_attribute_test():
    """contains() of a missing @class is false already: parsel's `@class and` first made libxml2 spend
    ~1.7x as long on every element a step visits."""
    assert "@class and" not in css_to_xpath("div.body.x, .y > a.z")
    assert "contains(@class, 'body') and" in css_to_xpath("div.body")


@pytest.mark.parametrize("page", fixture_pages()[::2], ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_every_selector_finds_what_parsels_translation_finds(page):
    root = Selector(text=read_page(page)).root
    inner = root.xpath("//div[contains(@class, 'col') or contains(@class, 'body')][position() < 3]")
    for css in every_selector_list():
        parsels = etree.XPath(css2xpath(css))
        query = Query(css)
        for scope in (root, *inner):
            expected = parsels(scope)
            assert query.all(scope) == expected, (css, scope.get("class"))
            assert query.first(scope) is (expected[0] if expected else None), (css, scope.get("class"))
