"""A site spider's `-a NAME=VALUE` arguments, read and checked before anything is crawled.

Every problem is a `BadArgument` whose message is one line that names the argument and says what
would be right. `scrapy crawl` checks the arguments before the crawl starts and turns a BadArgument
into that line on stderr and exit code 2 (newscrawl.scrapy_commands.crawl); the spider parses them
the same way when it is built, so nothing else ever sees an unchecked argument.

An argument is refused when its name is unknown (`-a mod=ids` must not crawl the feed) and when the
chosen mode does not use it (`-a ids=…` without `-a mode=ids` must not crawl the feed either).
"""

from __future__ import annotations

import bisect
import difflib
import glob
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import jdatetime

from newscrawl.exceptions import BadArgument
from newscrawl.sites import SiteProfile, cms_for
from newscrawl.text.jalali import TEHRAN
from newscrawl.text.normalize import to_ascii_digits

# mode -> the arguments only that mode uses
MODE_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "rss": ("feeds",),
    "archive": ("from_date", "to_date", "days", "service_id", "cat_id"),
    "ids": ("ids",),
    "urls": ("urls", "urls_file"),
    "files": ("path",),
}
MODES = tuple(MODE_ARGUMENTS)
COMMON_ARGUMENTS = ("mode", "base_url", "refresh", "skip_known")
RUNNER_ARGUMENTS = ("_job",)  # Scrapyd passes its job id as a spider argument
KNOWN_ARGUMENTS = tuple(sorted({*COMMON_ARGUMENTS, *(a for args in MODE_ARGUMENTS.values() for a in args)}))
MAX_IDS = 2_000_000  # more ids than the site has ever published: a typo in a range, not a backfill

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
_JALALI_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_FEED = re.compile(r"^[\w-]+(?:/[\w-]+)?$")
_CMS_ID = re.compile(r"^(?:-1|\d+)$")



class IdSpans(Sequence[int]):
    """The ids of `-a ids=`, in order, each once, kept as the ranges they were given in: a million
    ids in one range are one entry here, and each id is made when it is iterated (the spider's
    start() asks for them one at a time)."""

    def __init__(self, spans: list[tuple[int, int]] | None = None):
        self.spans: list[tuple[int, int]] = []  # disjoint, in the order given
        self._covered: list[tuple[int, int]] = []  # the same, sorted and merged
        self._len = 0
        for first, last in spans or ():
            self.add(first, last)

    def add(self, first: int, last: int) -> None:
        """The ids first..last that no earlier range named."""
        start = first
        for low, high in self._covered[max(0, bisect.bisect_left(self._covered, (first,)) - 1):]:
            if low > last:
                break
            if high < start:
                continue
            if low > start:
                self._add_span(start, low - 1)
            start = max(start, high + 1)
        if start <= last:
            self._add_span(start, last)
        self._cover(first, last)

    def _add_span(self, first: int, last: int) -> None:
        self.spans.append((first, last))
        self._len += last - first + 1

    def _cover(self, first: int, last: int) -> None:
        merged = [(low, high) for low, high in self._covered if high < first - 1 or low > last + 1]
        for low, high in self._covered:
            if not (high < first - 1 or low > last + 1):
                first, last = min(first, low), max(last, high)
        bisect.insort(merged, (first, last))
        self._covered = merged

    def __iter__(self) -> Iterator[int]:
        for first, last in self.spans:
            yield from range(first, last + 1)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index):
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"IdSpans({self.spans!r})"


@dataclass(frozen=True)
class SpiderArgs:
    mode: str = "rss"
    base_url: str = ""
    feeds: list[str] = field(default_factory=list)  # the site's own (its profile), then -a feeds=
    from_date: str = ""  # the site's archive start (its profile) when not given
    to_date: str = ""
    service_id: str = "-1"
    cat_id: str = "-1"
    ids: IdSpans = field(default_factory=IdSpans)
    urls: list[str] = field(default_factory=list)
    path: str | None = None
    refresh: bool = False
    skip_known: bool | None = None  # None: the rule (newscrawl.spiders.site) decides
    runner: dict[str, str] = field(default_factory=dict)


def tehran_today() -> jdatetime.date:
    """Today in the site's calendar: the Jalali day in Tehran, whatever the machine's zone."""
    return jdatetime.date.fromgregorian(date=datetime.now(TEHRAN).date())


def parse_ids(text: str) -> IdSpans:
    """`719861,870239` and ranges `870000-870500` (inclusive) -> ids, in order, each once."""
    ids, given = IdSpans(), 0
    for part in (p.strip() for p in to_ascii_digits(text).split(",")):
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()) or (part.endswith("-") and not high):
            raise BadArgument(f"ids: {part!r} is not an id or an id range such as 870000-870500")
        first, last = int(low), int(high or low)
        if first == 0:
            raise BadArgument(f"ids: {part!r}: article ids start at 1")
        if last < first:
            raise BadArgument(f"ids: {part!r} is an empty range: write the lower id first")
        given += last - first + 1
        if given > MAX_IDS:
            raise BadArgument(f"ids: {part!r} makes more than {MAX_IDS} ids: split it over several runs")
        ids.add(first, last)
    return ids


