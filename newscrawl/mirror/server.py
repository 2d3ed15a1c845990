"""Serve a mirror folder over HTTP on 127.0.0.1 at the site's own paths: which file a path names is
the site's CMS's to say (`CmsMirror.mirror_route`, beside the CMS's readers in newscrawl/sites/), and so is
the not-found page (`404.html` of the folder when present, else the CMS's own for the site).
It can be told to misbehave on given paths (newscrawl.mirror.faults).

A family root (a folder holding one mirror folder per site, each named by its profile: ROOT/<site>,
...) is served for every site at once, as a plain HTTP proxy: a crawl with
`-s MIRROR_PROXY=http://127.0.0.1:P` (newscrawl.middlewares.mirror_proxy) sends
`GET http://<the site's host>/<path> HTTP/1.1` here, and the request's host picks the folder. A host
no profile names, or a site whose folder is missing, is answered 502 Bad Gateway (what a proxy says
when it cannot reach the site). In that mode a fault keyed `<site>:<path or glob>` applies to that
site only, one keyed by a bare path to every site.
"""

from __future__ import annotations

import socket
import struct
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from newscrawl.mirror.faults import Faults, replacement_page, transform
from newscrawl.sites import DEFAULT_SITE, HOSTS, PROFILES, mirror_for
from newscrawl.sites.profiles import bare_host

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
        if self._route():
            self._serve(head=False)

    def do_POST(self) -> None:
        """A form POST (an archive that takes its query as a form): served like the GET."""
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace")) if length else {}
        if not self._route():
            return
        self.server.count_request(self._counted("POST " + unquote(urlsplit(self.path).path)))
        file, content_type = resolve(self.root, urlsplit(self.path).path, urlsplit(self.path).query, self.site, form)
        if file is None or not file.is_file():
            self._send(HTTPStatus.NOT_FOUND, _HTML, self._not_found_page(), head=False)
            return
        self._send(HTTPStatus.OK, content_type, file.read_bytes(), head=False)

    def do_HEAD(self) -> None:
        if self._route():
            self._serve(head=True)

    def _route(self) -> bool:
        """In a family root: the site (and its folder) the request's host names, as self.site and
        self.root for this request; False when that was answered already (502: no such site here)."""
        if self.server.family is None:
            return True
        host = urlsplit(self.path).hostname or urlsplit("//" + (self.headers.get("Host") or "")).hostname or ""
        profile = HOSTS.get(bare_host(host))
        folder = self.server.family / profile.name if profile else None
        if profile is None or folder is None or not folder.is_dir():
            self.server.count_request(f"{host}:{urlsplit(self.path).path}")
            body = f"the mirror serves no site {host!r} (no folder for it under {self.server.family})".encode()
            self.send_response(HTTPStatus.BAD_GATEWAY)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return False
        self.site, self.root = profile.name, folder
        return True

    def _counted(self, path: str) -> str:
        """The key a served request is counted under: its path; in a family root `<site>:<path>`."""
        return path if self.server.family is None else f"{self.site}:{path}"

    def _serve(self, head: bool) -> None:
        url = urlsplit(self.path)
        self.server.count_request(self._counted(unquote(url.path)))
        fault = self.server.faults_for(self.site).active(unquote(url.path), unquote(url.query))
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
        # A family root: one folder per site (is_family_root), served by the request's host.
        self.family: Path | None = root if site is None and is_family_root(root) else None
        # The site it stands for: given, else the folder's name when that is a site's (fixtures/<site>).
        site = site or (root.name if root.name in PROFILES else DEFAULT_SITE)
        handler = type("BoundMirrorHandler", (handler,), {"root": root, "site": site})
        spec = dict(faults or {})
        every_site = {key: fault for key, fault in spec.items() if not _site_key(key)}
        self.faults = Faults(every_site)
        self._site_faults = {name: Faults({**every_site, **{key.partition(":")[2]: fault for key, fault in spec.items()
                                                           if _site_key(key) == name}})
                             for name in {_site_key(key) for key in spec} if name}
        self.requests: Counter[str] = Counter()  # every request path served, faulty or not ("POST <path>")
        self._count_lock = threading.Lock()
        super().__init__((HOST, port), handler)

    def handle_error(self, request, client_address) -> None:
        """A client that drops a kept-alive connection (a crawler closing its pool when it finishes:
        with many crawlers on one proxy, many do) is no error of the mirror's."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)

    def faults_for(self, site: str) -> Faults:
        """The faults of a site of a family root (`<site>:<path>` keys), else those of every site."""
        return self._site_faults.get(site, self.faults) if self.family is not None else self.faults

    def count_request(self, path: str) -> None:
        with self._count_lock:
            self.requests[path] += 1

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"


def _site_key(key: str) -> str | None:
    """The site a fault key `<site>:<path>` names (None: a bare path or glob, for every site)."""
    name, sep, rest = key.partition(":")
    return name if sep and name in PROFILES and rest.startswith(("/", "*")) else None


def is_family_root(root: Path) -> bool:
    """A folder of mirror folders, one per site, each named by its profile (ROOT/<site>):
    no news/ of its own, and at least one sub-folder named by a profile."""
    return not (root / "news").is_dir() and any(p.is_dir() and p.name in PROFILES for p in root.iterdir())


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
