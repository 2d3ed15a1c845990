"""Serve a mirror folder over HTTP on 127.0.0.1 at the site's own paths: which file a path names is
the site's CMS's to say (`CmsMirror.mirror_route`, beside the CMS's readers in newscrawl/sites/), and so is
the not-found page (`404.html` of the folder when present, else the CMS's own for the site).
It can be told to misbehave on given paths (newscrawl.mirror.faults).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from newscrawl.mirror.faults import Faults, replacement_page, transform
from newscrawl.sites import DEFAULT_SITE, PROFILES, mirror_for

HOST = "127.0.0.1"
_HTML = "text/html; charset=utf-8"


def resolve(root: Path, path: str, query: str, site: str = DEFAULT_SITE,
            form: dict[str, list[str]] | None = None) -> tuple[Path | None, str]:
    """The file a request path maps to (None: no such route) and its content type."""
    profile = PROFILES[site]
    relative, content_type = mirror_for(profile).mirror_route(path, query, form, profile)
    return (None if relative is None else root / relative), content_type


class MirrorHandler(BaseHTTPRequestHandler):
    server_version = "newscrawl-mirror"
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server
    root: Path
    site: str = DEFAULT_SITE
    server: MirrorServer  # the handler serves only a MirrorServer

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_POST(self) -> None:
        """A form POST (an archive that takes its query as a form): served like the GET."""
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace")) if length else {}
        self.server.count_request("POST " + unquote(urlsplit(self.path).path))
        file, content_type = resolve(self.root, urlsplit(self.path).path, urlsplit(self.path).query, self.site, form)
        if file is None or not file.is_file():
            self._send(HTTPStatus.NOT_FOUND, _HTML, self._not_found_page(), head=False)
            return
        self._send(HTTPStatus.OK, content_type, file.read_bytes(), head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        url = urlsplit(self.path)
        self.server.count_request(unquote(url.path))
        fault = self.server.faults.active(unquote(url.path), unquote(url.query))
        if fault and self._misbehave(fault):
            return
        file, content_type = resolve(self.root, url.path, url.query, self.site)
        if file is None or not file.is_file():
            self._send(HTTPStatus.NOT_FOUND, _HTML, self._not_found_page(), head)
            return
        body = file.read_bytes()
        if fault:
            body, charset = transform(body, fault, self.site)
            content_type = content_type.split(";")[0] + (f"; charset={charset}" if charset else "")
        self._send(HTTPStatus.OK, content_type, body, head, truncate=bool(fault and fault.get("truncate")))

    def _misbehave(self, fault: dict) -> bool:
        """Answer in the fault's way; True when that was the whole answer."""
        if fault.get("delay"):
            time.sleep(float(fault["delay"]))
        if fault.get("reset"):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return True
        if fault.get("redirect"):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", fault["redirect"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if replaced := replacement_page(fault, self.site):
            status, page = replaced
            self._send(HTTPStatus(status), _HTML, page, head=self.command == "HEAD")
            return True
        if fault.get("status"):
            self.send_response(int(fault["status"]))
            if fault.get("retry_after") is not None:
                self.send_header("Retry-After", str(fault["retry_after"]))
            body = f"error {fault['status']}".encode()
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return True
        return False

    def _not_found_page(self) -> bytes:
        page = self.root / "404.html"
        return page.read_bytes() if page.is_file() else mirror_for(self.site).not_found_page(PROFILES[self.site])

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool,
              truncate: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:
            return
        if truncate:  # the promised length, half of it sent, then hang up
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True
    verbose = False

    def __init__(self, root: str | Path, port: int = 0, handler: type[MirrorHandler] = MirrorHandler,
                 faults: dict[str, dict] | None = None, site: str | None = None):
        root = Path(root).resolve()
        # The site it stands for: given, else the folder's name when that is a site's (fixtures/<site>).
        site = site or (root.name if root.name in PROFILES else DEFAULT_SITE)
        handler = type("BoundMirrorHandler", (handler,), {"root": root, "site": site})
        self.faults = Faults(faults)
        self.requests: Counter[str] = Counter()  # every request path served, faulty or not ("POST <path>")
        self._count_lock = threading.Lock()
        super().__init__((HOST, port), handler)

    def count_request(self, path: str) -> None:
        with self._count_lock:
            self.requests[path] += 1

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"


@contextmanager
def running_mirror(root: str | Path, port: int = 0, faults: dict[str, dict] | None = None,
                   handler: type[MirrorHandler] = MirrorHandler, site: str | None = None):
    """Serve `root` in a background thread for the duration of the block; yields the server."""
    server = MirrorServer(root, port, handler=handler, faults=faults, site=site)
    thread = threading.Thread(target=server.serve_forever, name="mirror", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
