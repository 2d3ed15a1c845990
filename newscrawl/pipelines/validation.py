"""Pipeline 3: an item that is not fit for the dataset goes to the quarantine with its reasons and
leaves the pipeline; the crawl goes on."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from scrapy.exceptions import DropItem

from newscrawl.items import Article
from newscrawl.quarantine import QuarantineFile, quarantine_record

_CANONICAL = re.compile(r"^https://[a-z0-9.-]+/fa/news/(\d+)$")
_MOJIBAKE = re.compile("\ufffd|[ØÙÛÚ][\u0080-\u00ff]")


def problems(item: Article) -> list[str]:
    """Why the item cannot be written; each reason starts with the field it concerns."""
    reasons = list(item.defects)
    if not isinstance(item.news_id, int) or item.news_id <= 0:
        reasons.append(f"news_id: missing or not a positive integer ({item.news_id!r})")
    match = _CANONICAL.match(item.url or "")
    if not match or int(match.group(1)) != item.news_id:
        reasons.append(f"url: not the canonical article URL of news_id {item.news_id} ({item.url!r})")
    if not item.title:
        reasons.append("title: missing")
    if not item.body and not any(r.startswith("body:") for r in reasons):
        reasons.append("body: empty once boilerplate is removed")
    if not item.published_at and not any(r.startswith("published_at") for r in reasons):
        reasons.append(f"published_at: no article date on the page (raw: {item.published_raw!r})")
    elif item.published_at:
        try:
            if datetime.fromisoformat(item.published_at).utcoffset() is None:
                reasons.append(f"published_at: no UTC offset ({item.published_at!r})")
        except ValueError:
            reasons.append(f"published_at: not ISO 8601 ({item.published_at!r})")
    for name in ("title", "body"):
        if _MOJIBAKE.search(getattr(item, name) or ""):
            reasons.append(f"{name}: undecodable or mis-decoded characters (wrong charset?)")
    return reasons


class ValidationPipeline:
    def __init__(self, quarantine, stats=None):
        self.quarantine = quarantine
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        started = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H-%M-%SZ")
        name = crawler.spidercls.name
        path = crawler.settings.get("QUARANTINE_PATH") % {"name": name, "time": started}
        return cls(QuarantineFile(path), crawler.stats)

    def process_item(self, item: Article) -> Article:
        reasons = problems(item)
        if not reasons:
            return item
        self.quarantine.write(quarantine_record(item, reasons))
        if self.stats is not None:
            self.stats.inc_value("newscrawl/quarantined")
            for field in dict.fromkeys(r.split(":", 1)[0] for r in reasons):
                self.stats.inc_value(f"newscrawl/quarantined/{field}")
        raise DropItem(f"quarantined {item.url or item.source_url}: {'; '.join(reasons)}", log_level="WARNING")

    def close_spider(self) -> None:
        self.quarantine.close()
