"""The reader comments of an article page, in page order: each comment, then the replies under it
(`reply_to`: the index of the comment they answer). A comment's own text is its text outside the
reply box; a reply without a text element is its own text nodes outside the reply's labels.
Comments without text are left out."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.items import Comment
from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.iransamaneh.generations import Selectors
from newscrawl.sites.iransamaneh.values import jalali_date, node_text

_REPLY_OWN_TEXT = etree.XPath(markup.REPLY_OWN_TEXT, regexp=False, smart_strings=False)


_ANCESTOR_CLASSES = etree.XPath("ancestor::*/@class", regexp=False, smart_strings=False)


def _in_answer_box(el: HtmlElement) -> bool:
    # the ancestors' classes in one XPath, not an element object made per ancestor
    return any(markup.ANSWER_BOX in value.split() for value in _ANCESTOR_CLASSES(el))


def comments_in(root: HtmlElement, q: Selectors) -> list[Comment]:
    """The comments under `root` (the article column), by the generation's comment selectors."""
    comments: list[Comment] = []
    for node in q.comment.all(root):
        own_text = [t for t in q.comment_text.all(node) if not _in_answer_box(t)]
        parent = len(comments)
        comments.append(Comment(author=node_text(q.comment_author.first(node)),
                                published_at=jalali_date(node_text(q.comment_date.first(node)))[0],
                                text=(node_text(own_text[0]) if own_text else None) or "", reply_to=None))
        for reply in q.reply.all(node):
            text = node_text(q.reply_text.first(reply)) or " ".join(" ".join(_REPLY_OWN_TEXT(reply)).split())
            comments.append(Comment(author=node_text(q.reply_author.first(reply)),
                                    published_at=jalali_date(node_text(q.reply_date.first(reply)))[0],
                                    text=text, reply_to=parent))
    return [c for c in comments if c["text"]]
