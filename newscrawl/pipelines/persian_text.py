"""Pipeline 2: the character-level Persian text policy on every human-readable field. Idempotent.

`blocks` gets the policy that `body`, `images` and `videos` get, each text block as one paragraph of
the body (a paragraph that normalizes to nothing leaves the body, so its block goes too): the body
stays the text of the blocks (items.body_of_blocks)."""

from __future__ import annotations

from newscrawl.items import Article
from newscrawl.text import normalize_paragraphs, normalize_text

_LINE_FIELDS = ("title", "supertitle", "lead", "service", "category")


class PersianTextPipeline:
    def process_item(self, item: Article) -> Article:
        for name in _LINE_FIELDS:
            setattr(item, name, normalize_text(getattr(item, name)) or None)
        item.body = normalize_paragraphs(item.body) or None
        item.tags = list(dict.fromkeys(t for t in map(normalize_text, item.tags) if t))
        for image in item.images:
            image["caption"] = normalize_text(image["caption"]) or None
        blocks = []
        for block in item.blocks:
            if block["text"] is not None:
                block["text"] = normalize_text(block["text"])
                if not block["text"]:
                    continue
            if block["caption"] is not None:
                block["caption"] = normalize_text(block["caption"]) or None
            blocks.append(block)
        item.blocks = blocks
        for related in item.related:
            related["title"] = normalize_text(related["title"])
        for comment in item.comments:
            comment["author"] = normalize_text(comment["author"]) or None
            comment["text"] = normalize_paragraphs(comment["text"])
        return item
