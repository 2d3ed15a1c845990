"""The same story across sites: near-duplicate articles grouped by MinHash over word shingles of the
normalized body, found through LSH bands, for `dataset build`'s `story_id` and `story_first` columns.

Text -> signature (`signatures`), a batch of bodies at a time, vectorized:
  - the body is split into words at whitespace and ZWNJ (Arrow), each distinct word of the batch
    normalized with the project's character-level helpers (normalize_text, fold, to_ascii_digits,
    lower case) and stripped of punctuation, then hashed (BLAKE2b, 64 bits: the same in every process);
  - SHINGLE consecutive words make one shingle (their hashes combined in numpy); a body of fewer
    words has no signature (and is a story of its own);
  - rensa's R-MinHash (NUM_PERM 32-bit values, seeded) sketches each body's set of shingles.

Signature -> story: BANDS bands of ROWS values each (`band_matrix`); two articles that share a band are candidates,
and a candidate pair whose estimated Jaccard similarity (the share of equal signature values) is at
least THRESHOLD is an edge. A story is a connected component of the edges; its id is the key
(`site/news_id`) of its earliest article (by published instant; no date sorts last; ties by site,
then news_id), which alone has `story_first` true. Both depend only on the set of latest versions,
never on the order the articles came in, so an incremental build gives what a full build gives.

The parameters were chosen by measurement on the labelled test set in fixtures/stories/
(`python bench/stories.py` prints the grid; README "The same story across sites").
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
from rensa import RMinHash

from newscrawl.dataset import arrow
from newscrawl.text import fold, normalize_text, to_ascii_digits
from newscrawl.text.normalize import ZWNJ

SHINGLE = 5         # words per shingle
NUM_PERM = 128      # MinHash values per signature (32 bits each: 512 bytes)
BANDS, ROWS = 42, 3  # LSH over the first 126 values: a pair at THRESHOLD is a candidate with p = 0.996
THRESHOLD = 0.5     # estimated Jaccard similarity of shingle sets that makes one story
SEED = 20           # rensa's seed: changing it (or any parameter above) changes every signature
# Kept in the build index: another value (or another rensa algorithm, whose signatures differ) rebuilds all.
PARAMETERS = (f"shingle={SHINGLE} num_perm={NUM_PERM} bands={BANDS}x{ROWS} threshold={THRESHOLD} seed={SEED} "
              f"rensa-algorithm={RMinHash.ALGORITHM_VERSION}")

_BODY_OPTIONS = pa_json.ParseOptions(explicit_schema=pa.schema([("body", pa.string())]),
                                     unexpected_field_behavior="ignore")
_NOT_WORD = re.compile(r"[\W_]+")
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier: combines a shingle's word hashes in order


def word(token: str) -> str:
    """A token as matching sees it: character-level normalization and fold, ASCII digits, lower
    case, no punctuation (a comma after a word is the same word)."""
    return _NOT_WORD.sub("", to_ascii_digits(fold(normalize_text(token)))).lower()


@lru_cache(maxsize=1 << 17)  # a news corpus repeats its words: most are hashed once per build
def _word_hash(token: str) -> int:
    text = word(token)
    if not text:
        return 0  # punctuation only: no word
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little") or 1


def word_hashes(bodies: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(hashes of every word of every body, uint64; the number of words of each body)."""
    # ZWNJ reads as a space (fold); bodies are stored normalized (odd spaces are plain spaces), so
    # ASCII whitespace splits them: a third of the time of a Unicode or regex split.
    tokens = pc.ascii_split_whitespace(pc.replace_substring(bodies, ZWNJ, " "))
    # read through newscrawl.dataset.arrow: pyarrow's to_numpy and Python scalars import pandas
    value_lengths: Any = pc.list_value_length(tokens)  # pyarrow-stubs type it as a scalar too
    lengths = np.where(arrow.valid(value_lengths), arrow.to_numpy(value_lengths, np.int32), 0).astype(np.int64)
    flat = pc.list_flatten(tokens)
    if len(flat) == 0:
        return np.zeros(0, dtype=np.uint64), lengths
    encoded: Any = pc.dictionary_encode(flat)
    table = np.fromiter((_word_hash(t) for t in encoded.dictionary.to_pylist()), dtype=np.uint64)
    hashes = table[arrow.to_numpy(encoded.indices, np.int32)]
    doc = np.repeat(np.arange(len(lengths)), lengths)
    keep = hashes != 0
    return hashes[keep], np.bincount(doc[keep], minlength=len(lengths)).astype(np.int64)


