"""`python -m newscrawl synth DIR --articles N [--seed S]`: write a synthetic mirror folder.

`--sites all|A,B,...|GROUP|N` writes a family root instead: DIR/<site>/ for each site (real profile
names and hosts; N: the first N registered sites whose reader reads the synthetic pages), N articles
each with a feed over them, to serve with `python -m newscrawl mirror DIR` and crawl through
`-s MIRROR_PROXY=` (README "Many sites in one run")."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newscrawl import exit_codes
from newscrawl.exceptions import BadArgument
from newscrawl.mirror.synth import SYNTH_UNREAD, synthesize, synthesize_family
from newscrawl.sites.groups import resolve_sites


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("synth", help="write a mirror folder of N generated articles (or a family "
                                                 "root of many sites: --sites)")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--articles", type=int, required=True, help="articles (per site with --sites)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sites", help="all, a comma list of sites, a group (python -m newscrawl sites "
                                        "--groups), or a number N: the first N sites; writes DIR/<site>/ each")
    parser.set_defaults(run=run)


def family_sites(spec: str) -> list[str]:
    """The sites of --sites: a number is the first N sites the synthetic pages are read by."""
    if spec.strip().isdigit():
        readable = [name for name in resolve_sites("all") if name not in SYNTH_UNREAD]
        if not 0 < int(spec) <= len(readable):
            raise BadArgument(f"--sites: {spec}: give 1 to {len(readable)} (the sites whose reader reads the "
                              "synthetic pages)")
        return readable[: int(spec)]
    return resolve_sites(spec)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.sites:
        try:
            sites = family_sites(args.sites)
        except BadArgument as exc:
            print(f"newscrawl synth: {exc}", file=sys.stderr)
            return exit_codes.USAGE
        manifest = synthesize_family(args.dir, sites, args.articles, args.seed)
        manifest = {"sites": len(sites), "articles_per_site": args.articles, "first_site": sites[0],
                    "last_site": sites[-1]}
    else:
        manifest = synthesize(args.dir, args.articles, args.seed)
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(manifest))
    return 0
