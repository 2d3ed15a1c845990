"""Ways the mirror can be told to misbehave, per path, so that tests see what a real server does on
a bad day. A fault is a dict (from JSON: `--faults FILE`), keyed by request path or a glob of paths:

    {"status": 500, "times": 2}                    answer 500 (twice, then serve normally)
    {"status": 429, "retry_after": 1, "times": 1}  429 with a Retry-After header
    {"delay": 3, "times": 1}                       wait 3 s before answering
    {"reset": true, "times": 1}                    drop the connection with a TCP reset, no answer
    {"truncate": true, "times": 1}                 promise the whole page, send half, hang up
    {"charset": "iso-8859-1"}                      declare a wrong charset in Content-Type
    {"encoding": "cp1256"}                         serve the page in windows-1256, no charset anywhere
    {"pad": 3000000}                               make the page that many bytes bigger
    {"redirect": "http://elsewhere.invalid/"}      302 to another site
    {"lose_body": true}                            the page's markup loses its article body
    {"challenge": true}                            a WAF's JS challenge page instead (200; or "status")
    {"captcha": true}                              a captcha page instead (200; or "status")
    {"html": true}                                 another HTML page (the home page) instead, 200:
                                                   a feed or archive that moved

`times` counts requests to that path; without it the fault is permanent. A glob with a `?` part is
matched against the path and query: "/<archive path>?*&p=2" is the second archive page only.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections import Counter

from newscrawl.sites import DEFAULT_SITE, PROFILES, mirror_for
from newscrawl.sites.challenge import captcha_page, challenge_page

_META_CHARSET = re.compile(rb'<meta[^>]+charset=["\']?[\w-]+["\']?[^>]*>', re.IGNORECASE)


class Faults:
    def __init__(self, spec: dict[str, dict] | None = None):
        self.spec = dict(spec or {})
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()

    def active(self, path: str, query: str = "") -> dict | None:
        """The fault for this request, if any still applies; counts the hit."""
        full = f"{path}?{query}"
        fault = self.spec.get(path) or next(
            (f for pattern, f in self.spec.items()
             if fnmatch.fnmatchcase(full if "?" in pattern else path, pattern)), None)
        if fault is None:
            return None
        with self._lock:
            self.hits[path] += 1
            hit = self.hits[path]
        return fault if "times" not in fault or hit <= fault["times"] else None


def replacement_page(fault: dict, site: str = DEFAULT_SITE) -> tuple[int, bytes] | None:
    """(status, page) when the fault serves another page in place of the one asked for."""
    profile = PROFILES[site]
    for name, page in (("challenge", challenge_page), ("captcha", captcha_page), ("html", mirror_for(site).home_page)):
        if fault.get(name):
            return int(fault.get("status", 200)), page(profile)
    return None


def transform(body: bytes, fault: dict, site: str = DEFAULT_SITE) -> tuple[bytes, str | None]:
    """The page's bytes as the fault serves them, and the charset its Content-Type declares
    (None: no charset parameter at all)."""
    charset: str | None = fault.get("charset", "utf-8")
    if fault.get("lose_body"):
        body = mirror_for(site).lose_body(body)
    if fault.get("encoding"):
        text = _META_CHARSET.sub(b"", body).decode("utf-8")
        body = text.encode(fault["encoding"], errors="xmlcharrefreplace")
        charset = None
    if fault.get("pad"):
        body = body.replace(b"</body>", b"<!--" + b" " * int(fault["pad"]) + b"--></body>")
    return body, charset
