"""The reader comments of an article page, in page order: each comment, then the replies under it
(`reply_to`: the index of the comment they answer). A comment's own text is its text outside the
reply box; a reply without a text element is its own text nodes outside the reply's labels.
Comments without text are left out."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from newscrawl.items import Comment
from newscrawl.sites.iransamaneh import markup
from newscrawl.sites.iransamaneh.values import jalali_date, node_text
from newscrawl.sites.query import Query

_COMMENT = Query(markup.COMMENT)
_AUTHOR = Query(markup.COMMENT_AUTHOR)
_DATE = Query(markup.COMMENT_DATE)
_TEXT = Query(markup.COMMENT_TEXT)
_REPLY = Query(markup.COMMENT_REPLY)
_REPLY_AUTHOR = Query(markup.REPLY_AUTHOR)
_REPLY_DATE = Query(markup.REPLY_DATE)
_REPLY_OWN_TEXT = etree.XPath(markup.REPLY_OWN_TEXT)


def _in_answer_box(el: HtmlElement) -> bool:
    return any(markup.ANSWER_BOX in (a.get("class") or "").split() for a in el.iterancestors())


def comments_in(root: HtmlElement) -> list[Comment]:
    """The comments under `root` (the article column)."""
    comments: list[Comment] = []
    for node in _COMMENT.all(root):
        own_text = [t for t in _TEXT.all(node) if not _in_answer_box(t)]
        parent = len(comments)
        comments.append(Comment(author=node_text(_AUTHOR.first(node)),
                                published_at=jalali_date(node_text(_DATE.first(node)))[0],
                                text=(node_text(own_text[0]) if own_text else None) or "", reply_to=None))
        for reply in _REPLY.all(node):
            text = node_text(_TEXT.first(reply)) or " ".join(" ".join(_REPLY_OWN_TEXT(reply)).split())
            comments.append(Comment(author=node_text(_REPLY_AUTHOR.first(reply)),
                                    published_at=jalali_date(node_text(_REPLY_DATE.first(reply)))[0],
                                    text=text, reply_to=parent))
    return [c for c in comments if c["text"]]
