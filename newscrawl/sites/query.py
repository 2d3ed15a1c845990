"""CSS selectors compiled once into lxml XPath objects, or matched in Python when that is cheaper.

parsel translates CSS to XPath on every call and lxml then tests every element's class with
normalize-space/concat. Compiling once, and letting a plain substring test on @class rule most
elements out before the exact token test, makes a selector 2-3x cheaper, which matters when a page
runs a few dozen of them. A list of three or more selectors, such as the generic reader's lists of
every known column class, costs libxml2 one string test per alternative per element (9 ms for 45
classes over a 200 KB page); when every alternative is tags, classes, ids and attributes joined by
descendant or child combinators (no pseudo-classes; an element under a context named by more than
its tag), it is matched in Python instead: each element's class tokens looked up once among the
alternatives' (2 ms). Matching is unchanged: `.foo` still
means the class token `foo`, a match is within the element queried, first means first in document
order (tests/test_query.py holds the two ways equal).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import cssselect
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash, Tree
from cssselect.xpath import XPathExpr
from lxml import etree
from lxml.html import HtmlElement
from parsel.csstranslator import HTMLTranslator


class _Translator(HTMLTranslator):
    def xpath_class(self, class_selector: Class) -> XPathExpr:
        # No `@class and` first (parsel's form): contains() of a missing attribute is already false,
        # and that test made libxml2 spend ~1.7x as long on every element the step visits.
        xpath = self.xpath(class_selector.selector)
        name = self.xpath_literal(class_selector.class_name)
        token = self.xpath_literal(f" {class_selector.class_name} ")
        return xpath.add_condition(
            f"contains(@class, {name}) and contains(concat(' ', normalize-space(@class), ' '), {token})"
        )


_TRANSLATOR = _Translator()


def css_to_xpath(css: str) -> str:
    """A CSS selector list as one XPath (parsel's css2xpath), with this module's class test."""
    return _TRANSLATOR.css_to_xpath(css)


def _self_contained(selector: cssselect.Selector) -> bool:
    """A compound selector (`div.body`, `a.tags_item[href]`): it tests one element, no relatives."""
    return (selector.pseudo_element is None
            and not isinstance(selector.parsed_tree, cssselect.parser.CombinedSelector))


_ATTRIBUTE_OPERATORS = frozenset({"exists", "=", "~=", "^=", "$=", "*="})


def _attribute_ok(have: str, operator: str, want: str) -> bool:
    """CSS attribute operators, as cssselect translates them."""
    if operator == "exists":
        return True
    if operator == "=":
        return have == want
    if operator == "~=":
        return want in have.split()
    if not want:
        return False  # [a^=''], [a$=''], [a*=''] match nothing
    if operator == "^=":
        return have.startswith(want)
    if operator == "$=":
        return have.endswith(want)
    return want in have  # *=


@dataclass(frozen=True)
class _Compound:
    """One element's test: a tag, classes, an id, attributes (`div.a.b#c[style='x']`)."""

    tag: str | None  # None: any
    classes: frozenset[str]
    id: str | None
    attributes: tuple[tuple[str, str, str], ...]  # (name, operator, value)

    def matches(self, el: etree._Element, tokens: list[str] | None = None) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.classes:
            if tokens is None:
                tokens = (el.get("class") or "").split()
            if not self.classes.issubset(tokens):
                return False
        if self.id is not None and el.get("id") != self.id:
            return False
        for name, operator, value in self.attributes:
            have = el.get(name)
            if have is None or not _attribute_ok(have, operator, value):
                return False
        return True


@dataclass(frozen=True)
class _Chain:
    """A selector as compounds joined by descendant (" ") and child (">") combinators; the last
    compound is the element matched."""

    compounds: tuple[_Compound, ...]
    combinators: tuple[str, ...]  # combinators[i] joins compounds[i] and compounds[i + 1]

    @property
    def subject(self) -> _Compound:
        return self.compounds[-1]

    def matches(self, el: etree._Element, tokens: list[str], scope: etree._Element) -> bool:
        return self.subject.matches(el, tokens) and self._context(el, len(self.compounds) - 1, scope)

    def _context(self, el: etree._Element, i: int, scope: etree._Element) -> bool:
        """Whether the compounds before `i` match ancestors of `el` up to `scope` (included, as the
        XPath from it sees them), trying every ancestor a descendant combinator allows (`A > B C`
        may need a farther B)."""
        if i == 0:
            return True
        if el is scope:
            return False
        compound, combinator = self.compounds[i - 1], self.combinators[i - 1]
        if combinator == ">":
            parent = el.getparent()
            return parent is not None and compound.matches(parent) and self._context(parent, i - 1, scope)
        for ancestor in el.iterancestors():
            if compound.matches(ancestor) and self._context(ancestor, i - 1, scope):
                return True
            if ancestor is scope:
                break
        return False


def _compound(tree: Tree) -> _Compound | None:
    classes: list[str] = []
    ident: str | None = None
    attributes: list[tuple[str, str, str]] = []
    while not isinstance(tree, Element):
        if isinstance(tree, Class):
            classes.append(tree.class_name)
            tree = tree.selector
        elif isinstance(tree, Hash) and ident is None:
            ident = tree.id
            tree = tree.selector
        elif isinstance(tree, Attrib) and tree.namespace is None and tree.operator in _ATTRIBUTE_OPERATORS:
            value = (tree.value.value or "") if tree.value is not None else ""
            attributes.append((tree.attrib.lower(), tree.operator, value))
            tree = tree.selector
        else:
            return None
    if tree.namespace is not None:
        return None
    return _Compound(tree.element.lower() if tree.element else None, frozenset(classes), ident, tuple(attributes))


def _chain(selector: cssselect.Selector) -> _Chain | None:
    """The selector as a _Chain, or None when it needs more than this matcher knows (a pseudo-class,
    a sibling combinator, an attribute operator it lacks, a namespace)."""
    if selector.pseudo_element is not None:
        return None
    tree, compounds, combinators = selector.parsed_tree, [], []
    while isinstance(tree, CombinedSelector):
        if tree.combinator not in (" ", ">"):
            return None
        compounds.append(_compound(tree.subselector))
        combinators.append(tree.combinator)
        tree = tree.selector
    compounds.append(_compound(tree))
    if any(c is None for c in compounds):
        return None
    return _Chain(tuple(reversed(cast(list[_Compound], compounds))), tuple(reversed(combinators)))


class _PythonMatch:
    """A selector list matched by walking the elements of the tags its subjects name: an element's
    class tokens are split once and looked up, so forty-five column classes cost one dict lookup
    per token, not forty-five string tests; a subject that names no class is looked up by its id or
    first exact attribute when it names one."""

    def __init__(self, chains: list[_Chain]) -> None:
        # subject tag ("" for any) -> class token -> chains whose subject needs it
        self.by_token: dict[str, dict[str, list[_Chain]]] = {}
        # subject tag -> (attribute, its exact value) -> chains; and subjects with neither
        self.by_value: dict[str, dict[tuple[str, str], list[_Chain]]] = {}
        self.other: dict[str, list[_Chain]] = {}
        for chain in chains:
            subject, tag = chain.subject, chain.subject.tag or ""
            exact = [(n, v) for n, op, v in subject.attributes if op == "="]
            if subject.classes:
                self.by_token.setdefault(tag, {}).setdefault(min(subject.classes), []).append(chain)
            elif subject.id is not None or exact:
                key = ("id", subject.id) if subject.id is not None else exact[0]
                self.by_value.setdefault(tag, {}).setdefault(key, []).append(chain)
            else:
                self.other.setdefault(tag, []).append(chain)
        self.attributes = {name for index in self.by_value.values() for name, _ in index}
        tags = {chain.subject.tag for chain in chains}
        self.tags = None if None in tags else tuple(t for t in tags if t is not None)

    def _matches(self, el: etree._Element, tag: str, scope: etree._Element) -> bool:
        value = el.get("class")
        tokens = value.split() if value else []
        for key in (tag, ""):
            if (other := self.other.get(key)) and any(c.matches(el, tokens, scope) for c in other):
                return True
            if tokens and (index := self.by_token.get(key)):
                for token in tokens:
                    if (found := index.get(token)) and any(c.matches(el, tokens, scope) for c in found):
                        return True
            if by_value := self.by_value.get(key):
                for name in self.attributes:
                    have = el.get(name)
                    if have is not None and (found := by_value.get((name, have))) and any(
                            c.matches(el, tokens, scope) for c in found):
                        return True
        return False

    def _iter(self, element: etree._Element) -> Iterator[HtmlElement]:
        elements = element.iter(*self.tags) if self.tags is not None else element.iter()
        for el in elements:
            tag = el.tag
            if isinstance(tag, str) and self._matches(el, tag, element):  # no comment or processing instruction
                yield cast(HtmlElement, el)  # lxml.html's parser makes HtmlElements

    def all(self, element: etree._Element) -> list[HtmlElement]:
        return list(self._iter(element))

    def first(self, element: etree._Element) -> HtmlElement | None:
        return next(self._iter(element), None)


def _upward(selector: cssselect.Selector) -> str | None:
    """A selector with combinators (`.main_body .col-md-27`, `div.title > h1`) as one scan for its
    subject with its contexts tested upwards (`descendant-or-self::*[col-md-27][ancestor::*[main_body]]`),
    or None (no combinator, a sibling combinator, a pseudo-element, a subject with no class, id or
    attribute to test under a descendant combinator). From a tree's root element it finds the same
    elements as the downward translation, in document order, and its first match ends the scan (the
    downward one scans every context first). Not from an inner element: an ancestor above it would
    count."""
    if selector.pseudo_element is not None or not isinstance(selector.parsed_tree, CombinedSelector):
        return None
    tree: Tree = selector.parsed_tree
    steps: list[tuple[Tree, str]] = []
    while isinstance(tree, CombinedSelector):
        if tree.combinator not in (" ", ">"):
            return None
        steps.append((tree.subselector, tree.combinator))
        tree = tree.selector
    steps.append((tree, ""))  # steps[0]: the subject; steps[i][1] joins steps[i] to steps[i + 1]
    exprs = [_TRANSLATOR.xpath(step) for step, _ in steps]
    if not exprs[0].condition and any(combinator == " " for _, combinator in steps[:-1]):
        return None  # a bare tag under a context: every such element would walk its ancestors
    context = ""
    for i in range(len(steps) - 1, 0, -1):
        axis = "parent" if steps[i - 1][1] == ">" else "ancestor"
        tests = "".join(f"[{c}]" for c in (exprs[i].condition, context) if c)
        context = f"{axis}::{exprs[i].element}{tests}"
    subject = "".join(f"[{c}]" for c in (exprs[0].condition, context) if c)
    return f"descendant-or-self::{exprs[0].element}{subject}"


class Query:
    """`Query("div.body").all(element)`: matches of a CSS selector list in document order."""

    def __init__(self, css: str) -> None:
        self.css = css
        selectors = cssselect.parse(css)
        branches = [_TRANSLATOR.selector_to_xpath(selector) for selector in selectors]
        self.branches = branches  # one XPath per selector of the list
        chains = [_chain(s) for s in selectors]
        # Three or more alternatives: one token lookup per element beats libxml2's string tests. Not
        # when an alternative's element is a bare tag under a context (`div.news_path a`): every <a>
        # would walk its ancestors, and XPath, going down from the context, is cheaper.
        python = len(selectors) >= 3 and all(
            c is not None and (len(c.compounds) == 1 or c.subject.classes or c.subject.id is not None
                               or any(op == "=" for _, op, _ in c.subject.attributes)) for c in chains)
        self._python = _PythonMatch(cast(list[_Chain], chains)) if python else None
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
        self.scans = scans  # the XPaths whose union is the list's matches (one per element name, or per selector)
        self._xpath = etree.XPath(" | ".join(scans), regexp=False)
        # For the first match, each scan stops at its first hit (libxml2 ends a step's scan at a
        # [1]); the earliest of those in document order is the first match of the whole list.
        self._first = etree.XPath(" | ".join(f"{scan}[1]" for scan in scans), regexp=False)
        # From a tree's root (a whole page), a selector with combinators is scanned subject first (a
        # list with one has no compound grouping: its scans are its branches).
        upward = [_upward(s) for s in selectors]
        self._first_from_root = self._first if all(u is None for u in upward) else etree.XPath(
            " | ".join(f"{u or b}[1]" for b, u in zip(branches, upward, strict=True)), regexp=False)

    # The elements are HtmlElements: every page is parsed by lxml.html's parser (through parsel).
    def all(self, element: etree._Element) -> list[HtmlElement]:
        if self._python is not None:
            return self._python.all(element)
        found: list[HtmlElement] = self._xpath(element)  # lxml types an XPath's result as Any
        return found

    def first(self, element: etree._Element) -> HtmlElement | None:
        if self._python is not None:
            return self._python.first(element)
        found = (self._first_from_root if element.getparent() is None else self._first)(element)
        return found[0] if found else None

    def __repr__(self) -> str:
        return f"Query({self.css!r})"
