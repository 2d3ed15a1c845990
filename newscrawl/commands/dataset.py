"""`python -m newscrawl dataset build | verify | gaps`: one dataset from every run file.

    dataset build [--site S...] --out DIR [--runs output]   latest + versions as Parquet, manifest, card
    dataset verify DIR [--runs output] [--state PATH]       exit 1 with the first problems listed
    dataset gaps --site S [--runs output]                   ids no run wrote nor found missing
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newscrawl import exit_codes


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("dataset", help="build, verify and measure the dataset of all runs")
    sub = parser.add_subparsers(dest="dataset_command", required=True)

    build = sub.add_parser("build", help="build (or update) the Parquet dataset from every run file")
    build.add_argument("--out", type=Path, required=True, help="the dataset folder")
    build.add_argument("--site", action="append", help="only this site (repeatable)")
    build.add_argument("--runs", type=Path, default=Path("output"), help="folder of run files (OUTPUT_DIR)")
    build.set_defaults(run=run_build)

    verify = sub.add_parser("verify", help="check a built dataset against its manifest, schema, runs and state")
    verify.add_argument("dir", type=Path)
    verify.add_argument("--runs", type=Path, default=Path("output"))
    verify.add_argument("--state", type=Path, help="the state store (default: <runs>/state/state.sqlite3)")
    verify.add_argument("--max-problems", type=int, default=20)
    verify.set_defaults(run=run_verify)

    gaps = sub.add_parser("gaps", help="ids between a site's lowest and highest that no run wrote nor found missing")
    gaps.add_argument("--site", required=True)
    gaps.add_argument("--runs", type=Path, default=Path("output"))
    gaps.set_defaults(run=run_gaps)


def run_build(args: argparse.Namespace) -> int:
    from newscrawl.dataset.build import build
    from newscrawl.exceptions import BuildError

    started = time.perf_counter()
    try:
        result = build(args.out, args.runs, args.site)
    except BuildError as exc:
        print(f"newscrawl dataset build: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    except OSError as exc:  # DatasetWriteError: nothing published, the previous dataset unchanged
        print(f"newscrawl dataset build: {exc}", file=sys.stderr)
        return exit_codes.WRITE_FAILED
    print(json.dumps({"out": str(args.out), "full": result.full, "run_files_read": result.files_read,
                      "lines_read": result.lines_read, "invalid_lines": result.invalid_lines,
                      "partitions_written": len(result.partitions_written),
                      "partitions_removed": len(result.partitions_removed), "rows": result.rows,
                      "seconds": round(time.perf_counter() - started, 2)}), flush=True)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from newscrawl.dataset.verify import verify

    state = args.state or args.runs / "state" / "state.sqlite3"
    problems, notes = verify(args.dir, args.runs, state)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in problems[: args.max_problems]:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    if len(problems) > args.max_problems:
        print(f"... and {len(problems) - args.max_problems} more", file=sys.stderr)
    print("dataset verified" if not problems else f"{len(problems)} problem(s)", file=sys.stderr)
    return 0 if not problems else 1


def run_gaps(args: argparse.Namespace) -> int:
    from newscrawl.dataset.gaps import gaps, id_ranges

    result = gaps(args.runs, args.site)
    if result.lowest is None:
        print(f"newscrawl dataset gaps: no run under {args.runs} wrote an article of {args.site}", file=sys.stderr)
        return exit_codes.USAGE
    print(f"{args.site}: ids {result.lowest}-{result.highest}: {result.written} written, "
          f"{result.missing} found missing, {result.count} in no run", file=sys.stderr)
    spec = id_ranges(result.ranges)
    if spec:
        print(f"refetch them with: scrapy crawl {args.site} -a mode=ids -a ids=<the line below>", file=sys.stderr)
        print(spec)
    return 0
