"""The "already written" state of a distributed crawl, in Redis: the whole interface of the SQLite
store (newscrawl.state.StateBackend), shared by every worker on every machine, with the article
claims that make sure two workers never both write one article.

Keys (namespace STATE_NAME, default the crawl name, so that scheduled crawls under one name stay
incremental): state:articles HASH site:id -> content hash, state:first_seen / state:last_seen /
state:url HASH site:id -> ..., state:bad HASH site:id -> JSON {outcome, reason, tried}, state:walks HASH
site|walk -> JSON {page, url, failed_at, reason, run} (archive walks that broke, to resume),
state:latest_crawled_at STRING (the floor of a run's clock, newscrawl.run.clock).
Claims belong to the crawl: claims HASH site:id -> worker, claims_of:<worker> SET.

A claim's owner is a worker (newscrawl.run.store.owner_for). It is alive while its alive key is
(the heartbeat sets it with the lease visibility as its TTL); the claim of a worker that stopped
beating is void, and the next worker to claim the article takes it over, but first reads the dead
worker's output files (their paths are in its heartbeat): when one holds the article (the worker
died between writing the line and recording it), the article is recorded and the caller, looking
at the state again under its claim, does not write it again. So there are no dead owners to
release (`dead_owners` is empty): the takeover does what releasing does in the SQLite store.

Every failure is a StateError: Redis away past REDIS_WAIT_SECONDS (guard.RedisUnavailable), or any
other Redis error (read-only replica, out of memory, ...).
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import redis

from newscrawl.distributed import CrawlKeys, connect, scripts, worker_id
from newscrawl.distributed.guard import GUARD
from newscrawl.exceptions import StateError
from newscrawl.items import content_hash, utc_stamp
from newscrawl.output.jsonl import whole_lines
from newscrawl.output.parts import part_path

logger = logging.getLogger(__name__)


def _field(site: str, news_id: int) -> str:
    return f"{site}:{int(news_id)}"


def _site_and_id(field: str) -> tuple[str, int]:
    site, _, news_id = field.rpartition(":")
    return site, int(news_id)


def written_in(paths: list[str], site: str, news_id: int) -> dict | None:
    """The line for this article in these output files (the `.part` first, then the final file:
    recovery creates the final file before it removes the part, so this order never misses one
    being finalized meanwhile), if any."""
    needle = f'"news_id": {news_id},'.encode()
    compact = f'"news_id":{news_id},'.encode()
    for path in paths:
        for candidate in (part_path(path), Path(path)):
            try:
                data = candidate.read_bytes()
            except (FileNotFoundError, IsADirectoryError):
                continue
            if needle not in data and compact not in data:
                continue
            items, _ = whole_lines(data)  # a torn last line was not written
            for item, _ in items:
                if item.get("news_id") == news_id and item.get("site", site) == site:
                    return item
    return None


def _redis_errors(method):
    """Any Redis error leaves the store as a StateError (RedisUnavailable already is one)."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StateError:
            raise
        except redis.RedisError as exc:
            raise StateError(f"Redis state store {self.state_name!r}: {exc}") from exc
    return wrapper


