"""Pages a CDN or WAF serves instead of the site: a JS challenge or a captcha ("are you human?").

They come with 200, 403 or 503 and say nothing a parser could use, so a crawl that takes them for
pages would record every article as missing. They are told apart by their shape: a small HTML page
(IranSamaneh article pages are 100-300 KB, archive pages 60 KB and more) that links to no more than
a couple of articles (every page of the site links to many) and carries a challenge marker below.

The markers are general knowledge of the common challenge pages (Cloudflare, ArvanCloud, captcha
widgets), not taken from saved pages: reference/ holds no challenge page. Add a marker here when a
real one is seen.
"""

from __future__ import annotations

CHALLENGE_MAX_BYTES = 64 * 1024
ARTICLE_LINK = b"/fa/news/"
MAX_ARTICLE_LINKS = 2  # a challenge may name the page it stands for; a page of the site links many

# (what it is, a lower-case byte string the page contains)
CHALLENGE_MARKERS: tuple[tuple[str, bytes], ...] = (
    ("cloudflare challenge", b"<title>just a moment"),
    ("cloudflare challenge", b"/cdn-cgi/challenge-platform/"),
    ("cloudflare challenge", b"cf-browser-verification"),
    ("cloudflare block", b"attention required! | cloudflare"),
    ("arvancloud challenge", b"__arcsjs"),
    ("arvancloud challenge", b"arvancloud challenge"),
    ("captcha", b"g-recaptcha"),
    ("captcha", b"h-captcha"),
    ("captcha", b"cf-turnstile"),
    ("browser check", b"checking your browser"),
    ("browser check", b"verify you are human"),
    ("browser check", "در حال بررسی مرورگر".encode()),
    ("captcha", "من ربات نیستم".encode()),
)


def challenge_marker(body: bytes) -> str | None:
    """What kind of challenge page `body` is, or None when it is not one."""
    if len(body) > CHALLENGE_MAX_BYTES or body.count(ARTICLE_LINK) > MAX_ARTICLE_LINKS:
        return None
    text = body.lower()
    return next((kind for kind, marker in CHALLENGE_MARKERS if marker in text), None)