def _flag(name: str, value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadArgument(f"{name}: {value!r} is not 1 or 0")


def _jalali_date(name: str, value: str) -> jdatetime.date:
    match = _JALALI_DATE.match(to_ascii_digits(value.strip()))
    if not match:
        raise BadArgument(f"{name}: {value!r} is not a Jalali date YYYY/MM/DD such as 1402/08/01")
    try:
        return jdatetime.date(*map(int, match.groups()))
    except ValueError as exc:  # jdatetime knows month lengths and leap years
        raise BadArgument(f"{name}: {value!r} is no day of the Jalali calendar ({exc})") from None


def _base_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadArgument(f"base_url: {value!r} is not an http(s) URL such as http://127.0.0.1:8000")
    return value.strip().rstrip("/")


def _urls(value: str, urls_file: str | None) -> list[str]:
    urls = [u.strip() for u in value.split(",") if u.strip()]
    if urls_file is not None:
        try:
            lines = Path(urls_file).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise BadArgument(f"urls_file: {urls_file} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BadArgument(f"urls_file: {urls_file} cannot be read: {exc}") from None
        urls += [u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#")]
    return urls


def _check_url(url: str, profile: SiteProfile, base_url: str) -> None:
    """A URL of this site (or of the mirror crawled in its place), or a path on it."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        if not url.startswith("/"):
            raise BadArgument(f"urls: {url!r} is neither a URL nor a path such as "
                              f"{cms_for(profile).article_path_example}")
        return
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadArgument(f"urls: {url!r} is not an http(s) URL")
    if not profile.owns(url) and parts.hostname != urlsplit(base_url).hostname:
        raise BadArgument(f"urls: {url} is not a page of {profile.name} ({', '.join(profile.hosts)}): "
                          "this spider crawls only its own site")


def check_names(given: dict[str, str], mode: str) -> None:
    for name in given:
        if name in RUNNER_ARGUMENTS:
            continue
        if name not in KNOWN_ARGUMENTS:
            close = difflib.get_close_matches(name, KNOWN_ARGUMENTS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise BadArgument(f"unknown argument -a {name}={hint}; known arguments: {', '.join(KNOWN_ARGUMENTS)}")
        owner = next((m for m, names in MODE_ARGUMENTS.items() if name in names), mode)
        if owner != mode:
            raise BadArgument(f"-a {name}= is for mode={owner}, and this run's mode is {mode} "
                              f"(add -a mode={owner}, or leave out -a {name}=)")


def parse_spider_args(profile: SiteProfile, given: dict[str, str]) -> SpiderArgs:
    """The arguments of one run, checked; raises BadArgument with a one-line message."""
    given = {name: str(value) for name, value in given.items()}
    mode = given.get("mode", "rss").strip()
    if mode not in MODES:
        raise BadArgument(f"mode: unknown mode {mode!r}: use one of {', '.join(MODES)}")
    check_names(given, mode)
    base_url = _base_url(given["base_url"]) if "base_url" in given else profile.base_url
    args: dict = {"mode": mode, "base_url": base_url,
                  "runner": {n: given[n] for n in RUNNER_ARGUMENTS if n in given}}
    if "refresh" in given:
        args["refresh"] = _flag("refresh", given["refresh"])
    if "skip_known" in given:
        args["skip_known"] = _flag("skip_known", given["skip_known"])

    if mode == "rss":
        feeds = [f.strip().strip("/") for f in given.get("feeds", "").split(",") if f.strip()]
        for feed in feeds:
            if not _FEED.match(feed):
                raise BadArgument(f"feeds: {feed!r} is not a feed such as 1 or 1/4")
        args["feeds"] = list(dict.fromkeys([*profile.feeds, *feeds]))
    elif mode == "archive":
        args.update(_archive_range(given, profile))
        for name in ("service_id", "cat_id"):
            if name in given:
                value = profile.service_id(given[name]) if name == "service_id" else given[name].strip()
                if not _CMS_ID.match(value):
                    names = ", ".join(n for n, _ in profile.archive.service_ids)
                    hint = f" or one of {profile.name}'s services: {names}" if names and name == "service_id" else ""
                    raise BadArgument(f"{name}: {given[name]!r} is not a number (or -1 for all){hint}")
                args[name] = value
    elif mode == "ids":
        args["ids"] = parse_ids(given.get("ids", ""))
        if not args["ids"]:
            raise BadArgument("mode=ids needs -a ids=ID,ID or -a ids=FIRST-LAST")
    elif mode == "urls":
        args["urls"] = _urls(given.get("urls", ""), given.get("urls_file"))
        if not args["urls"]:
            raise BadArgument("mode=urls needs -a urls=URL,URL or -a urls_file=PATH (one URL a line)")
        for url in args["urls"]:
            _check_url(url, profile, base_url)
    else:
        path = given.get("path")
        if path is None:
            raise BadArgument("mode=files needs -a path=DIR_OR_GLOB: the folder (or a pattern) of the saved pages")
        if not (Path(path).is_dir() or glob.glob(path)):
            raise BadArgument(f"path: {path} is neither a folder nor a pattern that matches saved pages")
        args["path"] = path
    return SpiderArgs(**args)


def _archive_range(given: dict[str, str], profile: SiteProfile) -> dict[str, str]:
    today = tehran_today()
    if "days" in given:
        if "from_date" in given or "to_date" in given:
            raise BadArgument("days counts back from today: give either -a days= or -a from_date=/to_date=")
        text = to_ascii_digits(given["days"].strip())
        if not text.isdigit():
            raise BadArgument(f"days: {given['days']!r} is not a whole number of days, such as 3")
        first, last = today - timedelta(days=int(text)), today
    else:
        start = _jalali_date("from_date", given["from_date"]) if "from_date" in given else None
        first = start or _jalali_date("from_date", profile.archive.start)
        last = _jalali_date("to_date", given["to_date"]) if "to_date" in given else today
        if first > last:
            raise BadArgument(f"from_date {first.strftime('%Y/%m/%d')} is after to_date {last.strftime('%Y/%m/%d')}")
    return {"from_date": first.strftime("%Y/%m/%d"), "to_date": last.strftime("%Y/%m/%d")}
