"""`python -m newscrawl board [--html FILE]`: every site's health on one screen or one page.

Per site: the last run and its outcome and cause, the articles of the last day and week (and a chart
per day), the empty-field shares and the sources of the date and the id in the last day's runs, the
drift state and the failed pages; the sites that need a person first. Read from the run reports under
OUTPUT_DIR and the state store (newscrawl.monitoring.board); the page needs nothing but itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from newscrawl import exit_codes
from newscrawl.exceptions import StateError


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output-dir", help="OUTPUT_DIR of the runs (default: the setting, 'output')")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting, as for scrapy crawl (OUTPUT_DIR, STATE_DIR, STATE_BACKEND, DRIFT_*)")
    parser.add_argument("--sites", help="only these sites: A,B,...")


def settings_of(args: argparse.Namespace):
    """The project's settings with -s and --output-dir over them, OUTPUT_DIR and STATE_DIR made
    absolute; ValueError for a malformed -s."""
    from scrapy.utils.conf import arglist_to_dict
    from scrapy.utils.project import get_project_settings

    from newscrawl.output.paths import resolve_run_dirs

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    settings = get_project_settings()
    bad = [pair for pair in args.settings if "=" not in pair]
    if bad:
        raise ValueError(f"-s {bad[0]!r}: give NAME=VALUE")
    settings.setdict(arglist_to_dict(args.settings), priority="cmdline")
    if args.output_dir:
        settings.set("OUTPUT_DIR", args.output_dir, priority="cmdline")
    resolve_run_dirs(settings)
    return settings


def sites_of(args: argparse.Namespace) -> set[str] | None:
    if not args.sites:
        return None
    from newscrawl.sites import PROFILES

    if args.sites.strip() == "all":
        return None
    sites = {s.strip() for s in args.sites.split(",") if s.strip()}
    if not sites:
        raise ValueError(f"--sites {args.sites!r}: give site names A,B,...")
    unknown = sorted(sites - set(PROFILES))
    if unknown:  # a typo would show an empty board ("no run found"), never the site meant
        raise ValueError(f"--sites: unknown site {', '.join(unknown)}; `python -m newscrawl sites` lists them, "
                         "or give --sites all")
    return sites


def output_folder(settings, command: str) -> Path | None:
    """OUTPUT_DIR, where the run reports are; None (and one line on stderr) when it is no folder."""
    output_dir = Path(settings["OUTPUT_DIR"])
    if not output_dir.is_dir():
        print(f"newscrawl {command}: no folder {output_dir} (OUTPUT_DIR; give --output-dir)", file=sys.stderr)
        return None
    return output_dir


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("board", help="every site's health: a table, or one self-contained HTML page")
    parser.add_argument("--html", type=Path, metavar="FILE", help="write the board as one HTML page to FILE")
    parser.add_argument("--width", type=int, default=0, help="cut the table's lines to this width (0: the terminal's)")
    add_settings_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from newscrawl.monitoring.board import board, table

    try:
        settings, sites = settings_of(args), sites_of(args)
    except ValueError as exc:
        print(f"newscrawl board: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    if (output_dir := output_folder(settings, "board")) is None:
        return exit_codes.USAGE
    now = datetime.now(UTC)
    try:
        healths = board(settings, sites, now)
    except StateError as exc:
        print(f"newscrawl board: {exc}", file=sys.stderr)
        return exit_codes.STATE_FAILED
    if not healths:
        print(f"newscrawl board: no run reports and no state under {output_dir}: no site has run yet"
              + (f" (of {args.sites})" if sites else ""), file=sys.stderr)
        return exit_codes.OK
    if args.html:
        from newscrawl.monitoring.board_html import page

        try:
            args.html.write_text(page(healths, now, output_dir), encoding="utf-8")
        except OSError as exc:
            print(f"newscrawl board: cannot write {args.html}: {exc}", file=sys.stderr)
            return exit_codes.WRITE_FAILED
        attention = sum(1 for h in healths if h.attention)
        print(f"{args.html}: {len(healths)} sites, {attention} need a person")
        return exit_codes.OK
    width = args.width or (os.get_terminal_size().columns if sys.stdout.isatty() else 0)
    print(table(healths, now, width))
    return exit_codes.OK
