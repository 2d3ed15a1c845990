"""Pipeline 3: an item that is not fit for the dataset goes to the quarantine with its reasons and
leaves the pipeline; the crawl goes on."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem
from spidermon.contrib.validation import JSONSchemaValidator

from newscrawl import schema
from newscrawl import stats as stat
from newscrawl.items import Article, exported
from newscrawl.output.paths import run_path
from newscrawl.output.quarantine import QuarantineFile, quarantine_record
from newscrawl.run.signals import article_quarantined
from newscrawl.run.stopping import stop_run
from newscrawl.sites import cms_for, profile_named

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_SCHEMA_VALIDATOR = JSONSchemaValidator(schema.load())  # the errors, in Spidermon's words
try:  # the verdict, compiled once (Rust): ~100x cheaper than jsonschema for the items that pass
    import jsonschema_rs
    _COMPILED_SCHEMA: Any = jsonschema_rs.validator_for(schema.load())
except ImportError:  # pragma: no cover - tests hide the module to check the fallback
    _COMPILED_SCHEMA = None
# A reason given for a field covers the fields read from the same place.
_DERIVED = {"published_at": ("published_at_jalali", "published_raw")}

_MOJIBAKE = re.compile("\ufffd|[ØÙÛÚ][\u0080-\u00ff]")


def _canonical_url(item: Article) -> str | None:
    """The article URL the site's CMS gives the item's site and id (None: no such site or id). A site
    no profile names is the generic one of the item's own host."""
    profile = profile_named(item.site, item.url)
    if profile is None or not isinstance(item.news_id, int) or item.news_id <= 0:
        return None
    return cms_for(profile).article_url(profile, item.news_id)


def schema_errors(data: dict) -> dict[str, list[str]]:
    """The published JSON Schema's errors in `data` (field path -> messages, as Spidermon's validator
    gives them); {} when it is valid. The compiled validator says whether there are any; only an item
    it rejects (or one it cannot read) goes through Spidermon's, so the errors are the same."""
    if _COMPILED_SCHEMA is not None:
        try:
            if _COMPILED_SCHEMA.is_valid(data):
                return {}
        except ValueError:  # a value jsonschema-rs does not map to JSON: Spidermon's validator says
            pass
    ok, errors = _SCHEMA_VALIDATOR.validate(data)
    return {} if ok else errors


def problems(item: Article, data: dict | None = None) -> list[str]:
    """Why the item cannot be written; each reason starts with the field it concerns. `data` is
    exported(item), when the caller has it already."""
    reasons = list(item.defects)
    if not isinstance(item.news_id, int) or item.news_id <= 0:
        reasons.append(f"news_id: missing or not a positive integer ({item.news_id!r})")
    if not item.url or item.url != _canonical_url(item):
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
    # The published JSON Schema of the dataset, for everything the rules above do not already say.
    errors = schema_errors(exported(item) if data is None else data)
    if errors:
        named = {r.split(":", 1)[0] for r in reasons}
        covered = named.union(*(_DERIVED.get(n, ()) for n in named))
        for field, messages in sorted(errors.items()):
            top = field.split(".", 1)[0]
            if top not in covered and top != "crawled_at":
                reasons.append(f"{top or 'item'}: schema: {field or 'item'}: {'; '.join(messages)}")
    return reasons


class ValidationPipeline:
    def __init__(self, quarantine, stats=None, signals=None):
        self.quarantine = quarantine
        self.stats = stats
        self.signals = signals
        self.crawler: Crawler | None = None  # set by from_crawler: a crawl stops when the quarantine fails

    @classmethod
    def from_crawler(cls, crawler):
        # The file is named after the run (spider attributes, as in feed URIs), created when needed.
        template = crawler.settings.get("QUARANTINE_PATH")
        pipeline = cls(QuarantineFile(lambda: run_path(template, crawler.spider)), crawler.stats, crawler.signals)
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item: Article) -> Article:
        data = exported(item)  # once: the schema checks it, the quarantine record keeps it
        reasons = problems(item, data)
        if not reasons:
            return item
        try:
            self.quarantine.write(quarantine_record(item, reasons, data))
        except OSError as exc:  # the page is not recorded as bad: a rerun fetches it again
            if self.crawler is None:
                raise
            stop_run(self.crawler, "write_failed", f"the quarantine could not be written: {exc}")
            raise DropItem(f"not quarantined (the quarantine file failed): {item.url or item.source_url}",
                           log_level="INFO") from exc
        if self.signals is not None:
            self.signals.send_catch_log(article_quarantined, site=item.site, news_id=item.news_id,
                                        reason="; ".join(reasons))
        if self.stats is not None:
            self.stats.inc_value(stat.QUARANTINED)
            for field in dict.fromkeys(r.split(":", 1)[0] for r in reasons):
                self.stats.inc_value(stat.QUARANTINED_FOR(field))
        # One INFO line with the reasons; the item itself is in the quarantine file.
        raise DropItem(f"quarantined {item.url or item.source_url}: {'; '.join(reasons)}", log_level="INFO")

    def close_spider(self) -> None:
        self.quarantine.close()
