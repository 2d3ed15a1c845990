"""Raw pages kept as WARC 1.1 (warcio): writing a run's archive, finalising it, reading it back.

A run's archive is written as `<name>.part`, one gzip member per record, each flushed as written, so
a killed run leaves a file whose complete records all read back; it is renamed to `<name>` when the
run ends. `recover_archives` finalises the parts no live run holds (a torn last record is cut off).
Every record names the page's URL on the real site (`WARC-Target-URI`); where the page was fetched
from (a mirror) is kept in `Newscrawl-Fetched-From`.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import io
import logging
import os
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, Any, BinaryIO, TypeVar

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from newscrawl.exceptions import DamagedArchive
from newscrawl.output.parts import PART, finalize, part_path, try_lock

logger = logging.getLogger(__name__)
FETCHED_FROM = "Newscrawl-Fetched-From"
# Hop-by-hop framing that no longer describes the body as kept (Scrapy has de-chunked it).
_FRAMING_HEADERS = {b"transfer-encoding", b"content-length"}


WARC_VERSION = "WARC/1.1"
_record_id = StatusAndHeadersParser.make_warc_id
_EMPTY_PAYLOAD = str(Digester("sha1"))  # a request's payload digest (warcio gives requests one)
# How many distinct non-2xx bodies a file remembers for revisit records (the memory kept is at most
# this many bodies, referenced, not copied): a site has a few error pages, not thousands.
REVISIT_BODIES = 8

_fast_deflate: Any
try:  # ISA-L's deflate: ~4.5x less CPU than zlib for ~6% more bytes on the family's pages (issue 22)
    _fast_deflate = importlib.import_module("isal.isal_zlib")
except ImportError:  # without isal (tests set _fast_deflate to None for it): zlib
    _fast_deflate = None

FAST_LEVEL = 2  # ISA-L's level 2: as fast as its 1, a little smaller (bench/warc.py)
ZLIB_LEVEL = 3  # zlib's level when ISA-L is missing or a level is asked for


def deflater(level: int | None = None) -> tuple[str, Any]:
    """(name, compressobj factory taking no argument) for one gzip member. `level` None: ISA-L at its
    fast level when installed, else zlib at ZLIB_LEVEL; a level given is zlib's (0-9), as asked."""
    if level is None and _fast_deflate is not None:
        module = _fast_deflate
        return "isal", lambda: module.compressobj(FAST_LEVEL, module.DEFLATED, 16 + module.MAX_WBITS)
    chosen = ZLIB_LEVEL if level is None else level
    zlib.compressobj(chosen)  # a level zlib does not know fails here, at open, not at the first record
    return "zlib", lambda: zlib.compressobj(chosen, zlib.DEFLATED, zlib.MAX_WBITS + 16)


class _MemberGzip:
    """One gzip member per record (what makes a .warc.gz readable record by record) with the chosen
    deflater: warcio's own wrapper always compresses with zlib at level 9, several times slower.
    The record's pieces (WARC headers, HTTP headers, body, end) are deflated in one call at its end:
    ISA-L costs ~4 us a call, and warcio would hand it the body in 16 KB pieces."""

    def __init__(self, out: BinaryIO, compressor: Any):
        self.out = out
        self.compressor = compressor
        self.pieces: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.pieces.append(data)

    def flush(self) -> None:
        compressor = self.compressor
        self.out.write(compressor.compress(b"".join(self.pieces)) + compressor.flush())
        self.out.flush()  # each record on disk as written: a killed run's complete records read back


