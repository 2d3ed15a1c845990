"""IranSamaneh URL patterns (markup §1): articles live at /fa/news/<id>[/<slug>]."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from newscrawl.sites.profiles import SiteProfile

_NEWS_PATH = re.compile(r"^/fa/news/(\d+)(?:/|$)")


def article_url(profile: SiteProfile, news_id: int) -> str:
    """The canonical article URL: no slug, on the real site."""
    return f"{profile.base_url}/fa/news/{news_id}"


def news_id_from_url(url: str | None) -> int | None:
    """The article id of an article URL (absolute or relative), else None."""
    match = _NEWS_PATH.match(urlsplit(url.strip()).path) if url else None
    return int(match.group(1)) if match else None


def absolute(profile: SiteProfile, href: str | None) -> str | None:
    """An href from a page, resolved against the real site (never the host it was fetched from)."""
    if not href or not href.strip() or href.strip().startswith("data:"):
        return None
    return urljoin(profile.base_url + "/", href.strip())
