"""The dataset's Arrow schema, derived from the JSON Schema of the JSON lines (one source of truth:
a field added to the JSON Schema is a column of the next build; a JSON type this module cannot map
fails loudly, here and in the tests).

Strings, integers, arrays and objects map to string, int64, list and struct (struct fields in the
JSON Schema's order). The two instants are Arrow timestamps: `published_at` in Asia/Tehran (so the
+03:30 / +04:30 offset of the JSON line is the zone's offset of that instant, nothing lost), and
`crawled_at` in UTC. Every column is nullable: a run file written before a field existed has none.

The dataset adds columns of its own after those (`dataset_schema`), worked out by the build across
articles, never in a JSON line: `story_id` and `story_first` (newscrawl.dataset.stories).
"""

from __future__ import annotations

from functools import cache
from typing import Final

import pyarrow as pa

from newscrawl.schema import load

TIMESTAMP_ZONES = {"published_at": "Asia/Tehran", "crawled_at": "UTC"}
TIMESTAMP_UNIT: Final = "ms"  # Parquet's coarsest: seconds would be read back as milliseconds


def _json_types(spec: dict) -> list[str]:
    if "const" in spec:
        return [{bool: "boolean", int: "integer", str: "string"}[type(spec["const"])]]
    kinds = spec.get("type")
    if kinds is None:
        raise TypeError(f"no type in JSON Schema node {spec}")
    return [kinds] if isinstance(kinds, str) else list(kinds)


def arrow_type(spec: dict, name: str = "", top: bool = False) -> pa.DataType:
    kinds = [k for k in _json_types(spec) if k != "null"]
    if len(kinds) != 1:
        raise TypeError(f"{name}: cannot map JSON types {kinds} to one Arrow type")
    kind = kinds[0]
    if kind == "string":
        return (
            pa.timestamp(TIMESTAMP_UNIT, tz=TIMESTAMP_ZONES[name]) if top and name in TIMESTAMP_ZONES else pa.string()
        )
    if kind == "integer":
        return pa.int64()
    if kind == "number":
        return pa.float64()
    if kind == "boolean":
        return pa.bool_()
    if kind == "array":
        return pa.list_(arrow_type(spec["items"], f"{name}[]"))
    if kind == "object":
        if not spec.get("properties"):
            raise TypeError(f"{name}: an object without properties has no Arrow struct")
        return pa.struct([pa.field(key, arrow_type(sub, f"{name}.{key}")) for key, sub in spec["properties"].items()])
    raise TypeError(f"{name}: unknown JSON type {kind!r}")


@cache
def arrow_schema() -> pa.Schema:
    """One column per property of the JSON Schema, in its order."""
    properties = load()["properties"]
    return pa.schema([pa.field(name, arrow_type(spec, name, top=True)) for name, spec in properties.items()])


# Columns the build adds after the JSON Schema's (additive: a reader of the older files gets nulls).
BUILD_FIELDS = (
    pa.field("story_id", pa.string()),    # the story's earliest article, "site/news_id": equal across sites
    pa.field("story_first", pa.bool_()),  # true on that article only (latest table): WHERE story_first
)


@cache
def dataset_schema() -> pa.Schema:
    """The Parquet files' schema: the JSON Schema's columns, then the build's own."""
    return pa.schema([*arrow_schema(), *BUILD_FIELDS])


def hf_feature(name: str, kind: pa.DataType) -> dict:
    """A column as the Hugging Face dataset card's `features` YAML describes it."""
    if pa.types.is_list(kind):
        item = kind.value_type
        if pa.types.is_struct(item):
            return {"name": name, "list": [hf_feature(f.name, f.type) for f in item]}
        return {"name": name, "list": hf_feature("", item)["dtype"]}
    if pa.types.is_struct(kind):
        return {"name": name, "struct": [hf_feature(f.name, f.type) for f in kind]}
    return {"name": name, "dtype": str(kind)}


def hf_features() -> list[dict]:
    return [hf_feature(f.name, f.type) for f in dataset_schema()]
