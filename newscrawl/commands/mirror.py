"""`python -m newscrawl mirror DIR --port P`: serve a mirror folder on 127.0.0.1 until stopped; a
family root (DIR/<site>/ for many sites, `python -m newscrawl synth DIR --sites ...`) is served for all
of them as an HTTP proxy: crawl it with `-s MIRROR_PROXY=http://127.0.0.1:P`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newscrawl.mirror.server import MirrorServer, is_family_root


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("mirror", help="serve a mirror folder on 127.0.0.1 at the site's paths")
    parser.add_argument("dir", type=Path, help="mirror folder (news/, archive/, rss/, robots.txt)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument("--faults", type=Path, help="JSON file: path or glob -> fault (see newscrawl.mirror.faults)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.dir.is_dir() or not ((args.dir / "news").is_dir() or is_family_root(args.dir)):
        print(f"newscrawl mirror: {args.dir} is not a mirror folder (no news/ in it, nor folders named by sites)",
              file=sys.stderr)
        return 2
    try:
        faults = json.loads(args.faults.read_text(encoding="utf-8")) if args.faults else None
        server = MirrorServer(args.dir, args.port, faults=faults)
    except OSError as exc:
        print(f"newscrawl mirror: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    server.verbose = args.verbose
    if server.family is not None:
        print(f"serving the sites under {args.dir} as a proxy: -s MIRROR_PROXY={server.base_url}", flush=True)
    else:
        print(f"serving {args.dir} at {server.base_url}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