def shingle_hashes(hashes: np.ndarray, lengths: np.ndarray, size: int = SHINGLE) -> tuple[np.ndarray, np.ndarray]:
    """Every run of `size` consecutive words within one body as one 64-bit hash; their counts per body."""
    doc = np.repeat(np.arange(len(lengths)), lengths)
    count = len(hashes) - size + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(len(lengths), dtype=np.int64)
    with np.errstate(over="ignore"):
        shingles = hashes[:count].copy()
        for step in range(1, size):
            shingles = shingles * _MIX + hashes[step: step + count]
    inside = doc[:count] == doc[size - 1:]
    return shingles[inside], np.bincount(doc[:count][inside], minlength=len(lengths)).astype(np.int64)


def signatures(bodies: Sequence[str | None] | pa.Array, size: int = SHINGLE,
               num_perm: int = NUM_PERM, seed: int = SEED) -> list[bytes | None]:
    """The MinHash signature of each body (num_perm uint32 values as bytes), None for a body with
    fewer than `size` words."""
    array = bodies if isinstance(bodies, pa.Array) else pa.array(bodies, type=pa.string())
    words, lengths = word_hashes(array)
    shingles, counts = shingle_hashes(words, lengths, size)
    out: list[bytes | None] = [None] * len(counts)
    have = np.flatnonzero(counts)
    if not len(have):
        return out
    offsets = np.zeros(len(have) + 1, dtype=np.uint64)
    np.cumsum(counts[have], out=offsets[1:])
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(shingles, offsets, num_perm, seed)
    values = np.asarray(matrix.to_rows(), dtype=np.uint32)
    for row, index in enumerate(have):
        out[index] = values[row].tobytes()
    return out


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal values."""
    return float(np.mean(np.frombuffer(first, dtype=np.uint32) == np.frombuffer(second, dtype=np.uint32)))


def published_instant(published_at: str | None) -> float | None:
    """Seconds since the epoch of an ISO date with its offset; None without a (readable) date."""
    if not published_at:
        return None
    try:
        return datetime.fromisoformat(published_at).timestamp()
    except ValueError:
        return None


def earliest_first(members: Iterable[tuple]) -> list[tuple]:
    """(id, site, news_id, published) members, earliest first: no date last, ties by site, news_id."""
    return sorted(members, key=lambda m: (m[3] is None, m[3] or 0.0, m[1], m[2]))


def band_matrix(signatures: list[bytes], bands: int = BANDS, rows: int = ROWS) -> np.ndarray:
    """The LSH keys of signatures: an int64 array (signatures x bands), one key per band (its number
    and its ROWS values hashed), as SQLite stores integers."""
    signed = np.frombuffer(b"".join(signatures), dtype=np.uint32).reshape(len(signatures), -1)
    values = signed[:, :bands * rows].reshape(len(signatures), bands, rows)  # a view: no copy
    with np.errstate(over="ignore"):
        keys = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), values.shape[:2]).copy()
        for column in range(rows):
            keys = keys * _MIX + values[:, :, column]  # uint64 with uint32: uint64
    return keys.view(np.int64)


def bodies_of(lines: list[bytes]) -> pa.Array:
    """The `body` of each JSON line (null where it has none), parsed by Arrow."""
    try:
        table = pa_json.read_json(BytesIO(b"\n".join(lines)), parse_options=_BODY_OPTIONS)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        table = None
    if table is not None and table.num_rows == len(lines):
        return table.column("body").combine_chunks()
    values = []
    for line in lines:  # a line Arrow cannot type: each on its own
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        body = item.get("body") if isinstance(item, dict) else None
        values.append(body if isinstance(body, str) else None)
    return pa.array(values, type=pa.string())


# -- the build's state: signatures, LSH band keys, edges and stories, in the build index ------------

INDEX_SCHEMA = """
-- The signature and publication instant of every line read (its article's latest line is the one
-- used; the LSH band keys are worked out from the signature when needed).
CREATE TABLE IF NOT EXISTS story_lines (file_id INTEGER NOT NULL, offset INTEGER NOT NULL, published REAL,
    sig BLOB);
