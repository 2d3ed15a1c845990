"""`python -m newscrawl sites [--json]`: every registered site, one line each: its name (the spider's),
host, markup generations, evidence, markup pattern, and whether its fixtures replay as expected (each
site's saved pages under fixtures/ go through the parser again). Exit 1 when a site's fixtures differ.
`--groups`: the groups `--sites` takes (newscrawl.sites.groups), one line each with its sites."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.replay.fixtures import FIXTURES_DIR, dumps, fixture_pages, load_expected, replay
from newscrawl.replay.pages import site_for_path
from newscrawl.sites import PROFILES, SiteProfile
from newscrawl.sites.groups import ALL, groups


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("sites", help="list the registered sites with their evidence, pattern "
                                                 "and whether their fixtures pass")
    parser.add_argument("--json", action="store_true", help="one JSON object per site and line")
    parser.add_argument("--dir", type=Path, default=FIXTURES_DIR, help="fixtures folder")
    parser.add_argument("--groups", action="store_true", help="the groups of sites --sites takes, with their sites")
    parser.set_defaults(run=run)


def _fixtures(root: Path) -> dict[str, dict[str, int]]:
    """Per site: how many of its fixture pages replay as expected, and how many differ."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"pass": 0, "fail": 0})
    for page in fixture_pages(root):
        site = site_for_path(page)
        if site is not None:
            expected = load_expected(page)
            counts[site]["pass" if expected is not None and dumps(replay(page)) == dumps(expected) else "fail"] += 1
    return counts


def _row(profile: SiteProfile, counts: dict[str, int] | None) -> dict:
    if counts is None:
        fixtures = "no fixtures"
    elif counts["fail"]:
        fixtures = f"FAIL {counts['fail']} of {counts['pass'] + counts['fail']}"
    else:
        fixtures = f"pass {counts['pass']}"
    url = urlsplit(profile.base_url)
    return {"name": profile.name, "host": url.netloc + (" (http)" if url.scheme == "http" else ""),
            "base_url": profile.base_url, "hosts": list(profile.hosts),
            "generations": [m.generation for m in profile.generations],
            "evidence": profile.evidence, "pattern": profile.pattern, "fixtures": fixtures,
            "fixtures_pass": counts["pass"] if counts else 0, "fixtures_fail": counts["fail"] if counts else 0}


def run(args: argparse.Namespace) -> int:
    if args.groups:
        for name, sites in groups().items():
            print(f"{name}  ({len(sites)})  " + ("every registered site" if name == ALL else ", ".join(sites)))
        return 0
    counts = _fixtures(args.dir)
    rows = [_row(profile, counts.get(name)) for name, profile in PROFILES.items()]
    if args.json:
        lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    else:
        columns = [("site", "host", "generations", "evidence", "pattern", "fixtures")]
        columns += [(r["name"], r["host"], ", ".join(r["generations"]) or "the CMS's",
                     r["evidence"].split(" ")[0].rstrip(":,;"), r["pattern"], r["fixtures"]) for r in rows]
        widths = [max(len(c[i]) for c in columns) for i in range(5)]
        lines = ["  ".join(value.ljust(width) for value, width in zip(c, widths, strict=False)) + "  " + c[5]
                 for c in columns]
    try:
        print("\n".join(lines), flush=True)
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1 if any(r["fixtures_fail"] for r in rows) else 0
