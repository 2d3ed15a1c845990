"""An archive walk that could not finish resumes where it broke.

A walk is one site's archive over one date range, service and category (resolved: `-a days=3` names
the dates it resolved to, so the same dates given as `-a from_date=... -a to_date=...` are the same
walk). When a later page of it fails after its retries, the state store remembers the page (its URL,
when, why, the run); the next run of the same walk starts there instead of at page 1, and a run that
reaches the walk's last page forgets it. Pages before it are not walked again: archive listings are
newest first, so pages only shift later as articles are published, and a resumed walk never misses an
article (it may list a few already written, skipped as known).

The state store failing here stops the run like anywhere else (state_failed, exit code 7).
"""

from __future__ import annotations

import json

from newscrawl.exceptions import StateError
from newscrawl.run.stopping import stop_run
from newscrawl.run.store import store_for


def walk_key(from_date: str, to_date: str, service_id: str, cat_id: str) -> str:
    """The name of a walk in the state store."""
    return json.dumps({"from_date": from_date, "to_date": to_date, "service_id": str(service_id),
                       "cat_id": str(cat_id)}, sort_keys=True)


def resume_point(crawler, site: str, walk: str) -> dict | None:
    """Where this walk broke in an earlier run ({"page", "url", "failed_at", "reason", "run"}), if it did."""
    try:
        return store_for(crawler).broken_walks(site).get(walk)
    except StateError as exc:
        stop_run(crawler, "state_failed", str(exc))
        return None


def walk_broke(crawler, site: str, walk: str, page: int, url: str, reason: str, run: str) -> None:
    try:
        store_for(crawler).walk_broken(site, walk, page, url, reason, run)
    except StateError as exc:
        stop_run(crawler, "state_failed", str(exc))


def walk_finished(crawler, site: str, walk: str) -> None:
    try:
        store_for(crawler).walk_done(site, walk)
    except StateError as exc:
        stop_run(crawler, "state_failed", str(exc))
