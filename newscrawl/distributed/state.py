"""The "already written" state of a distributed crawl, in Redis: the same interface as the SQLite
StateStore (newscrawl/state.py), shared by every worker on every machine, plus the article claims
that make sure two workers never both write one article.

Keys (namespace STATE_NAME, default the crawl name, so that scheduled crawls under one name stay
incremental): state:articles HASH site:id -> content hash, state:first_seen / state:last_seen /
state:url HASH site:id -> ..., state:bad HASH site:id -> JSON {outcome, reason, tried}.
Claims belong to the crawl: claims HASH site:id -> worker, claims_of:<worker> SET; a claim whose
worker's alive key expired (it died) is void.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable

from newscrawl.distributed import CrawlKeys, connect, scripts
from newscrawl.distributed.guard import GUARD
from newscrawl.state import _now, content_hash


def _field(site: str, news_id: int) -> str:
    return f"{site}:{int(news_id)}"


class RedisStateStore:
    def __init__(self, server, crawl: CrawlKeys, state_name: str, bad_page_retry_hours: float = 24.0):
        self.server = server
        self.crawl = crawl
        prefix = f"newscrawl:{{{state_name}}}:state:"
        self.articles, self.first_seen, self.last_seen = prefix + "articles", prefix + "first_seen", prefix + "last_seen"
        self.urls, self.bad = prefix + "url", prefix + "bad"
        self.claims = f"newscrawl:{{{crawl.name}}}:claims"
        self.bad_page_retry = bad_page_retry_hours * 3600
        self._claim = server.register_script(scripts.CLAIM)
        self._release = server.register_script(scripts.RELEASE_CLAIMS)

    @classmethod
    def for_settings(cls, settings) -> RedisStateStore:
        crawl = settings["CRAWL_NAME"]
        return cls(connect(settings["REDIS_URL"]), CrawlKeys(crawl), settings.get("STATE_NAME") or crawl,
                   settings.getfloat("BAD_PAGE_RETRY_HOURS", 24.0))

    def _claims_of(self, owner: str) -> str:
        return f"{self.claims}_of:{owner}"

    def known(self, site: str, news_id: int) -> bool:
        return news_id in self.known_many(site, [news_id])

    def known_many(self, site: str, news_ids: list[int]) -> set[int]:
        """Which of these are written, or were tried lately without giving an article (one round trip)."""
        if not news_ids:
            return set()
        fields = [_field(site, i) for i in news_ids]
        pipe = self.server.pipeline(transaction=False)
        pipe.hmget(self.articles, fields).hmget(self.bad, fields)
        written, bad = GUARD.call(pipe.execute)
        recent = time.time() - self.bad_page_retry
        return {news_id for news_id, w, b in zip(news_ids, written, bad, strict=True)
                if w is not None or (b is not None and json.loads(b)["tried"] > recent)}

    def record_bad(self, site: str, news_id: int, outcome: str, reason: str) -> None:
        value = json.dumps({"outcome": outcome, "reason": reason[:500], "tried": time.time()}, ensure_ascii=False)
        GUARD.call(self.server.hset, self.bad, _field(site, news_id), value)

    def content_hash(self, site: str, news_id: int) -> str | None:
        return GUARD.call(self.server.hget, self.articles, _field(site, news_id))

    def record(self, items: Iterable[dict]) -> int:
        now, count = _now(), 0
        pipe = self.server.pipeline(transaction=True)
        for item in items:
            field = _field(item["site"], item["news_id"])
            pipe.hset(self.articles, field, content_hash(item)).hset(self.urls, field, item["url"])
            pipe.hsetnx(self.first_seen, field, now).hset(self.last_seen, field, now)
            pipe.hdel(self.bad, field).hdel(self.claims, field)
            count += 1
        if count:
            GUARD.call(pipe.execute)
        return count

    def touch(self, site: str, news_id: int) -> None:
        GUARD.call(self.server.hset, self.last_seen, _field(site, news_id), _now())

    def count(self) -> int:
        return GUARD.call(self.server.hlen, self.articles)

    def claim_with_previous(self, site: str, news_id: int, owner: str) -> tuple[bool, str | None]:
        """(may `owner` write the article now, the dead owner whose claim it took over, if any)."""
        allowed, previous = GUARD.call(self._claim, keys=[self.claims, self._claims_of(owner)],
                                       args=[_field(site, news_id), owner, self.crawl.alive("")])
        return bool(allowed), previous or None

    def claim(self, site: str, news_id: int, owner: str) -> bool:
        return self.claim_with_previous(site, news_id, owner)[0]

    def release_claims(self, owner: str) -> int:
        return GUARD.call(self._release, keys=[self.claims, self._claims_of(owner)], args=[owner])

    def worker_outputs(self, worker: str) -> list[str]:
        info = GUARD.call(self.server.hget, self.crawl.workers, worker)
        return json.loads(info).get("output", []) if info else []

    def close(self) -> None:
        self.server.close()