class _LevelWARCWriter(WARCWriter):
    """warcio's writer, with one gzip member per record by the chosen deflater, and each record's
    bytes handed on whole (the records are in memory): warcio's own pieces build every header."""

    def __init__(self, out: BinaryIO, compression: tuple[str, Any]):
        super().__init__(out, gzip=False, warc_version=WARC_VERSION)
        self.compression, self.compressor = compression

    def _write_warc_record(self, out: BinaryIO, record: Any) -> Any:
        super()._write_warc_record(_MemberGzip(out, self.compressor()), record)

    @staticmethod
    def _iter_stream(stream: Any) -> Iterator[bytes]:
        # warcio reads 16 KB at a time (a copy each); a BytesIO of bytes read whole is that bytes object
        whole = stream.read()
        if whole:
            yield whole


def warc_date(when: datetime) -> str:
    """WARC 1.1 date: UTC, microseconds."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _header_pairs(headers: Iterable[tuple[bytes, Iterable[bytes]]],
                  skip: Collection[bytes] = _FRAMING_HEADERS) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers if name.lower() not in skip for value in values]


def _record_headers(record_type: str, common: list[tuple[str, str]], http_headers: StatusAndHeaders,
                    body: bytes = b"") -> StatusAndHeaders:
    """A request or response record's WARC headers, whole, so that warcio only checks and writes them:
    type, a new id, the URI and date (`common`), WARC-Payload-Digest and WARC-Block-Digest (warcio's
    Digester: sha1, base32) each hashed once over the whole body (warcio would hash the body twice,
    in 16 KB pieces read from a stream), and the content type warcio gives the type."""
    http_headers.compute_headers_buffer()  # the bytes warcio writes (it computes them the same way)
    block = Digester("sha1")
    block.update(http_headers.headers_buff)
    payload = _EMPTY_PAYLOAD
    if body:
        block.update(body)
        digester = Digester("sha1")
        digester.update(body)
        payload = str(digester)
    return StatusAndHeaders("", [("WARC-Type", record_type), ("WARC-Record-ID", _record_id()), *common,
                                 ("WARC-Payload-Digest", payload), ("WARC-Block-Digest", str(block)),
                                 ("Content-Type", WARCWriter.WARC_RECORDS[record_type])], protocol=WARC_VERSION)


@dataclass(frozen=True, slots=True)
class _Archived:
    """A non-2xx body archived in full in this file, and what a revisit of it refers to."""
    body: bytes
    target_uri: str
    date: str
    record_id: str
    payload_digest: str


class WarcFile:
    """An archive being written: `<path>.part`, locked while open, renamed to `<path>` on close.
    `revisits`: how many distinct non-2xx bodies it remembers for revisit records (0: none, every
    response a full record)."""

    def __init__(self, path: str | Path, *, level: int | None = None, info: dict[str, str] | None = None,
                 revisits: int = REVISIT_BODIES) -> None:
        compression = deflater(level)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.part = part_path(self.path)
        self.file: IO[bytes] = self.part.open("wb")
        fcntl.flock(self.file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.writer = _LevelWARCWriter(self.file, compression)
        self.records = 0
        self.revisits = 0  # response records written as revisits
        self.remembered = max(0, revisits)
        self.archived: list[_Archived] = []  # the last distinct non-2xx bodies, the most recent last
        if info:
            self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, info))

    def write_exchange(self, *, target_uri: str, fetched_from: str | None, when: datetime,
                       method: str, request_headers: Mapping[bytes, Iterable[bytes]], status: int,
                       response_headers: Mapping[bytes, Iterable[bytes]], body: bytes,
                       protocol: str = "HTTP/1.1") -> None:
        """One request + response pair. Headers are Scrapy's (bytes names -> lists of bytes values)."""
        writer = self.writer
        date = warc_date(when)
        common = [("WARC-Target-URI", target_uri), ("WARC-Date", date)]
        if fetched_from and fetched_from != target_uri:
            common.append((FETCHED_FROM, fetched_from))
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        http_response = StatusAndHeaders(f"{status} {reason}".strip(),
                                         [*_header_pairs(response_headers.items()),
                                          ("Content-Length", str(len(body)))], protocol=protocol)
        revisitable = bool(self.remembered and body) and not 200 <= status < 300
        first = self._archived(body) if revisitable else None
        if first is not None:
            response = self._revisit(target_uri, common, http_response, first)
        else:
            response = writer.create_warc_record(target_uri, "response", payload=BytesIO(body), length=len(body),
                                                 http_headers=http_response,
                                                 warc_headers=_record_headers("response", common, http_response, body))
            if revisitable:
                rec_headers = response.rec_headers
                self._remember(_Archived(body, target_uri, date, rec_headers.get_header("WARC-Record-ID"),
                                         rec_headers.get_header("WARC-Payload-Digest")))
        split = target_uri.split("/", 3)
        path = "/" + (split[3] if len(split) > 3 else "")
        http_request = StatusAndHeaders(f"{method} {path} {protocol}",
                                        [("Host", split[2]), *_header_pairs(request_headers.items(), {b"host"})],
                                        is_http_request=True)
        request = writer.create_warc_record(target_uri, "request", http_headers=http_request,
                                            warc_headers=_record_headers("request", common, http_request))
        self.writer.write_request_response_pair(request, response)
        self.records += 1

    def _archived(self, body: bytes) -> _Archived | None:
        """The remembered record whose body is `body`, byte for byte (lengths compared first), made the
        most recently used; None when there is none."""
        size = len(body)
        for index, archived in enumerate(self.archived):
            if len(archived.body) == size and archived.body == body:
                self.archived.append(self.archived.pop(index))
                return archived
        return None

    def _remember(self, archived: _Archived) -> None:
        self.archived.append(archived)
        if len(self.archived) > self.remembered:
            del self.archived[0]  # the least recently archived or revisited: memory stays flat

    def _revisit(self, target_uri: str, common: list[tuple[str, str]], http_response: StatusAndHeaders,
                 first: _Archived) -> Any:
        """A revisit record (identical-payload-digest) of `first`: the block is the HTTP status line and
        headers only, its digest hashed here over those few bytes."""
        http_response.compute_headers_buffer()
        block = Digester("sha1")
        block.update(http_response.headers_buff)
        self.revisits += 1
        return self.writer.create_revisit_record(
            target_uri, first.payload_digest, first.target_uri, first.date, http_headers=http_response,
            warc_headers_dict={"WARC-Type": "revisit", "WARC-Record-ID": _record_id(), **dict(common),
                               "WARC-Refers-To": first.record_id, "WARC-Block-Digest": str(block)})

    def close(self) -> Path:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.part, self.path)
        return self.path


