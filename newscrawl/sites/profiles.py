"""The sites this project knows, as data: one `SiteProfile` per site, each in its own module of
`newscrawl/sites/publishers/` (found there by name; adding a site is adding a module).

A profile carries everything that differs per site: its hosts and base URL, feeds, archive
parameters, its markup per generation (overrides of its CMS's markup), the boilerplate its bodies
carry, its 404 page. Where a site needs logic and not just data, it may give its own function for
one field (`field_readers`), nothing more. Every URL written to the dataset is resolved against the
profile's `base_url` (the real site), never against the address a page was fetched from.
"""

from __future__ import annotations

import importlib
import keyword
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from newscrawl.sites import publishers
from newscrawl.sites.topics import SiteTopics

# An IranSamaneh article path, slug or not: /fa/news/<id>[/<slug>].
ARTICLE_PATH_RE = r"^/fa/news/(\d+)(?:/|$)"


# The archive's query as the CMS asks it: (name, template) pairs over {service_id}, {cat_id},
# {from_date}, {to_date} and {rpp}, in the order they are sent; the page parameter comes last.
ARCHIVE_PARAMS: tuple[tuple[str, str], ...] = (
    ("service_id", "{service_id}"), ("sec_id", "-1"), ("cat_id", "{cat_id}"), ("rpp", "{rpp}"),
    ("from_date", "{from_date}"), ("to_date", "{to_date}"))


@dataclass(frozen=True)
class Archive:
    """How the site's archive is asked for a date range, page by page, and how its pages read."""

    # The first day of the archive, Jalali YYYY/MM/DD: the CMS's earliest date scrapers ask (tabnak,
    # asriran, entekhab: 1384/01/01) unless the site's own is known.
    start: str = "1384/01/01"
    path: str = "/fa/archive"
    method: str = "GET"         # "POST": the query is sent as a form (entekhab 2019-2020)
    page_size: int = 100        # the largest page the archive serves ({rpp})
    # Named service (section) ids, e.g. {"political": 24}: -a service_id= takes a number or a name.
    service_ids: tuple[tuple[str, int], ...] = ()
    next_link: str = "a.next"   # CSS of the pager's link to the next page (":contains()" allowed)
    params: tuple[tuple[str, str], ...] = ARCHIVE_PARAMS  # the query, without the page parameter
    page_param: str = "p"       # the parameter that numbers the pages (tabnakbato: "page")
    first_page: int = 1         # the number of the first page
    area: str | None = None     # CSS of the list area (None: the CMS's)
    items: str | None = None    # CSS of the article links inside it (None: the CMS's)
    # A regular expression over the page's text with two groups, this page's number and the last's
    # («صفحه ۱ از ۳۲۹۲»): on the last page the pager's next link is not followed.
    pager_text: str | None = None

    def page_value(self, page: int) -> str:
        """The page parameter's value of the `page`-th page (1: the first)."""
        return str(page - 1 + self.first_page)


@dataclass(frozen=True)
class SiteProfile:
    name: str
    base_url: str              # scheme + host of the real site, no trailing slash
    hosts: tuple[str, ...]     # hosts (without "www.") whose pages belong to this site
    archive: Archive = Archive()
    cms: str = "iransamaneh"
    display_name: str = ""     # the site's own name, as its pages print it (the 404 page's title)
    feeds: tuple[str, ...] = ("allnews",)  # what a mode=rss run reads, besides -a feeds=
    # The site's article markup, one entry per theme generation, in detection order: each is its
    # CMS's markup with the site's own selectors replaced (`dataclasses.replace(CMS, ...)`).
    generations: tuple[Any, ...] = ()
    # Body blocks (at most 600 characters) that start with these phrases, or that these patterns match
    # (`re.match`, so «.*Telegram» is a block containing it), are the site's widgets. Both are compared
    # with the block's text folded (text.fold): ZWNJ → space, Arabic ي/ك → Persian ی/ک, whitespace runs
    # one space; write a pattern in that form (ی, not ي; a space where the page has a ZWNJ).
    boilerplate_phrases: tuple[str, ...] = ()
    boilerplate_patterns: tuple[str, ...] = ()
    promo_hosts: tuple[str, ...] = ()   # short blocks linking only to these promote the site's channels
    # Lines that close every article and no reader wants as text, e.g. yjc's «انتهای پیام/ی»
    # (the part after the slash is an editor's initial).
    body_sign_offs: tuple[str, ...] = ()
    not_found_text: str = ""   # what the site's not-found page says (the mirror serves it)
    # Whole blocks that are the site's widgets: a block whose whole text equals one, both folded (ي→ی,
    # ZWNJ→space, spaces collapsed), is dropped; a paragraph that only starts with it stays.
    boilerplate_exact: tuple[str, ...] = ()
    # The canonical article path ({id}: the news id) and the paths read as articles (one group: the id).
    article_path: str = "/fa/news/{id}"
    article_path_re: str = ARTICLE_PATH_RE
    registered: bool = True    # False: an unknown host, read with the CMS's generic reader
    evidence: str = ""         # what the overrides rest on: "<year> <source>; ..."
    pattern: str = ""          # the markup pattern its pages follow (fixtures/README.md)
    # Its services and categories (names, ids) to the one taxonomy, over the family's names (sites/topics.py).
    topics: SiteTopics = SiteTopics()
    # A site's own function for a field the CMS reads otherwise: {field name: reader}.
    field_readers: dict[str, Callable[..., None]] = field(default_factory=dict, hash=False, compare=False)

    def owns(self, url: str) -> bool:
        """Whether an absolute URL is a page of this site."""
        return bare_host(urlsplit(url).hostname or "") in self.hosts

    @property
    def article_path_pattern(self) -> re.Pattern[str]:
        return _compiled(self.article_path_re)

    def service_id(self, value: str) -> str:
        """A service id given as a number or as one of the site's service names."""
        return str(dict(self.archive.service_ids).get(value.strip(), value.strip()))

    def __hash__(self) -> int:
        return hash(self.name)


