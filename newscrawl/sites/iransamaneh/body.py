"""The article body of an IranSamaneh page, with its boilerplate taken out (markup §2a).

`clean_body(element, profile, news_id)` takes an element holding the page's own `div.body` (and a
photo page's album), cleans it in place, and returns the article text as paragraphs in reading order
(subheads, list items and blockquotes their own paragraphs, a table one paragraph per row with its
cells joined by ` | `), the in-body images with their captions, the videos (a video's poster is no
image), and the «بیشتر بخوانید» links as related-article data; and the same paragraphs, images and
videos as typed blocks in reading order (items.Block), from the same walk over the cleaned tree.
What it removes is listed in `markup`; a site's sign-off lines (yjc «انتهای پیام/») are declared on its profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.items import TEXT_BLOCK_TYPES, Block, Image, Related
from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.iransamaneh.generations import RelatedBlock
from newscrawl.sites.iransamaneh.urls import absolute, news_id_from_url
from newscrawl.sites.iransamaneh.values import text_content
from newscrawl.sites.profiles import SiteProfile
from newscrawl.sites.query import css_to_xpath
from newscrawl.text import fold

INLINE = frozenset(
    "a abbr b bdi bdo big cite code del dfn em font i ins kbd label mark q s samp small span strike "
    "strong sub sup time tt u var wbr".split()
)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp)(?:$|\?)", re.IGNORECASE)
_PUNCT_ONLY = re.compile(r"^[\s\W_]*$")
_RELATED_HEADING = re.compile(markup.RELATED_HEADING)
_RULE = re.compile(markup.RULE)
_TEXT_NODES = etree.XPath(".//text()", regexp=False)
_URL_BREAKS = re.compile("[\t\r\n]")


@dataclass(frozen=True)
class _BlockRule:
    """Blocks dropped when their whole folded text (at most _DROP_BLOCK_MAX_CHARS) matches `pattern`
    (`re.match`): a site's boilerplate pattern or exact text."""
    pattern: re.Pattern[str]
    # The folded first characters a matching block starts with, so that no other block is folded;
    # None: the pattern does not say (a class, `.*`), it is tried on every short block.
    initials: frozenset[str] | None
    # Whether a wrapper whose text still matches goes too (a prefix pattern: the widget's title and
    # its links); not for a "contains" pattern (`.*Telegram`: the text around it is not the widget's)
    # nor exact text.
    climb: bool


@dataclass(frozen=True)
class _TextRules:
    drop_text: re.Pattern[str]      # blocks dropped by the phrase they start with: the CMS's and the site's
    # The first characters any marker (heading, rule, dropped block) can start with, folded
    # (text.fold): a text node whose folded start is another character is not folded whole.
    marker_initials: frozenset[str]
    block_rules: tuple[_BlockRule, ...]  # the patterns and the exact texts


_REGEX_SYNTAX = frozenset("\\.^$*+?{}[]|()")
_CONTAINS = re.compile(r"\^?\.[*+{]")  # a pattern that may match anywhere in the text: `.*Telegram`


_FIRST_CLASS = re.compile(r"\[(?:\\.|[^]\\])+\]|\\d")  # a pattern's first atom when a class: `[\d۰-۹]`
_BMP = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))


def _first_characters(source: str) -> frozenset[str] | None:
    """The characters a match of the pattern `source` can start with, when its first atom says
    (a literal, a small class such as digits); None when it does not (`.*`, an optional atom)."""
    atom = _FIRST_CLASS.match(source)
    first = atom.group() if atom else source[:1]
    if not first or source[len(first):len(first) + 1] in ("?", "*", "{"):
        return None
    if atom:
        chars = frozenset(re.findall(first, _BMP))
        return chars if len(chars) <= 1000 else None
    return frozenset(fold(first)) if first not in _REGEX_SYNTAX else None


