"""`python -m newscrawl demo`: the main crawl against a mirror of the bundled fixtures, for a machine
with no route to the site. Starts the mirror on a free port of 127.0.0.1, crawls it, stops it.

The demo writes everything under its own folder (DEMO_DIR, not OUTPUT_DIR's `output/`): the fixtures
include authored pages under the real site's URLs, so a demo run must never reach what `dataset build`,
`board` and `runs` read from `output/`."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.sites import DEFAULT_SITE, PROFILES

# A mirror on this machine needs no politeness.
MIRROR_SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
DEMO_DIR = "demo-output"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="crawl a local mirror of the bundled fixtures")
    parser.add_argument("--mode", default="rss", choices=("rss", "archive"))
    parser.add_argument("--site", default=DEFAULT_SITE, choices=sorted(PROFILES), help="the site's spider")
    parser.add_argument("--mirror", type=Path, help="mirror folder (default: fixtures/<site>)")
    parser.add_argument("--output-dir", default=DEMO_DIR,
                        help=f"the run's files: run file, report, WARC (default {DEMO_DIR}/, never output/)")
    parser.add_argument("--output", default=f"{DEMO_DIR}/demo-%(mode)s.jsonl", help="feed URI (-O)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    output = args.output % {"mode": args.mode}
    folder = args.mirror or FIXTURES_DIR / args.site
    with running_mirror(folder, site=args.site) as mirror:
        print(f"mirror of {folder} at {mirror.base_url}", flush=True)
        command = [sys.executable, "-m", "scrapy", "crawl", args.site, "-a", f"mode={args.mode}",
                   "-a", f"base_url={mirror.base_url}", "-O", output]
        # A state of its own each time: the demo always shows the whole path, however often it runs.
        state = tempfile.mkdtemp(prefix="newscrawl-demo-state-")
        for setting in (*MIRROR_SETTINGS, f"STATE_DIR={state}", f"OUTPUT_DIR={args.output_dir}"):
            command += ["-s", setting]
        # The project's settings by name, so that the demo runs from any folder.
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="newscrawl.settings")
        status = subprocess.call(command, env=env)
        shutil.rmtree(state, ignore_errors=True)
    print(f"articles: {output}", flush=True)
    return status
