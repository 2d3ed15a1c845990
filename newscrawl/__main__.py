"""python -m newscrawl extract | fixtures | sites | mirror | synth | demo | preflight | selfcheck | warc |
reparse | dataset | seed | worker | crawl-status | board | runs | crawl"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("extract", "fixtures", "sites", "mirror", "synth", "demo", "preflight", "selfcheck", "warc", "reparse",
            "dataset", "seed", "worker", "crawl-status", "board", "runs", "crawl")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m newscrawl", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    # Only the command asked for is imported (`dataset` need not load Scrapy); all of them for --help.
    chosen = [argv[0]] if argv and argv[0] in COMMANDS else COMMANDS
    for name in chosen:
        importlib.import_module(f"newscrawl.commands.{name.replace('-', '_')}").add_parser(subparsers)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
