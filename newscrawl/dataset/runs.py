"""The run files a dataset is built from, read as whole lines with their byte offsets, in chunks (so
memory does not grow with a file's size), and the few key fields of each line parsed by Arrow."""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
from io import BytesIO
from pathlib import Path

import pyarrow as pa
import pyarrow.json as pa_json

from newscrawl.items import DERIVED_FIELDS, VOLATILE_FIELDS
from newscrawl.output.parts import PART

_KEY_FIELDS: list[tuple[str, pa.DataType]] = [("site", pa.string()), ("news_id", pa.int64()),
                                              ("crawled_at", pa.string()), ("published_at", pa.string())]
KEY_SCHEMA = pa.schema(_KEY_FIELDS)
_KEY_OPTIONS = pa_json.ParseOptions(explicit_schema=KEY_SCHEMA, unexpected_field_behavior="ignore")
_KEY_BODY_OPTIONS = pa_json.ParseOptions(explicit_schema=pa.schema([*_KEY_FIELDS, ("body", pa.string())]),
                                         unexpected_field_behavior="ignore")
# The volatile fields (newscrawl.items.VOLATILE_FIELDS) cut out of a line: what is left is its content
# (newscrawl.items.CONTENT_FIELDS), the one definition of "the same content" the state keeps too.
_VOLATILE = re.compile(rb'"(?:' + b"|".join(name.encode() for name in VOLATILE_FIELDS) + rb')":\s*(?:"[^"]*"|null)')
# The derived fields (newscrawl.items.DERIVED_FIELDS: `topic`, a string or null, and `blocks`, a list
# of flat objects) cut out with the comma before them, so that a line written before they existed
# hashes as one written after.
_DERIVED_KEYS = tuple(f'"{name}":'.encode() for name in DERIVED_FIELDS)


def _odd_quotes(segment: bytes) -> int:
    """1 when a run of JSON holds an odd number of unescaped quotes (it enters or leaves a string),
    else 0. Counted by bytes methods, not a byte at a time (a line's blocks are kilobytes)."""
    if b"\\" not in segment:  # the common case: no escape at all
        return segment.count(b'"') % 2
    segment = segment.replace(b"\\\\", b"")  # escaped backslashes first: in `\\"` the quote is one
    return (segment.count(b'"') - segment.count(b'\\"')) % 2


def _string_end(line: bytes, start: int) -> int:
    """The index after the JSON string that opens at `start` (a quote), or -1 when it does not end."""
    end = start
    while (end := line.find(b'"', end + 1)) >= 0:
        backslashes = len(line[start + 1:end]) - len(line[start + 1:end].rstrip(b"\\"))
        if backslashes % 2 == 0:
            return end + 1
    return -1


def _without_derived(line: bytes) -> bytes:
    """The line without its derived fields. A key is found by its quoted name (a quote inside a string
    is escaped, so only a key matches); a string value ends at its first unescaped quote, a list at
    the first `]` outside a string (its objects hold no list; a `]` never ends an escape, so the runs
    between two `]` split none). A value of another shape is left in: the line hashes as it is."""
    for key in _DERIVED_KEYS:
        start = line.find(key)
        if start < 0:
            continue
        value = start + len(key)
        while line[value:value + 1] in (b" ", b"\t"):
            value += 1
        if line.startswith(b"null", value):
            end = value + 4
        elif line.startswith(b'"', value):
            end = _string_end(line, value)
            if end < 0:
                continue
        elif line.startswith(b"[", value):
            inside, end = 0, value
            while (close := line.find(b"]", end)) >= 0:
                inside ^= _odd_quotes(line[end:close])
                end = close + 1
                if not inside:
                    break
            if close < 0:
                continue
        else:
            continue
        head = line[:start].rstrip()
        line = (head[:-1] if head.endswith(b",") else head) + line[end:]
    return line


def run_files(runs_dir: str | Path, exclude: Path | None = None) -> list[Path]:
    """Every finished article file under `runs_dir` (crawls and reparses), by path; never a
    quarantine, a `.part` or anything in a hidden folder or in `exclude` (the dataset itself)."""
    root = Path(runs_dir)
    excluded = exclude.resolve() if exclude is not None else None  # once, not per file
    found = []
    for path in root.rglob("*.jsonl"):
        relative = path.relative_to(root)
        if path.name.endswith(".quarantine.jsonl") or any(p.startswith(".") for p in relative.parts):
            continue
        if excluded is not None and path.resolve().is_relative_to(excluded):
            continue
        found.append(path)
    return sorted(found)


def parts_of_dead_runs(runs_dir: str | Path, exclude: Path | None = None) -> list[tuple[Path, int]]:
    """The `.jsonl.part` files under `runs_dir` that no live run holds (their writer's lock is free:
    it was killed, or its machine died), each with the whole lines it holds. `run_files` never gives
    them (a part may be torn, and its articles may not be recorded yet): the next run with this
    OUTPUT_DIR, or a surviving worker, finalizes them; until then the dataset does not have them."""
    root = Path(runs_dir)
    found = []
    for path in sorted(root.rglob(f"*.jsonl{PART}")):
        relative = path.relative_to(root)
        if any(p.startswith(".") for p in relative.parts):
            continue
        if exclude is not None and path.resolve().is_relative_to(exclude.resolve()):
            continue
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            continue  # finalized meanwhile
        with handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live run is writing it
            try:
                lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))  # noqa: B023
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        found.append((path, lines))
    return found


def version_hash(line: bytes) -> bytes:
    """Equal for two lines of the same content (newscrawl.items.content_hash: every exported field but
    the volatile and the derived ones, comments included), whenever and by whichever release they were
    read. Works on the bytes, for speed; tests/test_same_content.py holds it to the same definition as
    content_hash."""
    return hashlib.blake2b(_VOLATILE.sub(b"", _without_derived(line)), digest_size=16).digest()


def _key_fields_one(line: bytes) -> tuple | None:
    try:
        item = json.loads(line)
    except ValueError:
        return None
    if not isinstance(item, dict):
        return None
    values = tuple(item.get(name) for name in KEY_SCHEMA.names)
    site, news_id, crawled_at, published_at = values
    if (not isinstance(site, str) or not site or type(news_id) is not int or not isinstance(crawled_at, str)
            or not (published_at is None or isinstance(published_at, str))):
        return None
    return values


def key_fields(lines: list[bytes]) -> list[tuple | None]:
    """(site, news_id, crawled_at, published_at) of each line; None for a line that is no article."""
    return key_fields_and_bodies(lines, bodies=False)[0]


def key_fields_and_bodies(lines: list[bytes], bodies: bool = True) -> tuple[list[tuple | None], pa.Array | None]:
    """key_fields, and the `body` column of the same parse (None when Arrow could not type the lines:
    then each line was read on its own)."""
    try:
        table = pa_json.read_json(BytesIO(b"\n".join(lines)), parse_options=_KEY_BODY_OPTIONS if bodies
                                  else _KEY_OPTIONS)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return [_key_fields_one(line) for line in lines], None
    if table.num_rows != len(lines):
        return [_key_fields_one(line) for line in lines], None
    columns = [table.column(name).to_pylist() for name in KEY_SCHEMA.names]
    return ([values if values[0] and values[1] is not None and values[2] is not None else None
             for values in zip(*columns, strict=True)], table.column("body").combine_chunks() if bodies else None)


def publication_month(published_at: str | None) -> str:
    """The partition of an article: the Gregorian month of its local (Asia/Tehran) publication date."""
    return published_at[:7] if published_at and len(published_at) >= 7 else "unknown"