class RedisStateStore:
    def __init__(self, server, crawl: CrawlKeys, state_name: str, bad_page_retry_hours: float = 24.0):
        self.server = server
        self.crawl = crawl
        self.state_name = state_name
        prefix = f"newscrawl:{{{state_name}}}:state:"
        self.articles, self.first_seen, self.last_seen = (
            prefix + "articles",
            prefix + "first_seen",
            prefix + "last_seen",
        )
        self.urls, self.bad, self.checked = prefix + "url", prefix + "bad", prefix + "checked_at"
        self.walks = prefix + "walks"  # HASH site|walk -> JSON {page, url, failed_at, reason, run}
        self.latest = prefix + "latest_crawled_at"  # STRING: the latest crawled_at recorded
        self.claims = f"newscrawl:{{{crawl.name}}}:claims"
        self.bad_page_retry = bad_page_retry_hours * 3600
        self._deferred: list | None = None  # records kept for the worker's heartbeat (defer_records)
        self._deferred_owner: str | None = None
        self._claim = server.register_script(scripts.CLAIM)
        self._claim_unwritten = server.register_script(scripts.CLAIM_UNWRITTEN)
        self._release = server.register_script(scripts.RELEASE_CLAIM)
        self._release_all = server.register_script(scripts.RELEASE_CLAIMS)
        self._record = server.register_script(scripts.RECORD)

    @classmethod
    def for_settings(cls, settings) -> RedisStateStore:
        GUARD.wait_seconds = settings.getfloat("REDIS_WAIT_SECONDS", GUARD.wait_seconds)
        crawl = settings["CRAWL_NAME"]
        return cls(connect(settings["REDIS_URL"]), CrawlKeys(crawl), settings.get("STATE_NAME") or crawl,
                   settings.getfloat("BAD_PAGE_RETRY_HOURS", 24.0))

    def owner_for(self, spider) -> str:
        """A worker's claims are the worker's: alive while its heartbeat is."""
        return worker_id(spider)

    def _claims_of(self, owner: str) -> str:
        return f"{self.claims}_of:{owner}"

    @_redis_errors
    def check_writable(self) -> None:
        """Raise StateError unless Redis takes a write now (reachable, not a read-only replica, not
        refusing writes for want of memory or a failed save)."""
        GUARD.call(self.server.set, self.checked, utc_stamp())

    # -- articles and bad pages -----------------------------------------------------------------

    def known(self, site: str, news_id: int) -> bool:
        return news_id in self.known_many(site, [news_id])

    @_redis_errors
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

    @_redis_errors
    def record_bad(self, site: str, news_id: int, outcome: str, reason: str) -> None:
        value = json.dumps({"outcome": outcome, "reason": reason[:500], "tried": time.time()}, ensure_ascii=False)
        GUARD.call(self.server.hset, self.bad, _field(site, news_id), value)

    @_redis_errors
    def record_bad_many(self, rows: Iterable[tuple[str, int, str, str]]) -> None:
        """record_bad for each (site, news_id, outcome, reason): one HSET, one round trip."""
        now = time.time()
        mapping = {_field(site, news_id): json.dumps({"outcome": outcome, "reason": reason[:500], "tried": now},
                                                    ensure_ascii=False) for site, news_id, outcome, reason in rows}
        if mapping:
            GUARD.call(self.server.hset, self.bad, mapping=mapping)

    @_redis_errors
    def content_hash(self, site: str, news_id: int) -> str | None:
        return GUARD.call(self.server.hget, self.articles, _field(site, news_id))

    def record(self, items: Iterable[dict], owner: str | None = None) -> int:
        """Mark exported items as written and end `owner`'s claims on them, in one atomic step. While
        a worker defers its records (`defer_records`), its own are kept until its next heartbeat
        sends them (`deferred_records`), in the same round trip and before it confirms the requests
        that gave them: the claims keep them from being written twice meanwhile, and if the worker
        dies first, the next claim of each reads its file (`claim`)."""
        items = list(items)
        if self._deferred is not None and owner == self._deferred_owner:
            self._deferred.extend(items)
            return len(items)
        return self._record_now(items, owner)

    def _record_call(self, items: list, owner: str | None):
        args, latest = [], ""
        for item in items:
            args += [_field(item["site"], item["news_id"]), content_hash(item), item["url"]]
            latest = max(latest, item.get("crawled_at") or "")
        keys = [self.articles, self.urls, self.first_seen, self.last_seen, self.bad, self.claims,
                self._claims_of(owner or ""), self.latest]
        return self._record, keys, [utc_stamp(), owner or "", latest, *args]

    @_redis_errors
    def _record_now(self, items: list, owner: str | None) -> int:
        if not items:
            return 0
        script, keys, args = self._record_call(items, owner)
        return GUARD.call(script, keys=keys, args=args)

    def defer_records(self, owner: str) -> None:
        """`owner`'s records wait for `deferred_records` (a worker's heartbeat) from now on."""
        self._deferred, self._deferred_owner = [], owner

    def deferred_records(self, stop: bool = False):
        """The records kept since the last call, as (script, keys, args) for the heartbeat to send, or
        None; `stop`: no more deferring (a closing worker)."""
        items, owner = self._deferred or [], self._deferred_owner
        self._deferred = None if stop else []
        return self._record_call(items, owner) if items else None

    @_redis_errors
    def flush_records(self) -> int:
        """Send the deferred records now (before claims are released, or the store closed)."""
        if self._deferred is None:
            return 0
        items, self._deferred = self._deferred, []
        return self._record_now(items, self._deferred_owner)

    @_redis_errors
    def latest_crawled_at(self) -> str | None:
        return GUARD.call(self.server.get, self.latest)

    @_redis_errors
    def touch(self, site: str, news_id: int) -> None:
        GUARD.call(self.server.hset, self.last_seen, _field(site, news_id), utc_stamp())

    @_redis_errors
    def count(self) -> int:
        return GUARD.call(self.server.hlen, self.articles)

    @_redis_errors
    def article_keys(self) -> dict[str, set[int]]:
        """Every article recorded, site -> ids (HSCAN, in batches: what `dataset verify` compares)."""
        keys: dict[str, set[int]] = {}
        for field in GUARD.call(lambda: [f for f, _ in self.server.hscan_iter(self.articles, count=10_000)]):
            site, news_id = _site_and_id(field)
            keys.setdefault(site, set()).add(news_id)
        return keys

    @_redis_errors
    def articles_per_hour(self, since: str) -> dict[str, dict[str, int]]:
        hours: dict[str, dict[str, int]] = {}
        for field, stamp in GUARD.call(lambda: list(self.server.hscan_iter(self.first_seen, count=10_000))):
            if stamp >= since:
                site_hours = hours.setdefault(_site_and_id(field)[0], {})
                site_hours[stamp[:13]] = site_hours.get(stamp[:13], 0) + 1
        return hours

    @_redis_errors
    def bad_pages(self, since: str) -> list[tuple[str, int, str, str, str]]:
        found = []
        for field, raw in GUARD.call(lambda: list(self.server.hscan_iter(self.bad, count=10_000))):
            value, (site, news_id) = json.loads(raw), _site_and_id(field)
            tried = utc_stamp(datetime.fromtimestamp(value["tried"], UTC))
            if tried >= since:
                found.append((site, news_id, value["outcome"], value["reason"], tried))
        return sorted(found, key=lambda page: (page[4], page[1]), reverse=True)

    # -- archive walks that broke -----------------------------------------------------------------

    @_redis_errors
    def walk_broken(self, site: str, walk: str, page: int, url: str, reason: str, run: str) -> None:
        value = json.dumps({"page": page, "url": url, "failed_at": utc_stamp(), "reason": reason[:500], "run": run},
                           ensure_ascii=False)
        GUARD.call(self.server.hset, self.walks, f"{site}|{walk}", value)

    @_redis_errors
    def broken_walks(self, site: str) -> dict[str, dict]:
        found = {field.partition("|")[2]: json.loads(value)
                 for field, value in GUARD.call(self.server.hgetall, self.walks).items()
                 if field.partition("|")[0] == site}
        return dict(sorted(found.items(), key=lambda kv: kv[1]["failed_at"]))

    @_redis_errors
    def walk_done(self, site: str, walk: str) -> None:
        GUARD.call(self.server.hdel, self.walks, f"{site}|{walk}")

    # -- claims ---------------------------------------------------------------------------------

    @_redis_errors
    def claim_with_previous(self, site: str, news_id: int, owner: str) -> tuple[bool, str | None]:
        """The claim itself, atomically (scripts.CLAIM): (may `owner` write the article now, the dead
        owner whose claim it took over, if any). `claim` is what callers use."""
        allowed, previous = GUARD.call(self._claim, keys=[self.claims, self._claims_of(owner)],
                                       args=[_field(site, news_id), owner, self.crawl.alive("")])
        return bool(allowed), previous or None

    def claim(self, site: str, news_id: int, owner: str) -> bool:
        """True when `owner` may write the article now (see the module's docstring): a claim taken
        over from a dead worker whose output file holds the article is still True, but the article is
        recorded first, so the caller's look at the state under the claim finds it written."""
        allowed, previous = self.claim_with_previous(site, news_id, owner)
        if allowed and previous:
            self._took_over(site, news_id, owner, previous)
        return allowed

    def _took_over(self, site: str, news_id: int, owner: str, previous: str) -> dict | None:
        """The claim of `previous`, a dead worker, was taken over: the article if its file holds it
        (then recorded here, so that it is not written again)."""
        found = written_in(self.worker_outputs(previous), site, news_id)
        if found is not None:
            self._record_now([found], owner)
            logger.info("%s news_id %s was written by worker %s before it died: recorded, not "
                        "written again", site, news_id, previous)
        else:
            logger.info("%s news_id %s: the claim of worker %s, which died before writing it, is "
                        "taken over", site, news_id, previous)
        return found

    @_redis_errors
    def claim_unwritten(self, site: str, news_id: int, owner: str, digest: str | None = None) -> tuple[str, str | None]:
        """The written-articles pipeline's check in one round trip (scripts.CLAIM_UNWRITTEN): the
        state, the claim, and the state again under the claim, which `content_hash`, `claim` and
        `content_hash` do in three. `digest`: the item's content hash in a refresh run (an unchanged
        article is touched, not claimed). Returns ('written', hash), ('unchanged', hash),
        ('held', holder), or ('claimed', the hash it has if written, else None): written or not, the
        claim is `owner`'s then (a dead worker's taken over, its file read, as `claim`)."""
        outcome, *rest = GUARD.call(self._claim_unwritten, keys=[
            self.articles, self.last_seen, self.claims, self._claims_of(owner)],
            args=[_field(site, news_id), owner, self.crawl.alive(""), digest or "", utc_stamp()])
        if outcome != "claimed":
            return outcome, rest[0]
        previous, dead_owner = rest
        if dead_owner:
            found = self._took_over(site, news_id, owner, dead_owner)
            if found is not None:
                previous = content_hash(found)
        return outcome, previous or None

    @_redis_errors
    def claim_holder(self, site: str, news_id: int) -> str | None:
        return GUARD.call(self.server.hget, self.claims, _field(site, news_id))

    @_redis_errors
    def release(self, site: str, news_id: int, owner: str) -> None:
        GUARD.call(self._release, keys=[self.claims, self._claims_of(owner)], args=[_field(site, news_id), owner])

    @_redis_errors
    def release_claims(self, owner: str) -> int:
        self.flush_records()  # what the claims' owner wrote is recorded first
        return GUARD.call(self._release_all, keys=[self.claims, self._claims_of(owner)], args=[owner])

    @_redis_errors
    def claims_of(self, owner: str) -> list[tuple[str, int]]:
        fields = sorted(GUARD.call(self.server.smembers, self._claims_of(owner)))
        if not fields:
            return []
        holders = GUARD.call(self.server.hmget, self.claims, fields)
        return sorted(_site_and_id(f) for f, holder in zip(fields, holders, strict=True) if holder == owner)

    def dead_owners(self) -> list[str]:
        """None to release: a dead worker's claims are void once its alive key expires, and taken
        over one by one (see the module's docstring)."""
        return []

    @_redis_errors
    def worker_outputs(self, worker: str) -> list[str]:
        info = GUARD.call(self.server.hget, self.crawl.workers, worker)
        return json.loads(info).get("output", []) if info else []

    def close(self) -> None:
        try:
            self.flush_records()
        except StateError as exc:
            logger.warning("Could not record this worker's last articles (%s): recovery records them from "
                           "its files", exc)
        finally:
            self.server.close()