def _pattern_rule(pattern: str) -> _BlockRule:
    source = pattern.lstrip("^")
    return _BlockRule(re.compile(source), _first_characters(source), climb=not _CONTAINS.match(pattern))


@cache
def _text_rules(phrases: tuple[str, ...], patterns: tuple[str, ...], exact: tuple[str, ...]) -> _TextRules:
    phrases = (*markup.DROP_BLOCK_PREFIXES, *phrases)
    rules = [_pattern_rule(p) for p in (*markup.DROP_BLOCK_PATTERNS, *patterns)]
    if folded := [fold(e) for e in exact]:
        rules.append(_BlockRule(re.compile(rf"(?:{'|'.join(map(re.escape, folded))})\Z"),
                                frozenset(e[:1] for e in folded), climb=False))
    drop = re.compile("|".join(re.escape(p) for p in phrases))
    initials = frozenset(
        "".join(fold(t)[:1] for t in (*phrases, markup.RELATED_HEADING_TEXT))
        + markup.RULE_CHARS + "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
    )
    return _TextRules(drop, initials, tuple(rules))


def _rules(profile: SiteProfile) -> _TextRules:
    return _text_rules(profile.boilerplate_phrases, profile.boilerplate_patterns, profile.boilerplate_exact)


_CENTERED = re.compile(markup.CENTERED, re.IGNORECASE)
_DROP_XPATH = etree.XPath(" | ".join(css_to_xpath(css) for css in markup.DROP), regexp=False)
_CUT_XPATH = etree.XPath(css_to_xpath(markup.CUT_AT), regexp=False)
_BODY_XPATH = etree.XPath(css_to_xpath(markup.BODY), regexp=False)
# Blocks dropped by their text are at most this long, so a wrapper around the article never is.
_DROP_BLOCK_MAX_CHARS = 600
TABLE_CELL_SEPARATOR = " | "


@dataclass
class CleanBody:
    paragraphs: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    videos: list[str] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    # paragraphs, images and videos in reading order, typed: the paragraphs are their text blocks
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _folded_text(el: HtmlElement) -> str:
    return fold(text_content(el))


def _folded_start(el: HtmlElement, enough: Callable[[str], bool]) -> str:
    """The folded text of `el` (as _folded_text), read a text node at a time and only as far as the
    first folded start that is `enough` to decide a test on how the element starts: the whole text
    when none is. The fold of a start is a start of the fold (it maps one character at a time and
    collapses whitespace), so a test decided on a start is decided for the whole text."""
    text = ""
    for piece in el.itertext():
        text += piece
        folded = fold(text)
        if enough(folded):
            return folded
    return fold(text)


_HEADING_CHARS = len(markup.RELATED_HEADING_TEXT)
_HEADING_LEAD = markup.RELATED_HEADING_DASHES + " "
_RULE_CHARS = frozenset(markup.RULE_CHARS)


def _starts_with_heading(el: HtmlElement) -> bool:
    """Whether the element's folded text starts with the «بیشتر بخوانید» heading (_RELATED_HEADING),
    from its first words only: enough once the heading's length is read past the leading dashes and
    spaces (the pattern's optional run; what stripping more leaves is shorter, so never too little)."""
    start = _folded_start(el, lambda folded: len(folded.lstrip(_HEADING_LEAD)) >= _HEADING_CHARS)
    return bool(_RELATED_HEADING.match(start))


def _is_rule(el: HtmlElement) -> bool:
    """Whether the element's whole folded text is a `-----` rule (_RULE): read only until a character
    no rule has (a space included: a rule is one run)."""
    text = _folded_start(el, lambda folded: not _RULE_CHARS.issuperset(folded))
    return bool(_RULE.match(text))


_Heads = list[tuple[HtmlElement, str]]  # (element, folded head of a text node in it)


