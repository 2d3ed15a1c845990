"""`python -m newscrawl extract FILE... [--url URL]`: saved pages -> JSON lines on stdout, through the
same parser and pipelines as a crawl. Problems go to stderr, one line per page; the exit code is 0
when every page gave an article, 1 when some did not, 2 when a file could not be read.

--strict is for the person writing or fixing a site's readers: a field reader that raises stops the
command with its traceback (Fundus's error_handling="raise"), where normally it becomes a defect
naming the field and the page is quarantined."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newscrawl.items import exported
from newscrawl.output.quarantine import QuarantineFile
from newscrawl.replay.pages import read_page, url_for_path
from newscrawl.replay.processor import Processor
from newscrawl.sites import PROFILES, not_registered, profile_for_url


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("extract", help="extract articles from saved pages to JSON lines")
    parser.add_argument("files", nargs="+", metavar="FILE", help="saved HTML pages")
    parser.add_argument("--url", help="the URL the page was saved from (one FILE only); by default "
                        "taken from a <site>/news/<id>.html path, else from the page itself")
    parser.add_argument("--site", choices=sorted(PROFILES), help="the site the pages are of (default: told by "
                        "--url or the <site>/news/<id>.html path, else the default site; a host no profile "
                        "names is read with its CMS's generic reader)")
    parser.add_argument("--quarantine", metavar="PATH", help="also append quarantine records to this file")
    parser.add_argument("--strict", action="store_true", help="a field reader that raises stops the command "
                        "with its traceback, instead of a defect naming the field (to debug a site's parser)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.url and len(args.files) > 1:
        print("newscrawl extract: --url names the URL of one page; give one FILE with it", file=sys.stderr)
        return 2
    if args.url and not args.site and (notice := not_registered(profile_for_url(args.url))):
        print(notice, file=sys.stderr)
    processor = Processor(strict=args.strict)
    quarantine = QuarantineFile(args.quarantine) if args.quarantine else None
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            html = read_page(path)
        except OSError as exc:
            print(f"newscrawl extract: {name}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            status = 2
            continue
        try:
            outcome = processor.process(html, args.url or url_for_path(path), site=args.site)
        except Exception:
            if args.strict:  # the traceback that follows is the point; say which page it is of
                print(f"newscrawl extract: {name}: stopped here (--strict):", file=sys.stderr, flush=True)
            raise
        if outcome.article is not None:
            print(json.dumps(exported(outcome.article), ensure_ascii=False), flush=True)
            continue
        status = max(status, 1)
        if outcome.quarantined is not None:
            print(f"newscrawl extract: {name}: quarantined: {'; '.join(outcome.quarantined['reasons'])}",
                  file=sys.stderr)
            if quarantine is not None:
                quarantine.write(outcome.quarantined)
        else:
            print(f"newscrawl extract: {name}: not an article: {outcome.not_an_article or outcome.dropped}",
                  file=sys.stderr)
    if quarantine is not None:
        quarantine.close()
    return status
