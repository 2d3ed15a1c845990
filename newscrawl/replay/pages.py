"""Saved pages on disk: decoding their bytes, and what site and URL a fixture path stands for."""

from __future__ import annotations

import re
from pathlib import Path

from w3lib.encoding import html_to_unicode

from newscrawl.sites import PROFILES, cms_for

# `<site>/news/<id>.html`, or `<site>-<set>/news/<id>.html` for a set of the site's pages kept apart
# from its mirror folder (fixtures/<site>-forms/).
_FIXTURE_PATH = re.compile(r"(?:^|/)(?P<site>[a-z0-9_]+)(?:-[a-z0-9_-]+)?/news/(?P<id>\d+)\.html$")


def read_page(path: str | Path) -> str:
    """A saved page as text: BOM, then <meta charset>, then UTF-8 (as a browser would)."""
    _, text = html_to_unicode(None, Path(path).read_bytes())
    return text


def site_for_path(path: str | Path) -> str | None:
    """`…/<site>[-<set>]/news/<id>.html` -> the registered site it is a page of, else None."""
    match = _FIXTURE_PATH.search(Path(path).as_posix())
    return match["site"] if match and match["site"] in PROFILES else None


def url_for_path(path: str | Path) -> str | None:
    """`…/<site>/news/<id>.html` (the layout of fixtures/ and of a mirror folder) -> the article URL."""
    match = _FIXTURE_PATH.search(Path(path).as_posix())
    if not match or match["site"] not in PROFILES:
        return None
    profile = PROFILES[match["site"]]
    return cms_for(profile).article_url(profile, int(match["id"]))
