"""The published JSON Schema of a dataset line (article-v1.schema.json, shipped in this package),
read in one place: the validation pipeline checks every article against it and the dataset derives
its Arrow schema from it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "article-v1.schema.json"


@cache
def load() -> dict[str, Any]:
    """The JSON Schema, read once per process. Shared: do not change it (copy it first)."""
    schema: dict[str, Any] = json.loads(resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema
