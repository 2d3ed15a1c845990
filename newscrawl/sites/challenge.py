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

from newscrawl.sites.profiles import SiteProfile

CHALLENGE_MAX_BYTES = 64 * 1024
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


def article_link(profile: SiteProfile | None = None) -> bytes:
    """What every link to an article of the site starts with (the CMS's /fa/news/ without a profile)."""
    return (profile.article_path if profile else SiteProfile.article_path).partition("{id}")[0].encode()


def challenge_marker(body: bytes, profile: SiteProfile | None = None) -> str | None:
    """What kind of challenge page `body` is, or None when it is not one (a page of the site links to
    more of its articles than a challenge names)."""
    if len(body) > CHALLENGE_MAX_BYTES or body.count(article_link(profile)) > MAX_ARTICLE_LINKS:
        return None
    text = body.lower()
    return next((kind for kind, marker in CHALLENGE_MARKERS if marker in text), None)


# The pages the markers above are for, as the local mirror serves them (newscrawl.mirror.faults).
# Invented stand-ins (there is no real one in reference/), shaped as the common ones are: a few KB,
# no site markup, a marker above.
def challenge_page(profile: SiteProfile) -> bytes:
    host = profile.base_url.split("//", 1)[-1].encode()
    return (
        b'<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        b'<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">'
        b"<h1>" + host + b"</h1><h2>Checking if the site connection is secure</h2>"
        b'<noscript>Enable JavaScript and cookies to continue</noscript>'
        b'<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></div></body></html>'
    )


def captcha_page(profile: SiteProfile) -> bytes:
    return (
        '<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>امنیت</title></head>'
        '<body><form method="post"><p>برای ادامه ثابت کنید که ربات نیستید.</p>'
        '<div class="g-recaptcha" data-sitekey="6Lc-invented"></div><label>من ربات نیستم</label>'
        '<button type="submit">ادامه</button></form></body></html>'
    ).encode()
