"""A run's own files are named by templates over the spider's attributes (as Scrapy's feed URIs are):
%(output_dir)s, %(name)s, %(run_day)s, %(run_id)s, %(mode)s ..."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.settings import BaseSettings


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
