"""The queue's serializer (SCHEDULER_SERIALIZER): JSON of Request.to_dict(), not pickle (which runs
code from whoever can write to Redis). Bytes (body, header names and values) travel as base64."""

from __future__ import annotations

import base64
import json

_BYTES, _PAIRS = "__b64__", "__pairs__"


def _encode(value):
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {_PAIRS: [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, dict):
        if _BYTES in value and len(value) == 1:
            return base64.b64decode(value[_BYTES])
        if _PAIRS in value and len(value) == 1:
            return {_decode(k): _decode(v) for k, v in value[_PAIRS]}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(obj) -> str:
    return json.dumps(_encode(obj), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes):
    return _decode(json.loads(text))
