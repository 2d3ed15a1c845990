"""`python -m newscrawl synth DIR --articles N [--seed S]`: write a synthetic mirror folder."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newscrawl.mirror.synth import synthesize


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("synth", help="write a mirror folder of N generated articles")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    manifest = synthesize(args.dir, args.articles, args.seed)
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(manifest))
    return 0