def bare_host(host: str) -> str:
    """A host as profiles name it: lower case, without "www."."""
    return host.lower().rstrip(".").removeprefix("www.")


def site_name(host: str) -> str:
    """A site's name (its module's, its spider's) from its host: without "www." and the top-level
    domain, anything outside [a-z0-9_] as "_", "s" before a leading digit: yjc.ir -> yjc,
    shia-news.com -> shia_news, 598.ir -> s598. An IP address keeps every part (127.0.0.1 -> s127_0_0_1)."""
    host = bare_host(host)
    try:
        ip_address(host)
        kept = host
    except ValueError:
        kept = host.rpartition(".")[0] or host
    name = re.sub(r"[^a-z0-9_]", "_", kept) or "_"
    name = "s" + name if name[0].isdigit() else name
    return name + "_" if keyword.iskeyword(name) else name


def _load_profiles() -> dict[str, SiteProfile]:
    found = {}
    for module in pkgutil.iter_modules(publishers.__path__):
        profile = importlib.import_module(f"{publishers.__name__}.{module.name}").PROFILE
        if profile.name != module.name:
            raise ValueError(f"sites/publishers/{module.name}.py holds the profile of {profile.name!r}")
        found[profile.name] = profile
    return dict(sorted(found.items()))


def _hosts(profiles: dict[str, SiteProfile]) -> dict[str, SiteProfile]:
    """Every page host of every profile: one site each."""
    hosts: dict[str, SiteProfile] = {}
    for profile in profiles.values():
        for host in profile.hosts:
            if host != bare_host(host):
                raise ValueError(f"{profile.name}: hosts are named without www. and in lower case: {host!r}")
            if host in hosts:
                raise ValueError(f"{host} is claimed by two profiles: {hosts[host].name} and {profile.name}")
            hosts[host] = profile
    return hosts


PROFILES: dict[str, SiteProfile] = _load_profiles()
HOSTS: dict[str, SiteProfile] = _hosts(PROFILES)
DEFAULT_SITE = "asriran"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def generic_profile(url_or_host: str) -> SiteProfile:
    """The profile of a host no profile names: an IranSamaneh site read with the CMS's generic reader,
    named from its host (`site_name`; never a registered site's name), its URLs on that host (scheme
    and www. as given; https when only a host is given)."""
    given = url_or_host.strip()
    parts = urlsplit(given if "//" in given else f"https://{given}")
    if not parts.hostname:
        raise ValueError(f"{url_or_host!r} names no host")
    return _generic(parts.scheme or "https", parts.hostname.lower() + (f":{parts.port}" if parts.port else ""))


@cache
def _generic(scheme: str, netloc: str) -> SiteProfile:
    host = bare_host(urlsplit(f"//{netloc}").hostname or netloc)
    name = site_name(host)
    if name in PROFILES:  # another site's name: the whole host names this one (asriran.net -> asriran_net)
        name = re.sub(r"[^a-z0-9_]", "_", host)
    return SiteProfile(name=name, base_url=f"{scheme}://{netloc}", hosts=(host,), registered=False)


def profile_for_url(url: str | None) -> SiteProfile:
    """The site a URL belongs to: the registered profile of its host, else the generic profile of that
    host; the default site only when there is no URL (or no host: a file)."""
    parts = urlsplit(url.strip()) if url else None
    if parts is None or not parts.hostname:
        return PROFILES[DEFAULT_SITE]
    return HOSTS.get(bare_host(parts.hostname)) or generic_profile(url or "")


def profile_named(name: str, url: str | None = None) -> SiteProfile | None:
    """The profile of a site name: a registered one, else the generic profile of `url`'s host when that
    is its name (an item of an unknown site names its site and its URL); None otherwise."""
    if name in PROFILES:
        return PROFILES[name]
    profile = profile_for_url(url) if url else None
    return profile if profile is not None and profile.name == name else None


def not_registered(profile: SiteProfile) -> str | None:
    """The one-line notice a command prints for a site no profile names (None for a registered one)."""
    if profile.registered:
        return None
    host = urlsplit(profile.base_url).hostname
    return (f"{host} is not a registered site: read with the IranSamaneh generic reader "
            "(add it: README 'Adding a site')")

