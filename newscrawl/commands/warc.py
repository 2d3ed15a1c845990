"""`python -m newscrawl warc OUT.warc.gz [PAGE...]`: saved pages (by default every fixture page) as
a WARC archive of response records at their article URLs, fetched at the fixtures' fixed replay time,
so that `reparse` replays a fixture set exactly as it replays a crawl's archive."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawl import exit_codes
from newscrawl.output.warc import WarcFile
from newscrawl.replay.fixtures import FIXTURES_DIR, REPLAY_CRAWLED_AT, fixture_pages
from newscrawl.replay.pages import url_for_path

_PAGE_HEADERS = {b"Content-Type": [b"text/html"]}  # no charset: decoded as `extract` decodes a file


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("warc", help="write saved pages (default: the fixtures) as a WARC archive")
    parser.add_argument("output", type=Path, metavar="OUT.warc.gz")
    parser.add_argument("pages", nargs="*", type=Path, metavar="PAGE",
                        help="<site>/news/<id>.html files (default: every page under fixtures/)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    pages = args.pages or fixture_pages(FIXTURES_DIR)
    archive = WarcFile(args.output, info={"software": "newscrawl warc", "source": "saved pages"})
    for page in pages:
        url = url_for_path(page)
        if url is None:
            print(f"newscrawl warc: {page}: not a <site>/news/<id>.html path", file=sys.stderr)
            archive.file.close()
            archive.part.unlink()
            return exit_codes.USAGE
        archive.write_exchange(target_uri=url, fetched_from=page.resolve().as_uri(), when=REPLAY_CRAWLED_AT,
                               method="GET", request_headers={}, status=200,
                               response_headers=_PAGE_HEADERS, body=page.read_bytes())
    archive.close()
    print(f"{archive.records} pages archived in {args.output}", file=sys.stderr)
    return 0
