"""A run's own files are named by templates over the spider's attributes (as Scrapy's feed URIs are):
%(output_dir)s, %(name)s, %(run_day)s, %(run_id)s, %(mode)s ..."""

from __future__ import annotations

from pathlib import Path


def run_path(template: str, spider) -> Path:
    params = {name: getattr(spider, name) for name in dir(spider) if not name.startswith("__")}
    return Path(template % params)
