"""Pipeline 2: the character-level Persian text policy on every human-readable field. Idempotent."""

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
        for related in item.related:
            related["title"] = normalize_text(related["title"])
        for comment in item.comments:
            comment["author"] = normalize_text(comment["author"]) or None
            comment["text"] = normalize_paragraphs(comment["text"])
        return item
