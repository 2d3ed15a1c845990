"""The contract every state store keeps (newscrawl.state.sqlite.StateStore on one machine,
newscrawl.distributed.state.RedisStateStore for a distributed crawl's workers). Which one a run uses
is the STATE_BACKEND setting (the scale-out add-on switches it, as it switches SCHEDULER)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from scrapy import Spider


@runtime_checkable
class StateBackend(Protocol):
    """What the rest of newscrawl calls on a state store: StateStore (SQLite, one machine) and
    newscrawl.distributed.state.RedisStateStore (a distributed crawl's workers) both keep it. Every
    method raises StateError when the store cannot be used; the run then stops (exit code 7).

    The claim contract: `claim` is True when `owner` may write the article now, and the store makes
    sure that an owner's claim is voided only when nothing it wrote can be written again: here once
    a later run has finalized the dead run's `.part` files (`dead_owners`, `release_claims`, see
    newscrawl.extensions.recovery); in Redis when a dead worker's claim is taken over, after its
    output file was read for the article. `record(items, owner)` ends the owner's claims on them."""

    def check_writable(self) -> None: ...
    def claim(self, site: str, news_id: int, owner: str) -> bool: ...
    def claim_holder(self, site: str, news_id: int) -> str | None: ...
    def release(self, site: str, news_id: int, owner: str) -> None: ...
    def release_claims(self, owner: str) -> int: ...
    def dead_owners(self) -> list[str]: ...
    def claims_of(self, owner: str) -> list[tuple[str, int]]: ...
    def known(self, site: str, news_id: int) -> bool: ...
    def record_bad(self, site: str, news_id: int, outcome: str, reason: str) -> None: ...
    def content_hash(self, site: str, news_id: int) -> str | None: ...
    def record(self, items: Iterable[Mapping[str, Any]], owner: str | None = None) -> int: ...
    def touch(self, site: str, news_id: int) -> None: ...
    def count(self) -> int: ...
    def close(self) -> None: ...

    # An archive walk that could not finish: where it broke, so that the next run of the same walk
    # resumes there (newscrawl.run.walks). `walk` names the walk (its dates, service and category);
    # `broken_walks` gives walk -> {"page", "url", "failed_at", "reason", "run"}.
    def walk_broken(self, site: str, walk: str, page: int, url: str, reason: str, run: str) -> None: ...
    def broken_walks(self, site: str) -> dict[str, dict[str, Any]]: ...
    def walk_done(self, site: str, walk: str) -> None: ...

    # What the store holds, for the board (newscrawl.monitoring.board); `since` is a UTC stamp.
    def articles_per_hour(self, since: str) -> dict[str, dict[str, int]]:
        """site -> {UTC hour (YYYY-MM-DDTHH): articles first recorded in it}, since `since`."""
        ...

    def bad_pages(self, since: str) -> list[tuple[str, int, str, str, str]]:
        """The pages that gave no article and were last tried since `since`: (site, news_id,
        outcome, reason, last_tried), newest first."""
        ...

    def latest_crawled_at(self) -> str | None:
        """The latest `crawled_at` of the articles recorded (a UTC stamp), None before the first: a
        run's clock never goes below it (newscrawl.run.clock), so versions stay in order when the
        wall clock goes back."""
        ...

    def owner_for(self, spider: Spider) -> str:
        """The claim owner that names this process's run (or worker) in this store."""
        ...


def run_owner(run_id: str) -> str:
    """The claim owner of this process's run in a single-machine store: `<run id>-pid<pid>`."""
    return f"{run_id}-pid{os.getpid()}"