def _marker_heads(body: HtmlElement, initials: frozenset[str]) -> _Heads:
    """The (element, folded head) of every text node that could start a marker. The markers are
    short and come first, so the head of a text node is enough, and nodes starting with any other
    character are not even folded. Found once per body, used by every step."""
    heads = []
    for node in _TEXT_NODES(body):
        head = node.lstrip()[:80]
        # folded before the test: a direction mark the fold drops may come first, and ي/ك are ی/ک
        if head and fold(head[:8]).lstrip()[:1] in initials and not node.is_tail:
            heads.append((node.getparent(), fold(head).lstrip()))
    return heads


def _elements_starting_with(body: HtmlElement, heads: _Heads, pattern: re.Pattern[str]) -> list[HtmlElement]:
    """Elements still in the body whose first text matches the pattern."""
    found = []
    for el, head in heads:
        if not pattern.match(head) or not any(a is body for a in el.iterancestors()):
            continue
        # climb while the text is the first thing in the ancestor
        while ((parent := el.getparent()) is not None and parent is not body
               and not (parent.text or "").strip() and el.getprevious() is None):
            el = parent
        found.append(el)
    return found


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to what follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _is_block(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag not in INLINE


def _news_links(el: HtmlElement) -> list[HtmlElement]:
    return [a for a in el.iter("a") if news_id_from_url(a.get("href"))]


def _residual_text(el: HtmlElement) -> str:
    """The element's text that is not inside a link nor the «بیشتر بخوانید» heading."""
    parts = [el.text or ""]
    for child in el.iterdescendants():
        if child.tag != "a" and not any(a.tag == "a" for a in child.iterancestors()):
            parts.append(child.text or "")
        parts.append(child.tail or "")
    text = fold("".join(parts))
    return _RELATED_HEADING.sub("", text)


def _link_only(el: HtmlElement) -> bool:
    return bool(_news_links(el)) and bool(_PUNCT_ONLY.match(_residual_text(el)))


def _mid_text(el: HtmlElement) -> bool:
    """An inline element with text of its sentence before or after it in its block."""
    parent = el.getparent()
    if _is_block(el) or parent is None:
        return False
    previous = el.getprevious()
    before = (parent.text or "") if previous is None else (previous.tail or "")
    return bool(before.strip()) or (previous is not None and not _is_block(previous)) or not _PUNCT_ONLY.match(
        " ".join((el.tail or "").split()))


def _is_heading(el: HtmlElement) -> bool:
    """The «بیشتر بخوانید» heading itself (links may follow it in its block): not a paragraph that
    merely starts with those words, nor the words inside a sentence."""
    return _starts_with_heading(el) and bool(_PUNCT_ONLY.match(_residual_text(el))) \
        and not _mid_text(el)


def _take_related(body: HtmlElement, heads: _Heads, news_id: int | None) -> list[Related]:
    """Find every «بیشتر بخوانید» block (heading + its links, and a `-----` rule before it), remove it
    from the body and return its links. A bare rule followed by link-only blocks counts too."""
    related: list[Related] = []
    starts = [el for el in _elements_starting_with(body, heads, _RELATED_HEADING) if _is_heading(el)]
    starts += [el for el in _elements_starting_with(body, heads, _RULE)
               if _is_rule(el) and (after := el.getnext()) is not None and _link_only(after)]
    for heading in starts:
        if heading.getparent() is None or not any(a is body for a in heading.iterancestors()):
            continue  # already removed with an earlier block
        block = heading
        while ((parent := block.getparent()) is not None and parent is not body
               and _starts_with_heading(parent)
               and _PUNCT_ONLY.match(_residual_text(parent))):
            block = parent
        members = [block]
        # A heading alone is followed by its links, one per block; a block with links is complete.
        sibling = None if _news_links(block) else block.getnext()
        while (sibling is not None and not (block.tail or "").strip() and _link_only(sibling)
               and len(_news_links(sibling)) == 1):
            members.append(sibling)
            if (sibling.tail or "").strip():
                break
            sibling = sibling.getnext()
        previous = block.getprevious()
        if previous is not None and _is_rule(previous):
            members.insert(0, previous)
        for member in members:
            for a in _news_links(member):
                rid = news_id_from_url(a.get("href"))
                title = " ".join(text_content(a).split())
                if rid is not None and rid != news_id and title and all(r["news_id"] != rid for r in related):
                    related.append(Related(news_id=rid, title=title))
            _drop(member)
    return related


def _cut_after_marker(body: HtmlElement) -> None:
    for marker in _CUT_XPATH(body):
        node = marker
        while node is not None and node is not body:
            for sibling in list(node.itersiblings()):
                node.getparent().remove(sibling)
            node.tail = None
            node = node.getparent()
        if marker.getparent() is not None:
            marker.getparent().remove(marker)


def _drop_blocks_by_text(body: HtmlElement, heads: _Heads, drop_text: re.Pattern[str]) -> None:
    for el in _elements_starting_with(body, heads, drop_text):
        if el.getparent() is None or el is body:
            continue
        text = _folded_text(el)
        if len(text) > _DROP_BLOCK_MAX_CHARS or not drop_text.match(text):
            continue
        while ((parent := el.getparent()) is not None and parent is not body
               and len(parent_text := _folded_text(parent)) <= _DROP_BLOCK_MAX_CHARS
               and drop_text.match(parent_text)):
            el = parent
        _drop(el)


def _drop_blocks_by_rules(body: HtmlElement, rules: tuple[_BlockRule, ...]) -> None:
    """Drop the short blocks a rule matches whole. The candidates are the innermost blocks holding a
    text node (the page's div.body itself never is one); a rule that names its first characters is
    only tried on blocks with a text node starting with one of them."""
    if not rules:
        return
    bodies = set(_BODY_XPATH(body))
    candidates: dict[HtmlElement, list[_BlockRule]] = {}
    for node in _TEXT_NODES(body):
        head = node.lstrip()[:8]
        if not head:
            continue
        initial = fold(head)[:1]
        wanted = [r for r in rules if r.initials is None or initial in r.initials]
        if not wanted:
            continue
        el = node.getparent()
        if node.is_tail and el is not None:
            el = el.getparent()
        while el is not None and not _is_block(el):
            el = el.getparent()
        if el is None or el is body or el in bodies:
            continue
        known = candidates.setdefault(el, [])
        known.extend(r for r in wanted if r not in known)
    for el, tried in candidates.items():
        if not any(a is body for a in el.iterancestors()):
            continue  # removed with an earlier block
        text = _folded_text(el)
        if len(text) > _DROP_BLOCK_MAX_CHARS:
            continue
        for rule in tried:
            if rule.pattern.match(text):
                while (rule.climb and (parent := el.getparent()) is not None and parent is not body
                       and parent not in bodies
                       and len(parent_text := _folded_text(parent)) <= _DROP_BLOCK_MAX_CHARS
                       and rule.pattern.match(parent_text)):
                    el = parent
                _drop(el)
                break


def _drop_widgets(body: HtmlElement, heads: _Heads, profile: SiteProfile, drop: etree.XPath | None) -> None:
    for xpath in (_DROP_XPATH, drop) if drop is not None else (_DROP_XPATH,):
        for el in xpath(body):
            if el is not body:
                _drop(el)
    rules = _rules(profile)
    _drop_blocks_by_text(body, heads, rules.drop_text)
    _drop_blocks_by_rules(body, rules.block_rules)
    for a in list(body.iter("a")) if profile.promo_hosts else ():
        href = a.get("href") or ""
        # A host is in its link's text, lowercased, unless a tab or newline splits it (urlsplit drops them).
        if not any(host in href.lower() for host in profile.promo_hosts) and not _URL_BREAKS.search(href):
            continue
        host = urlsplit(href).hostname or ""
        if host not in profile.promo_hosts or a.getparent() is None:
            continue
        block = a
        while (parent := block.getparent()) is not None and parent is not body and not _is_block(block):
            block = parent
        if len(_folded_text(block)) <= markup.PROMO_MAX_CHARS:
            _drop(block)


# The block type of a block element's text (and of the blocks inside it that have none of their own).
_BLOCK_TYPE = {**{f"h{n}": "heading" for n in range(1, 7)}, "li": "list_item", "blockquote": "quote"}
_BOLD = frozenset(("strong", "b"))


def _is_subhead(text: str) -> bool:
    """A paragraph all in bold that is a subhead: short, not ending as a sentence does (markup)."""
    end = text.rstrip(markup.SUBHEAD_CLOSING + " ")
    return len(text) <= markup.SUBHEAD_MAX_CHARS and bool(end) and end[-1] not in markup.SUBHEAD_NOT_ENDING


class _Walker:
    """Turns the cleaned tree into an ordered run of typed paragraphs, images and videos."""

    def __init__(self, profile: SiteProfile) -> None:
        self.profile = profile
        self.tokens: list[tuple[str, str, bool]] = []  # (block type, value, centered)
        self._buffer: list[str] = []
        self._unbolded = False  # whether the buffer holds text outside <strong>/<b>
        self._bold = 0
        self._centered = [False]
        self._types = ["paragraph"]

    def flush(self) -> None:
        if not self._buffer:
            return
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        unbolded, self._unbolded = self._unbolded, False
        if text and not _RULE.match(text):
            kind = self._types[-1]
            if kind == "paragraph" and not unbolded and _is_subhead(text):
                kind = "heading"
            self.tokens.append((kind, text, self._centered[-1]))

    def walk(self, el: HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag == "img":
            self.flush()
            link = el.getparent()
            href = link.get("href") if link is not None and link.tag == "a" else None
            src = href if href and _IMAGE_FILE.search(href) else (el.get("data-src") or el.get("src"))
            url = absolute(self.profile, src)
            if url:
                self.tokens.append(("image", url, False))
        elif tag in ("video", "audio"):
            self.flush()
            sources = [el.get("src")] + [s.get("src") for s in el.iter("source")]
            for url in filter(None, (absolute(self.profile, s) for s in sources)):
                self.tokens.append(("video", url, False))
        elif tag == "br":
            self.flush()
        elif tag == "tr":
            self.flush()
            cells = [" ".join(text_content(c).split()) for c in el if c.tag in ("td", "th")]
            row = TABLE_CELL_SEPARATOR.join(c for c in cells if c)
            if row:
                self.tokens.append(("table_row", row, False))
        elif tag is not None:
            block = tag not in INLINE
            bold = tag in _BOLD
            if block:
                self.flush()
                centered = bool(_CENTERED.search(el.get("style") or "")) or el.get("align") == "center"
                self._centered.append(centered or (tag != "div" and self._centered[-1]))
                self._types.append(_BLOCK_TYPE.get(tag, self._types[-1]))
            if bold:
                self._bold += 1
            if text := el.text:
                self._buffer.append(text)
                if not (self._bold or self._unbolded or text.isspace()):
                    self._unbolded = True
            for child in el:
                self.walk(child)
            if bold:
                self._bold -= 1
            if block:
                self.flush()
                self._centered.pop()
                self._types.pop()
        if tail := el.tail:  # the parent's text, as above
            self._buffer.append(tail)
            if not (self._bold or self._unbolded or tail.isspace()):
                self._unbolded = True


def _assemble(tokens: list[tuple[str, str, bool]]) -> CleanBody:
    result = CleanBody()
    captions: set[int] = set()
    image_blocks: dict[int, Block] = {}  # token index -> the image's block (its first occurrence)

    def caption_at(i: int) -> bool:
        if not 0 <= i < len(tokens) or i in captions:
            return False
        kind, text, centered = tokens[i]
        return kind in TEXT_BLOCK_TYPES and centered and len(text) <= markup.CAPTION_MAX_CHARS

    for i, (kind, value, _) in enumerate(tokens):
        if kind != "image":
            continue
        caption = None
        for j in (i + 1, i - 1):
            if caption_at(j):
                captions.add(j)
                caption = tokens[j][1]
                break
        if all(img["url"] != value for img in result.images):
            result.images.append(Image(url=value, caption=caption))
            image_blocks[i] = Block(type="image", text=None, url=value, caption=caption)
    for i, (kind, value, _) in enumerate(tokens):
        if i in image_blocks:
            result.blocks.append(image_blocks[i])
        elif kind in TEXT_BLOCK_TYPES and i not in captions:
            result.paragraphs.append(value)
            result.blocks.append(Block(type=kind, text=value, url=None, caption=None))
        elif kind == "video" and value not in result.videos:
            result.videos.append(value)
            result.blocks.append(Block(type="video", text=None, url=value, caption=None))
    return result


@cache
def _sign_off(sign_offs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(rf"{re.escape(s)}\s*/\s*\w{{0,4}}" for s in sign_offs))


def _is_sign_off(text: str, sign_offs: tuple[str, ...]) -> bool:
    """A whole paragraph that is one of the site's sign-offs (short: longer text is never one)."""
    if not sign_offs or len(text) > 40:
        return False
    return bool(_sign_off(sign_offs).fullmatch(fold(text)))


def clean_body(wrapper: HtmlElement, profile: SiteProfile, news_id: int | None,
               drop: etree.XPath | None = None) -> CleanBody:
    """The article's own content from the body elements under `wrapper` (changed in place); every
    widget and link list removed, and the nodes `drop` finds (the generation's own widgets)."""
    heads = _marker_heads(wrapper, _rules(profile).marker_initials)
    related = _take_related(wrapper, heads, news_id)
    for body in _BODY_XPATH(wrapper) or [wrapper]:
        _cut_after_marker(body)
    _drop_widgets(wrapper, heads, profile, drop)
    walker = _Walker(profile)
    walker.walk(wrapper)
    walker.flush()
    result = _assemble(walker.tokens)
    if profile.body_sign_offs:
        result.blocks = [b for b in result.blocks
                         if b["text"] is None or not _is_sign_off(b["text"], profile.body_sign_offs)]
        result.paragraphs = [b["text"] for b in result.blocks if b["text"] is not None]
    result.related = related
    return result


def _link_block_start(heading: HtmlElement) -> HtmlElement:
    """The block a related-news heading opens: the heading, or the wrapper it alone fills (yjc
    2019-2020: `div.page_title2` alone in its column, the links in the next column)."""
    block = heading
    while ((parent := block.getparent()) is not None and len(parent) == 1
           and not (parent.text or "").strip() and not (block.tail or "").strip()):
        block = parent
    return block


def related_in_blocks(scope: HtmlElement, blocks: tuple[RelatedBlock, ...], news_id: int | None) -> list[Related]:
    """The related-news block in its family forms (iransamaneh-family.md §1.1): a heading with its
    text («خبرهای مرتبط»), then link blocks (`div.linear_news a`). Only the link blocks that follow
    the heading, up to the first block that is no link block: sidebars reuse the same link blocks
    under other headings. Never the article itself, no duplicates."""
    related: list[Related] = []
    for block in blocks:
        for heading in block.heading.all(scope):
            if not fold(text_content(heading)).startswith(block.text):
                continue
            for sibling in _link_block_start(heading).itersiblings():
                if not isinstance(sibling.tag, str):
                    continue
                links = block.links.all(sibling)
                if not links or block.heading.first(sibling) is not None:
                    break
                for a in links:
                    rid = news_id_from_url(a.get("href"))
                    title = " ".join(text_content(a).split())
                    if rid is not None and rid != news_id and title and all(r["news_id"] != rid for r in related):
                        related.append(Related(news_id=rid, title=title))
    return related
