"""Pipeline 1: the raw body markup becomes article text; widgets, promos, link lists and captions
leave it (captions go to `images`, «بیشتر بخوانید» links to `related`)."""

from __future__ import annotations

from newscrawl.items import Article
from newscrawl.sites import PROFILES, cms_for


class BoilerplatePipeline:
    def process_item(self, item: Article) -> Article:
        if item.body_html:
            profile = PROFILES[item.site]
            try:
                content = cms_for(profile).clean_body(item.body_html, profile, item.news_id)
            except Exception as exc:  # noqa: BLE001 - quarantined by validation, never lost
                item.defects.append(f"body: cleaning failed: {type(exc).__name__}: {exc}")
            else:
                item.body = content.text or None
                item.images = content.images
                item.videos = content.videos
                item.related = content.related
        item.body_html = None  # the markup is not needed past this point
        return item
