"""`python -m newscrawl reparse FILE.warc.gz... [-O out.jsonl]`: archived responses through the
current parser and pipelines into a new run file (by default `<output-dir>/<site>/<day>/<id>.jsonl`,
its quarantine beside it). Exit 0 when it wrote articles, 1 when none came out, 2 when an archive
could not be read whole: one line per damaged archive names where (byte, record, URL) and why; its
records before the damage and every other archive are still re-extracted, and the summary counts
`damaged_archives` and `damaged_records`. 6 when the output could not be written."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newscrawl import exit_codes
from newscrawl.exceptions import DamagedArchive
from newscrawl.output.warc import read_responses
from newscrawl.replay.reparse import default_output, reparse
from newscrawl.sites import profile_for_url


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("reparse", help="re-extract articles from WARC archives, offline")
    parser.add_argument("archives", nargs="+", type=Path, metavar="FILE.warc.gz")
    parser.add_argument("-O", "--output", type=Path, help="the run file to write (overwritten)")
    parser.add_argument("--output-dir", default="output", help="where the run file goes without -O")
    parser.set_defaults(run=run)


def _first_site(archives: list[Path]) -> str:
    for archive in archives:
        try:
            for response in read_responses(archive):
                return profile_for_url(response.target_uri).name
        except DamagedArchive:
            continue  # said once, by the reparse itself
    return profile_for_url(None).name


def run(args: argparse.Namespace) -> int:
    for archive in args.archives:
        if not archive.is_file():
            print(f"newscrawl reparse: {archive}: no such file", file=sys.stderr)
            return exit_codes.USAGE
    try:
        out = args.output or default_output(args.output_dir, _first_site(args.archives))
        counts, damaged = reparse(args.archives, out)
    except OSError as exc:
        print(f"newscrawl reparse: {exc}", file=sys.stderr)
        return exit_codes.WRITE_FAILED
    for archive, damage in damaged:
        print(f"newscrawl reparse: {archive}: {damage}; the records before it are re-extracted, none after it",
              file=sys.stderr)
    print(json.dumps({"output": str(out) if counts["articles"] else None, **counts}), flush=True)
    if damaged:
        return exit_codes.USAGE  # an archive could not be read whole
    return 0 if counts["articles"] else 1