@dataclass
class ArchivedResponse:
    target_uri: str
    date: datetime
    status: int
    content_type: str | None
    body: bytes  # content-encoding (gzip, br) undone; b"" for a revisit
    revisit_of: str | None = None  # a revisit record: the URI of the record with its body (no body here)


def _parse_date(text: str) -> datetime:
    return datetime.fromisoformat(text)  # Python 3.11 reads the "Z"


def _whole(record: Any) -> str | None:
    """Why a record just read is not whole (None when it is): warcio's own checks, its stream limited
    to the record's Content-Length and its WARC-Block/Payload-Digest (ArchiveIterator(check_digests))."""
    stream = record.raw_stream
    while stream.read(1 << 16):  # what the content stream left (the end of a compressed body)
        pass
    short = getattr(stream, "limit", 0)
    if short:
        return f"truncated: the record ends {short} bytes before its Content-Length"
    if record.digest_checker.passed is False:
        return "; ".join(record.digest_checker.problems) or "its digest does not match"
    return None


def read_responses(path: str | Path) -> Iterator[ArchivedResponse]:
    """The response records of an archive, in order, each read whole, revisit records among them (with
    `revisit_of` and no body: the body is that of an earlier record). At the first record that is
    not (cut short, a digest that does not match, bytes that are no record or no gzip), DamagedArchive:
    every record before it was given, the damaged one never is."""
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream, check_digests=True)
        index = 0
        while True:
            index += 1
            uri = None
            try:
                record: Any = _quietly(lambda: next(records, None))
                if record is None:
                    return
                uri = record.rec_headers.get_header("WARC-Target-URI")
                response = record.rec_type in ("response", "revisit") and record.http_headers is not None
                body = _quietly(record.content_stream().read) if record.rec_type == "response" and response else b""
                damage = _quietly(lambda: _whole(record))  # noqa: B023 - called at once
            except _Complaint as complaint:
                damage = f"warcio: {complaint}"
            except Exception as exc:  # noqa: BLE001 - whatever warcio, zlib or a torn gzip member raises
                damage = _unreadable(exc)
            if damage:
                raise DamagedArchive(records.offset, index, uri, damage)
            if response:
                yield ArchivedResponse(
                    target_uri=uri or "",
                    date=_parse_date(record.rec_headers.get_header("WARC-Date")),
                    status=int(record.http_headers.get_statuscode() or 0),
                    content_type=record.http_headers.get_header("Content-Type"),
                    body=body,
                    revisit_of=record.rec_headers.get_header("WARC-Refers-To-Target-URI")
                    if record.rec_type == "revisit" else None,
                )


