"""python -m newscrawl extract | fixtures | mirror | synth | demo | preflight | seed | worker | crawl-status"""

from __future__ import annotations

import argparse
import sys

from newscrawl.commands import crawl_status, demo, extract, fixtures, mirror, preflight, seed, synth, worker


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in (extract, fixtures, mirror, synth, demo, preflight, seed, worker, crawl_status):
        command.add_parser(subparsers)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
