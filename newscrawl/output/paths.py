"""A run's own files are named by templates over the spider's attributes (as Scrapy's feed URIs are):
%(output_dir)s, %(name)s, %(run_day)s, %(run_id)s, %(mode)s ..."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.settings import BaseSettings



def run_name(kind: str, started: datetime | None = None) -> tuple[str, str]:
    """(run_day, run_id) of a run of `kind` (a crawl's mode, "reparse") that starts at `started`
    (default: now, UTC): the day folder of its files, and its id: sortable by start, unique, saying
    what the run did, e.g. `20260101T120000Z-rss-a1b2c3`."""
    started = started or datetime.now(UTC)
    return f"{started:%Y-%m-%d}", f"{started:%Y%m%dT%H%M%SZ}-{kind}-{secrets.token_hex(3)}"


def run_path(template: str, spider: Spider) -> Path:
    params = {name: getattr(spider, name) for name in dir(spider) if not name.startswith("__")}
    return Path(template % params)


def resolve_run_dirs(settings: BaseSettings) -> None:
    """OUTPUT_DIR and STATE_DIR as absolute paths, fixed when the crawl starts: a relative one is
    taken from the working directory of the command (as Scrapy takes -o and JOBDIR). STATE_DIR
    follows OUTPUT_DIR (`<OUTPUT_DIR>/state`) unless it is set."""
    output_dir = settings.get("OUTPUT_DIR")
    if output_dir:
        settings.set("OUTPUT_DIR", os.path.abspath(os.path.expanduser(output_dir)),
                     priority=settings.attributes["OUTPUT_DIR"].priority)
    state_dir = settings.get("STATE_DIR")
    if state_dir:
        settings.set("STATE_DIR", os.path.abspath(os.path.expanduser(state_dir)),
                     priority=settings.attributes["STATE_DIR"].priority)
    elif output_dir:
        settings.set("STATE_DIR", os.path.join(settings["OUTPUT_DIR"], "state"), priority="spider")
