"""CSS selectors compiled once into lxml XPath objects.

parsel translates CSS to XPath on every call and lxml then tests every element's class with
normalize-space/concat. Compiling once, and letting a plain substring test on @class rule most
elements out before the exact token test, makes a selector 2-3x cheaper, which matters when a page
runs a few dozen of them. Matching is unchanged: `.foo` still means the class token `foo`.
"""

from __future__ import annotations

import cssselect
from cssselect.parser import Class
from cssselect.xpath import XPathExpr
from lxml import etree
from lxml.html import HtmlElement
from parsel.csstranslator import HTMLTranslator


class _Translator(HTMLTranslator):
    def xpath_class(self, class_selector: Class) -> XPathExpr:
        xpath = self.xpath(class_selector.selector)
        name = self.xpath_literal(class_selector.class_name)
        token = self.xpath_literal(f" {class_selector.class_name} ")
        return xpath.add_condition(
            f"@class and contains(@class, {name}) and contains(concat(' ', normalize-space(@class), ' '), {token})"
        )


_TRANSLATOR = _Translator()


def _self_contained(selector: cssselect.Selector) -> bool:
    """A compound selector (`div.body`, `a.tags_item[href]`): it tests one element, no relatives."""
    return (selector.pseudo_element is None
            and not isinstance(selector.parsed_tree, cssselect.parser.CombinedSelector))


class Query:
    """`Query("div.body").all(element)`: matches of a CSS selector list in document order."""

    def __init__(self, css: str) -> None:
        self.css = css
        selectors = cssselect.parse(css)
        branches = [_TRANSLATOR.selector_to_xpath(selector) for selector in selectors]
        self.branches = branches  # one XPath per selector of the list
        if len(selectors) > 1 and all(_self_contained(s) for s in selectors):
            # A list of compound selectors (no combinators): one scan of the tree per element name,
            # each element tested against every alternative of that name, instead of one scan per
            # alternative; a list of eight div classes that mostly miss (one per markup generation)
            # costs one scan of the divs, not eight.
            tests: dict[str, list[str]] = {}
            for selector in selectors:
                expr = _TRANSLATOR.xpath(selector.parsed_tree)
                tests.setdefault(expr.element, []).append(f"({expr.condition or 'true()'})")
            scans = [f"descendant-or-self::{element}[{' or '.join(t)}]" for element, t in tests.items()]
        else:
            scans = branches
        self._xpath = etree.XPath(" | ".join(scans))
        # For the first match, each scan stops at its first hit (libxml2 ends a step's scan at a
        # [1]); the earliest of those in document order is the first match of the whole list.
        self._first = etree.XPath(" | ".join(f"{scan}[1]" for scan in scans))

    # The elements are HtmlElements: every page is parsed by lxml.html's parser (through parsel).
    def all(self, element: etree._Element) -> list[HtmlElement]:
        found: list[HtmlElement] = self._xpath(element)  # lxml types an XPath's result as Any
        return found

    def first(self, element: etree._Element) -> HtmlElement | None:
        found = self._first(element)
        return found[0] if found else None

    def __repr__(self) -> str:
        return f"Query({self.css!r})"
