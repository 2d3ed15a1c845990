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
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from newscrawl.sites import publishers


@dataclass(frozen=True)
class Archive:
    """How the site's archive is asked for a date range, page by page."""

    start: str                  # the first day of the archive, Jalali YYYY/MM/DD
    path: str = "/fa/archive"
    method: str = "GET"         # "POST": the query is sent as a form (entekhab 2019-2020)
    page_size: int = 100        # the largest page the archive serves
    # Named service (section) ids, e.g. {"political": 24}: -a service_id= takes a number or a name.
    service_ids: tuple[tuple[str, int], ...] = ()
    next_link: str = "a.next"   # CSS of the pager's link to the next page (":contains()" allowed)


@dataclass(frozen=True)
class SiteProfile:
    name: str
    base_url: str              # scheme + host of the real site, no trailing slash
    hosts: tuple[str, ...]     # hosts (without "www.") whose pages belong to this site
    archive: Archive
    cms: str = "iransamaneh"
    display_name: str = ""     # the site's own name, as its pages print it (the 404 page's title)
    feeds: tuple[str, ...] = ("allnews",)  # what a mode=rss run reads, besides -a feeds=
    # The site's article markup, one entry per theme generation, in detection order: each is its
    # CMS's markup with the site's own selectors replaced (`dataclasses.replace(CMS, ...)`).
    generations: tuple[Any, ...] = ()
    # Body blocks that start with these phrases (or match these patterns) are the site's widgets.
    boilerplate_phrases: tuple[str, ...] = ()
    boilerplate_patterns: tuple[str, ...] = ()
    promo_hosts: tuple[str, ...] = ()   # short blocks linking only to these promote the site's channels
    # Lines that close every article and no reader wants as text, e.g. yjc's «انتهای پیام/ی»
    # (the part after the slash is an editor's initial).
    body_sign_offs: tuple[str, ...] = ()
    not_found_text: str = ""   # what the site's not-found page says (the mirror serves it)
    # A site's own function for a field the CMS reads otherwise: {field name: reader}.
    field_readers: dict[str, Callable[..., None]] = field(default_factory=dict, hash=False, compare=False)

    def owns(self, url: str) -> bool:
        """Whether an absolute URL is a page of this site."""
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return host in self.hosts

    def service_id(self, value: str) -> str:
        """A service id given as a number or as one of the site's service names."""
        return str(dict(self.archive.service_ids).get(value.strip(), value.strip()))

    def __hash__(self) -> int:
        return hash(self.name)


def _load_profiles() -> dict[str, SiteProfile]:
    found = {}
    for module in pkgutil.iter_modules(publishers.__path__):
        profile = importlib.import_module(f"{publishers.__name__}.{module.name}").PROFILE
        if profile.name != module.name:
            raise ValueError(f"sites/publishers/{module.name}.py holds the profile of {profile.name!r}")
        found[profile.name] = profile
    return dict(sorted(found.items()))


PROFILES: dict[str, SiteProfile] = _load_profiles()
DEFAULT_SITE = "asriran"


def profile_for_url(url: str | None) -> SiteProfile:
    """The site a URL belongs to; the default site for anything else (a mirror on 127.0.0.1, a file)."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    for profile in PROFILES.values():
        if host in profile.hosts:
            return profile
    return PROFILES[DEFAULT_SITE]
