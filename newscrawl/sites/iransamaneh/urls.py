"""IranSamaneh URL patterns (markup §1): articles at /fa/news/<id>[/<slug>] (a profile may name
another path), the archive at /fa/archive?…&p=N with Jalali dates (a GET, or a form POST; its path,
query and page parameter as the site's profile says), feeds at /fa/rss/allnews and
/fa/rss/<service>[/<cat>]."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from newscrawl.sites.profiles import ARTICLE_PATH_RE, SiteProfile

NEWS_PATH = re.compile(ARTICLE_PATH_RE)  # the CMS's article path, slug or not (match it)
RSS_PATH = re.compile(r"^/fa/rss/([\w-]+)(?:/([\w-]+))?/?$")
ARTICLE_PATH_EXAMPLE = "/fa/news/870239"


@dataclass(frozen=True)
class ListingRequest:
    """An archive page to ask for: a GET of `url`, or a POST of `form` to it."""

    url: str
    method: str = "GET"
    form: dict[str, str] | None = None


def article_url(profile: SiteProfile, news_id: int, base_url: str | None = None) -> str:
    """The canonical article URL: no slug; on the real site unless another base (a mirror) is given."""
    return f"{(base_url or profile.base_url).rstrip('/')}{profile.article_path.format(id=news_id)}"


def news_id_from_path(path: str, profile: SiteProfile | None = None) -> int | None:
    """The article id of a URL path (the site's article paths, the CMS's without a profile), else None."""
    match = (profile.article_path_pattern if profile else NEWS_PATH).match(path)
    return int(match.group(1)) if match else None


def news_id_from_url(url: str | None, profile: SiteProfile | None = None) -> int | None:
    """The article id of an article URL (absolute or relative), else None."""
    return news_id_from_path(urlsplit(url.strip()).path, profile) if url else None


def absolute(profile: SiteProfile, href: str | None) -> str | None:
    """An href from a page, resolved against the real site (never the host it was fetched from)."""
    if not href or not href.strip() or href.strip().startswith("data:"):
        return None
    return urljoin(profile.base_url + "/", href.strip())


def archive_query(profile: SiteProfile, *, from_date: str, to_date: str, service_id: int | str = -1,
                  cat_id: int | str = -1, page: int = 1) -> dict[str, str]:
    """The archive's parameters as the site's profile names them (`Archive.params`, then its page
    parameter): Jalali dates as YYYY/MM/DD, -1 for "all", the largest page size; `page` counts from 1."""
    archive = profile.archive
    values = {"service_id": str(service_id), "cat_id": str(cat_id), "rpp": str(archive.page_size),
              "from_date": from_date, "to_date": to_date}
    query = {name: template.format(**values) for name, template in archive.params}
    query[archive.page_param] = archive.page_value(page)
    return query


def archive_request(profile: SiteProfile, base_url: str, **query: Any) -> ListingRequest:
    """An archive page of the site on `base_url`, asked the way the site's archive takes it."""
    params = archive_query(profile, **query)
    url = f"{base_url.rstrip('/')}{profile.archive.path}"
    if profile.archive.method == "POST":
        return ListingRequest(url, "POST", params)
    return ListingRequest(f"{url}?{urlencode(params, safe='/')}")


def archive_url(profile: SiteProfile, base_url: str, **query: Any) -> str:
    """An archive page as a GET URL (whatever method the site's crawl uses)."""
    params = archive_query(profile, **query)
    return f"{base_url.rstrip('/')}{profile.archive.path}?{urlencode(params, safe='/')}"


def feed_url(base_url: str, feed: str = "allnews") -> str:
    """A feed: "allnews", a service ("1") or a service and category ("1/1")."""
    return f"{base_url.rstrip('/')}/fa/rss/{feed.strip('/')}"


def rebase(url: str, base_url: str) -> str:
    """The same path and query on another host: links in pages name the real site, and a crawl of a
    mirror must follow them to the mirror."""
    base, target = urlsplit(base_url), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, target.path, target.query, ""))