class _Complaint(Exception):
    """warcio said something was wrong (it writes such warnings to stderr instead of raising)."""


_T = TypeVar("_T")


def _quietly(step: Callable[[], _T]) -> _T:
    """Run one reading step with warcio's stderr warnings caught: any is damage (raised as _Complaint
    with its first line: the lines after it quote the damaged bytes)."""
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        result = step()
    complaint = next((line.strip() for line in said.getvalue().splitlines() if line.strip()), None)
    if complaint:
        raise _Complaint(complaint)
    return result


def _unreadable(exc: Exception) -> str:
    """What a reading error says, in words safe for one line: warcio quotes the bytes it could not
    read (the damage itself), which are left out."""
    if isinstance(exc, ArchiveLoadFailed):
        return f"bytes that are no WARC record (warcio: {str(exc).partition(':')[0].split(', first line')[0]})"
    if isinstance(exc, zlib.error | EOFError):
        return f"corrupt or truncated gzip data ({type(exc).__name__}: {exc})"
    text = "".join(c if c.isascii() and c.isprintable() else "?" for c in str(exc).split("\n")[0])
    return f"{type(exc).__name__}: {text[:120]}"


def _complete_length(path: Path) -> tuple[int, int]:
    """(bytes up to the end of the last complete record, complete records)."""
    end = records = 0
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        try:
            for _ in iterator:
                iterator.read_to_end()
                end = iterator.get_record_offset() + iterator.get_record_length()
                records += 1
        except Exception:  # noqa: BLE001 - whatever a torn gzip member raises, the rest is good
            pass
    return end, records


def recover_archives(output_dir: str | Path) -> list[Path]:
    """Finalise the `.warc.gz.part` files no live run holds: cut a torn last record, rename."""
    finalized = []
    for part in sorted(Path(output_dir).rglob(f"*.warc.gz{PART}")):
        final = finalize_part(part)
        if final is not None:
            finalized.append(final)
    return finalized


def finalize_part(part: Path) -> Path | None:
    """Finalise one archive part no live run holds (see recover_archives): its final path, or None
    when it is gone or a live run holds it."""
    try:
        handle = part.open("rb+")
    except FileNotFoundError:
        return None
    with handle:
        if not try_lock(handle.fileno()):
            return None  # a live run is writing it
        end, records = _complete_length(part)
        dropped = os.fstat(handle.fileno()).st_size - end
        handle.truncate(end)
        handle.flush()
        os.fsync(handle.fileno())
        final = finalize(part)
    logger.warning("Recovered the archive %s of a run that did not finish: %d records kept, %d bytes "
                   "of a torn last record cut", final, records, dropped)
    return final
