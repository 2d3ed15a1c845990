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
        # The body's paragraphs are its text blocks again: each distinct text is normalized once.
        done: dict[str, str] = {}

        def line(text: str) -> str:
            if (found := done.get(text)) is None:
                found = done[text] = normalize_text(text)
            return found

        for name in _LINE_FIELDS:
            value = getattr(item, name)
            setattr(item, name, (line(value) if value is not None else None) or None)
        item.body = normalize_paragraphs(item.body, line=line) or None
        item.tags = list(dict.fromkeys(t for t in map(line, item.tags) if t))
        for image in item.images:
            image["caption"] = (line(image["caption"]) if image["caption"] is not None else None) or None
        blocks = []
        for block in item.blocks:
            if block["text"] is not None:
                block["text"] = line(block["text"])
                if not block["text"]:
                    continue
            if block["caption"] is not None:
                block["caption"] = line(block["caption"]) or None
            blocks.append(block)
        item.blocks = blocks
        for related in item.related:
            related["title"] = normalize_text(related["title"])
        for comment in item.comments:
            comment["author"] = normalize_text(comment["author"]) or None
            comment["text"] = normalize_paragraphs(comment["text"])
        return item