CREATE UNIQUE INDEX IF NOT EXISTS story_lines_by_line ON story_lines (file_id, offset);
-- One row per article of the dataset: its latest line and date, and the story it is in.
CREATE TABLE IF NOT EXISTS story_articles (id INTEGER PRIMARY KEY, site TEXT NOT NULL, news_id INTEGER NOT NULL,
    file_id INTEGER NOT NULL, offset INTEGER NOT NULL, published REAL, signed INTEGER NOT NULL,
    story TEXT NOT NULL, first INTEGER NOT NULL, UNIQUE (site, news_id));
-- Candidates at least THRESHOLD similar (a < b): the stories are their connected components.
CREATE TABLE IF NOT EXISTS story_edges (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_edges_by_b ON story_edges (b);
"""
_BATCH = 20_000
_CHUNK = 50_000  # new articles whose band keys are in memory at once


def add_lines(db: sqlite3.Connection, rows: list[tuple[int, int, str | None]], bodies: pa.Array) -> None:
    """Record the signature of each line read: `rows` are (file_id, offset, published_at) of the
    lines whose `bodies` these are."""
    if not rows:
        return
    db.executemany("INSERT OR REPLACE INTO story_lines VALUES (?, ?, ?, ?)",
                   [(file_id, offset, published_instant(published), sig)
                    for (file_id, offset, published), sig in zip(rows, signatures(bodies), strict=True)])


def forget_file(db: sqlite3.Connection, file_id: int) -> None:
    db.execute("DELETE FROM story_lines WHERE file_id=?", (file_id,))


def key(site: str, news_id: int) -> str:
    return f"{site}/{news_id}"


_SIGNED = """SELECT a.id, s.sig FROM story_articles a JOIN story_lines s ON s.file_id=a.file_id
    AND s.offset=a.offset WHERE a.signed"""


def _candidates(db: sqlite3.Connection) -> set[tuple[int, int]]:
    """Pairs (a < b) of articles sharing a band key, one of them new (in TEMP story_new). The new
    articles are taken CHUNK at a time (their keys sorted in memory: memory does not grow with a
    full build's size): pairs within the chunk, then with every article not new or in an earlier
    chunk, scanned a batch at a time."""
    pairs: set[tuple[int, int]] = set()
    last = -1
    while True:
        cursor = db.execute(f"{_SIGNED} AND a.id IN (SELECT id FROM story_new) AND a.id > ? ORDER BY a.id LIMIT ?",
                            (last, _CHUNK))
        ids: list[int] = []
        parts = []  # band keys, a few thousand signatures at a time: never all the chunk's rows at once
        while rows := cursor.fetchmany(_BATCH // 4):
            ids += [row[0] for row in rows]
            parts.append(band_matrix([row[1] for row in rows]))
        if not ids:
            break
        first, last = ids[0], ids[-1]
        flat = np.concatenate(parts).ravel()
        owners = np.repeat(np.array(ids, dtype=np.int64), BANDS)
        del parts, ids
        order = np.argsort(flat)
        flat, owners = flat[order], owners[order]
        del order
        # within the chunk: runs of one key (nearly all of two articles: those at once, in numpy)
        starts = np.concatenate(([0], np.flatnonzero(flat[1:] != flat[:-1]) + 1))
        sizes = np.diff(np.concatenate((starts, [len(flat)])))
        two = starts[sizes == 2]
        low, high = np.minimum(owners[two], owners[two + 1]), np.maximum(owners[two], owners[two + 1])
        pairs.update(zip(low[low != high].tolist(), high[low != high].tolist(), strict=True))
        for start, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=True):
            members = sorted(set(owners[start:start + size].tolist()))
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
        # with the others: a bitmap of the chunk's keys' low bits (a quarter full at most) lets only the
        # keys that may be among them through to a binary search of the sorted keys
        bits = max(16, (len(flat) * 4).bit_length())
        mask = np.uint64((1 << bits) - 1)
        bitmap = np.zeros(1 << bits, dtype=bool)
        bitmap[flat.view(np.uint64) & mask] = True
        cursor = db.execute(f"{_SIGNED} AND (a.id < ? OR a.id NOT IN (SELECT id FROM story_new))", (first,))
        while batch := cursor.fetchmany(_BATCH):
            values = band_matrix([row[1] for row in batch]).ravel()
            others = np.repeat(np.array([row[0] for row in batch], dtype=np.int64), BANDS)
            maybe = np.flatnonzero(bitmap[values.view(np.uint64) & mask])
            left = np.searchsorted(flat, values[maybe])
            found = flat[np.minimum(left, len(flat) - 1)] == values[maybe]
            hit, left = maybe[found], left[found]
            right = np.searchsorted(flat, values[hit], side="right")
            for article, start, end in zip(others[hit].tolist(), left.tolist(), right.tolist(), strict=True):
                pairs.update((min(article, n), max(article, n)) for n in owners[start:end].tolist() if n != article)
    return pairs


def update(db: sqlite3.Connection) -> set[tuple[str, str]]:
    """After the build's ingest (its TEMP table `dirty` holds the articles new lines touched): take
    each touched article's latest line, renew its edges, work out every story again from the edges,
    and return the partitions (site, month) holding an article whose story changed."""
    db.execute("DROP TABLE IF EXISTS temp.story_dirty")
    db.execute("""CREATE TEMP TABLE story_dirty AS SELECT d.site, d.news_id, l.file_id, l.offset
        FROM dirty d LEFT JOIN lines l ON l.rowid = (SELECT l2.rowid FROM lines l2
            WHERE l2.site=d.site AND l2.news_id=d.news_id ORDER BY l2.crawled_at DESC, l2.run DESC, l2.offset DESC
            LIMIT 1)""")
    # What the touched articles were: their edges go (their neighbours are worked out again).
    db.execute("DROP TABLE IF EXISTS temp.story_old")
    db.execute("""CREATE TEMP TABLE story_old AS SELECT a.id, a.story FROM story_articles a
        JOIN story_dirty d ON d.site=a.site AND d.news_id=a.news_id""")
    db.execute("DELETE FROM story_edges WHERE a IN (SELECT id FROM story_old) OR b IN (SELECT id FROM story_old)")
    db.execute("""DELETE FROM story_articles WHERE id IN (SELECT a.id FROM story_articles a JOIN story_dirty d
        ON d.site=a.site AND d.news_id=a.news_id WHERE d.file_id IS NULL)""")
    db.execute("""INSERT INTO story_articles (site, news_id, file_id, offset, published, signed, story, first)
        SELECT d.site, d.news_id, d.file_id, d.offset, s.published, s.sig IS NOT NULL, d.site || '/' || d.news_id, 1
        FROM story_dirty d JOIN story_lines s ON s.file_id=d.file_id AND s.offset=d.offset WHERE true
        ON CONFLICT (site, news_id) DO UPDATE SET file_id=excluded.file_id, offset=excluded.offset,
            published=excluded.published, signed=excluded.signed""")
    db.execute("DROP TABLE IF EXISTS temp.story_new")
    db.execute("""CREATE TEMP TABLE story_new (id INTEGER PRIMARY KEY)""")
    db.execute("""INSERT INTO story_new SELECT a.id FROM story_articles a
        JOIN story_dirty d ON d.site=a.site AND d.news_id=a.news_id WHERE a.signed""")
    # Candidates, checked against the threshold on their whole signatures.
    db.execute("DROP TABLE IF EXISTS temp.story_pairs")
    db.execute("CREATE TEMP TABLE story_pairs (a INTEGER NOT NULL, b INTEGER NOT NULL)")
    db.executemany("INSERT INTO story_pairs VALUES (?, ?)", sorted(_candidates(db)))
    pairs = db.execute("""SELECT p.a, p.b, sa.sig, sb.sig FROM story_pairs p
        JOIN story_articles aa ON aa.id=p.a JOIN story_lines sa ON sa.file_id=aa.file_id AND sa.offset=aa.offset
        JOIN story_articles ab ON ab.id=p.b JOIN story_lines sb ON sb.file_id=ab.file_id AND sb.offset=ab.offset""")
    while batch := pairs.fetchmany(_BATCH):
        db.executemany("INSERT OR IGNORE INTO story_edges VALUES (?, ?)",
                       [(a, b) for a, b, first, second in batch if similarity(first, second) >= THRESHOLD])
    return _assign(db)


def _components(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Article id -> a representative of its connected component (union-find with path halving)."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: root(node) for node in parent}


def _reach(db: sqlite3.Connection) -> None:
    """TEMP story_reach: the articles whose story may have changed. Edges changed only at the touched
    articles (story_old, story_dirty), so a story changed only if it holds one of them now (their
    components under the edges as they are now) or held one before (the members of their old stories,
    whose component may have split): the others keep theirs, whatever the size of the dataset."""
    db.execute("DROP TABLE IF EXISTS temp.story_seeds")
    db.execute("CREATE TEMP TABLE story_seeds (id INTEGER PRIMARY KEY)")
    db.execute("""INSERT OR IGNORE INTO story_seeds SELECT a.id FROM story_articles a JOIN story_dirty d
        ON d.site=a.site AND d.news_id=a.news_id""")
    db.execute("INSERT OR IGNORE INTO story_seeds SELECT id FROM story_old")
    db.execute("INSERT OR IGNORE INTO story_seeds SELECT id FROM story_articles WHERE story IN "
               "(SELECT story FROM story_old)")
    db.execute("DROP TABLE IF EXISTS temp.story_reach")
    db.execute("CREATE TEMP TABLE story_reach (id INTEGER PRIMARY KEY)")
    # one recursive select (two need SQLite 3.34): an edge's other end, either way
    db.execute("""INSERT INTO story_reach WITH RECURSIVE reach(id) AS (SELECT id FROM story_seeds
        UNION SELECT CASE WHEN e.a=r.id THEN e.b ELSE e.a END FROM reach r JOIN story_edges e ON e.a=r.id OR e.b=r.id)
        SELECT id FROM reach""")


def _assign(db: sqlite3.Connection) -> set[tuple[str, str]]:
    _reach(db)
    component = _components(db.execute("SELECT a, b FROM story_edges WHERE a IN (SELECT id FROM story_reach)"))
    db.execute("DROP TABLE IF EXISTS temp.story_members")
    db.execute("CREATE TEMP TABLE story_members (id INTEGER PRIMARY KEY, story TEXT NOT NULL, first INTEGER NOT NULL)")
    db.executemany("INSERT INTO story_members VALUES (?, '', 0)", ((node,) for node in component))
    groups: dict[int, list[tuple]] = {}
    for row in db.execute("SELECT a.id, a.site, a.news_id, a.published FROM story_articles a JOIN story_members m "
                          "ON m.id=a.id"):
        groups.setdefault(component[row[0]], []).append(row)
    assigned = []
    for members in groups.values():
        earliest = earliest_first(members)[0]
        story = key(earliest[1], earliest[2])
        assigned += [(story, int(member[0] == earliest[0]), member[0]) for member in members]
    db.executemany("UPDATE story_members SET story=?, first=? WHERE id=?", assigned)
    db.execute("DROP TABLE IF EXISTS temp.story_changed")
    db.execute("CREATE TEMP TABLE story_changed (id INTEGER PRIMARY KEY, story TEXT NOT NULL, first INTEGER NOT NULL)")
    db.execute("""INSERT INTO story_changed
        SELECT a.id, COALESCE(m.story, a.site || '/' || a.news_id), COALESCE(m.first, 1)
        FROM story_reach r JOIN story_articles a ON a.id=r.id LEFT JOIN story_members m ON m.id=a.id
        WHERE a.story != COALESCE(m.story, a.site || '/' || a.news_id) OR a.first != COALESCE(m.first, 1)""")
    db.execute("""UPDATE story_articles SET story=(SELECT story FROM story_changed c WHERE c.id=story_articles.id),
        first=(SELECT first FROM story_changed c WHERE c.id=story_articles.id)
        WHERE id IN (SELECT id FROM story_changed)""")  # not UPDATE ... FROM: that needs SQLite 3.33
    return set(db.execute("""SELECT DISTINCT k.site, k.month FROM story_changed c JOIN story_articles a ON a.id=c.id
        JOIN keys k ON k.site=a.site AND k.news_id=a.news_id"""))


def summary(db: sqlite3.Connection) -> dict:
    """For the manifest and the card: the parameters, the stories, and the articles in a story of
    more than one (`WHERE story_first` keeps `stories` of the `articles`)."""
    # an article is in a story of more than one exactly when an edge ends at it (the edges of an
    # article that is gone go with it): counted from the edges, not by grouping every article
    articles, stories, shared = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(first), 0), (SELECT COUNT(*) FROM (SELECT a FROM story_edges UNION "
        "SELECT b FROM story_edges)) FROM story_articles").fetchone()
    return {"parameters": PARAMETERS, "articles": articles, "stories": stories, "articles_in_shared_stories": shared}
