"""`python -m newscrawl runs --since 1d`: the runs under OUTPUT_DIR that started since then, newest first:
site, mode, start, duration, outcome, articles written, failed pages (fetch failed or quarantined)
and the report's path; a failed run's cause on the line below it."""

from __future__ import annotations

import argparse
import sys

from newscrawl import exit_codes
from newscrawl.commands.board import add_settings_arguments, output_folder, settings_of, sites_of


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("runs", help="the runs since a time, newest first, from their reports")
    parser.add_argument("--since", default="1d", help="30m, 6h, 1d, 2w, or a UTC date 2026-12-01 (default 1d)")
    add_settings_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from newscrawl.monitoring.board import parse_since, runs_since, runs_table

    try:
        since, settings, sites = parse_since(args.since), settings_of(args), sites_of(args)
    except ValueError as exc:
        print(f"newscrawl runs: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    if (output_dir := output_folder(settings, "runs")) is None:
        return exit_codes.USAGE
    runs = runs_since(output_dir, since, sites)
    if not runs:
        print(f"newscrawl runs: no run under {output_dir} since {since:%Y-%m-%d %H:%M} UTC", file=sys.stderr)
        return exit_codes.OK
    print(runs_table(runs))
    print(f"{len(runs)} runs since {since:%Y-%m-%d %H:%M} UTC, {sum(1 for r in runs if r.exit_code)} failed")
    return exit_codes.OK
