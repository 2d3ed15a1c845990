"""MIRROR_PROXY: every request of the crawl goes through a local mirror acting as an HTTP proxy
(newscrawl.mirror.server serving a family root: one folder per site, picked by the request's host).

With `-s MIRROR_PROXY=http://127.0.0.1:P` a site's default base_url is `http://<its own host>`
(newscrawl.spiders.site), so requests name the real site (its Host header, Scrapy's download slot
per host: each site's politeness as live) and this middleware sends them, robots.txt included, to the
proxy (`request.meta["proxy"]`, read by Scrapy's HttpProxyMiddleware). Only a loopback proxy is
taken: the mirror is for tests and benchmarks, never a way out to the network. Saved pages (file:)
are read as they are.
"""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from newscrawl.exceptions import BadArgument

SETTING = "MIRROR_PROXY"


def check_mirror_proxy(value: str | None) -> str | None:
    """The MIRROR_PROXY given (None when unset); BadArgument (one line) unless it is an http:// URL of
    a loopback address (127.0.0.0/8, ::1)."""
    if not value:
        return None
    parts = urlsplit(str(value).strip())
    try:
        loopback = parts.scheme == "http" and ip_address(parts.hostname or "").is_loopback
    except ValueError:
        loopback = False
    if not loopback or not parts.port:
        raise BadArgument(f"{SETTING}: {value!r} is not a loopback proxy such as http://127.0.0.1:8000 "
                          "(the mirror serves tests and benchmarks; a crawl never goes out through it)")
    return f"http://{parts.netloc}"


class MirrorProxyMiddleware:
    def __init__(self, proxy: str):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        proxy = check_mirror_proxy(crawler.settings.get(SETTING))
        if proxy is None:
            raise NotConfigured
        return cls(proxy)

    def process_request(self, request, spider=None):
        if urlsplit(request.url).scheme in ("http", "https"):
            request.meta["proxy"] = self.proxy
