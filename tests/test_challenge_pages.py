"""Challenge and captcha pages are told apart by their shape (newscrawl.sites.challenge), and no real
page of the site ever looks like one: a false alarm would turn every article into a refusal."""

import pytest

from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.sites import DEFAULT_SITE, PROFILES, mirror_for
from newscrawl.sites.challenge import captcha_page, challenge_marker, challenge_page

# real article pages and real archive pages (fixtures/listings: 60 KB, under the size limit)
SITE_PAGES = [*sorted(FIXTURES_DIR.glob("*/news/*.html")), *sorted(FIXTURES_DIR.glob("*/archive/*.html")),
              *sorted(FIXTURES_DIR.glob("listings/*.html"))]


def test_the_mirrors_challenge_and_captcha_pages_are_recognised():
    profile = PROFILES[DEFAULT_SITE]
    assert challenge_marker(challenge_page(profile)) == "cloudflare challenge"
    assert challenge_marker(captcha_page(profile)) == "captcha"
    assert challenge_marker(mirror_for(profile).home_page(profile)) is None


@pytest.mark.parametrize("page", SITE_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_page_of_the_site_is_taken_for_a_challenge(page):
    assert challenge_marker(page.read_bytes()) is None


def test_a_large_page_or_one_linking_articles_is_never_a_challenge_whatever_it_mentions():
    widget = b'<div class="g-recaptcha"></div>'
    assert challenge_marker(b"<html><body>" + widget + b"</body></html>") == "captcha"
    assert challenge_marker(b"<html><body>" + b"x" * 100_000 + widget + b"</body></html>") is None
    links = b"".join(b'<a href="/fa/news/%d">x</a>' % i for i in range(3))
    assert challenge_marker(b"<html><body>" + links + widget + b"</body></html>") is None
