"""`python -m newscrawl preflight [URL]`: can this machine reach the site? A DNS lookup and a TCP
connection with a short timeout, so that a scheduled crawl with no route fails in seconds with a
clear message instead of retrying every request."""

from __future__ import annotations

import argparse
import socket
import sys
from urllib.parse import urlsplit

from newscrawl.sites import DEFAULT_SITE, PROFILES


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("preflight", help="check that the site can be reached")
    parser.add_argument("url", nargs="?", default=PROFILES[DEFAULT_SITE].base_url)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds")
    parser.set_defaults(run=run)


def reachable(url: str, timeout: float) -> str | None:
    """None when a TCP connection to the URL's host opens, else why not."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except socket.gaierror as exc:
        return f"cannot resolve {host}: {exc.strerror}"
    except TimeoutError:
        return f"no answer from {host}:{port} within {timeout:g} s"
    except OSError as exc:
        return f"cannot connect to {host}:{port}: {exc.strerror or exc}"


def run(args: argparse.Namespace) -> int:
    problem = reachable(args.url, args.timeout)
    if problem:
        print(f"newscrawl: no route to {args.url}: {problem}.\n"
              "This machine cannot reach the site; `make demo` runs the same crawl against the "
              "bundled mirror.", file=sys.stderr)
        return 1
    return 0
