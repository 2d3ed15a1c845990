"""`python -m newscrawl fixtures [--update]`: replay every fixture page and diff the result against
its expected JSON. --update rewrites the expected files and prints the diff for review.

`python -m newscrawl fixtures add PAGE --site S [--url URL] [--force]`: save a page (a file, or a
URL to fetch) as `fixtures/<site>/news/<id>.html` and write its expected JSON from the current parser,
for a person to review before committing. An existing page or expected file (a reviewed one) is
never overwritten without --force."""

from __future__ import annotations

import argparse
import difflib
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl import exit_codes
from newscrawl.exceptions import NotAnArticle
from newscrawl.replay.fixtures import FIXTURES_DIR, dumps, expected_path, replay, replay_all
from newscrawl.replay.pages import read_page
from newscrawl.sites import PROFILES, cms_for, parse_page

FETCH_TIMEOUT = 30
USER_AGENT = "newscrawl fixtures add (one page, by hand)"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("fixtures", help="check (or --update) the expected output of fixtures; "
                                                    "`fixtures add` saves a new one")
    parser.add_argument("--update", action="store_true", help="rewrite the expected .json files")
    parser.add_argument("--dir", type=Path, default=FIXTURES_DIR, help="fixtures folder")
    parser.set_defaults(run=run)
    commands = parser.add_subparsers(dest="fixtures_command")
    add = commands.add_parser("add", help="save a page as a fixture and write its expected JSON for review")
    add.add_argument("page", help="a saved page (file) or an http(s) URL to fetch it from")
    add.add_argument("--site", required=True, choices=sorted(PROFILES))
    add.add_argument("--url", help="the article URL the page stands for (default: PAGE when it is a URL)")
    add.add_argument("--force", action="store_true", help="overwrite an existing page and expected file")
    add.add_argument("--dir", type=Path, default=FIXTURES_DIR, help="fixtures folder")
    add.set_defaults(run=run_add)


def run(args: argparse.Namespace) -> int:
    changed = 0
    for page, actual, expected in replay_all(args.dir):
        old = dumps(expected) if expected is not None else ""
        new = dumps(actual)
        if old == new:
            continue
        changed += 1
        target = expected_path(page)
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"{target} (expected)", tofile=f"{target} (replayed)",
        ))
        if args.update:
            target.write_text(new, encoding="utf-8")
    verb = "updated" if args.update else "differ"
    print(f"{changed} fixture(s) {verb}", file=sys.stderr)
    return 0 if args.update or not changed else 1


def _is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def _page_bytes(page: str) -> bytes:
    if _is_url(page):
        request = urllib.request.Request(page, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return response.read()
    return Path(page).read_bytes()


def run_add(args: argparse.Namespace) -> int:
    profile = PROFILES[args.site]
    cms = cms_for(profile)
    url = args.url or (args.page if _is_url(args.page) else None)
    try:
        body = _page_bytes(args.page)
    except (OSError, ValueError) as exc:
        print(f"fixtures add: cannot read {args.page}: {exc}", file=sys.stderr)
        return exit_codes.UNREACHABLE if _is_url(args.page) else exit_codes.USAGE
    news_id = cms.news_id_from_url(url)
    if news_id is None:  # the page says which article it is
        scratch = args.dir / ".add.html"
        scratch.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(body)
        try:
            news_id = parse_page(read_page(scratch), None, site=profile.name).news_id
        except NotAnArticle as exc:
            print(f"fixtures add: {args.page} is no article of {profile.name} ({exc}): give --url", file=sys.stderr)
            return exit_codes.USAGE
        finally:
            scratch.unlink()
    if not news_id:
        print(f"fixtures add: no article id in {url or args.page}: give --url with the article's URL "
              f"(such as {profile.base_url}{cms.article_path_example})", file=sys.stderr)
        return exit_codes.USAGE
    target = args.dir / profile.name / "news" / f"{news_id}.html"
    expected = expected_path(target)
    existing = [p for p in (target, expected) if p.exists()]
    if existing and not args.force:
        print(f"fixtures add: {', '.join(map(str, existing))} exists (reviewed): give --force to replace it",
              file=sys.stderr)
        return exit_codes.USAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    data = replay(target)
    expected.write_text(dumps(data), encoding="utf-8")
    filled = sorted(k for k, v in data.items() if v not in (None, "", [], {}))
    print(f"saved {target}\nwrote {expected}: review it before committing "
          f"({data.get('outcome', 'article')}; {len(filled)} fields filled: {', '.join(filled)})")
    return 0
