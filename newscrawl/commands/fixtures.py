"""`python -m newscrawl fixtures [--update]`: replay every fixture page and diff the result against
its expected JSON. --update rewrites the expected files and prints the diff for review."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from newscrawl.fixtures import FIXTURES_DIR, dumps, expected_path, replay_all


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("fixtures", help="check (or --update) the expected output of fixtures")
    parser.add_argument("--update", action="store_true", help="rewrite the expected .json files")
    parser.add_argument("--dir", type=Path, default=FIXTURES_DIR, help="fixtures folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    changed = 0
    for page, actual, expected in replay_all(args.dir):
        old = dumps(expected) if expected is not None else ""
        new = dumps(actual)
        if old == new:
            continue
        changed += 1
        target = expected_path(page)
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"{target} (expected)", tofile=f"{target} (replayed)",
        ))
        if args.update:
            target.write_text(new, encoding="utf-8")
    verb = "updated" if args.update else "differ"
    print(f"{changed} fixture(s) {verb}", file=sys.stderr)
    return 0 if args.update or not changed else 1
