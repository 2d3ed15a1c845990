"""Site knowledge lives in newscrawl/sites/ only: no other module names a site, a host, a URL pattern
of the CMS, a selector of its pages or a Persian phrase of a page. The scan is of source text; the
allow-list says why each exception is one."""

import re
from pathlib import Path

from newscrawl.sites import PROFILES

PACKAGE = Path(__file__).resolve().parent.parent / "newscrawl"
SITES = PACKAGE / "sites"
# The Persian text policy (character-level normalization, Jalali month names) is about the language,
# not about any page: it may hold Persian letters.
PERSIAN_ALLOWED = {PACKAGE / "text" / "normalize.py", PACKAGE / "text" / "jalali.py",
                   # The dataset card explains the fields to its readers in the sites' own words
                   # («کد خبر», «روتیتر»): documentation of the data, read by no code.
                   PACKAGE / "dataset" / "card.py"}
PERSIAN = re.compile(r"[\u0600-\u06ff]")
CMS_PATTERNS = re.compile(r"/fa/(?:news|archive|rss|tags|print|send|save)\b|news_pdate_c|news_id_c|div\.body\b"
                          r"|error_container|iransamaneh")


def site_words() -> re.Pattern[str]:
    """Every site's name, host and base URL, as whole words: with a hundred sites some names are
    common syllables ("ana", "mana") that sit inside identifiers such as NotAnArticle."""
    words = {w for p in PROFILES.values() for w in (p.name, *p.hosts, p.base_url)}
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])", re.IGNORECASE)


def outside_sites() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if SITES not in p.parents)


def findings(pattern: re.Pattern[str], allowed: set[Path] = frozenset()) -> list[str]:
    found = []
    for path in outside_sites():
        if path in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if match := pattern.search(line):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {match.group()!r}: {line.strip()[:90]}")
    return found


def test_no_module_outside_sites_names_a_site_or_its_host():
    assert findings(site_words()) == []


def test_no_module_outside_sites_writes_a_url_pattern_or_selector_of_the_cms():
    assert findings(CMS_PATTERNS) == []


def test_no_module_outside_sites_holds_a_persian_phrase():
    assert findings(PERSIAN, PERSIAN_ALLOWED) == []


def test_the_scan_sees_what_it_looks_for():
    """The patterns match the strings they are for (else the tests above pass vacuously)."""
    assert site_words().search('spider = "tabnak"') and site_words().search("https://fararu.com/x")
    assert site_words().search("crawl ana") and not site_words().search("NotAnArticle, contextmanager")
    assert CMS_PATTERNS.search("/fa/news/870239") and PERSIAN.search("کد خبر")
    assert len(outside_sites()) > 30
