"""The synthetic site the tests and benchmarks crawl: N generated articles, written by the default
site's CMS generator (newscrawl.sites: CmsMirror.synthesize) from inputs read here: its template
pages and its pool of text, both taken from the fixtures' authored pages and reviewed JSON.

`synthesize_family` writes a family root (newscrawl.mirror.server: one folder per site, served for
all of them at once through MIRROR_PROXY): the same generator once per named site, each with its own
seed, its feed naming the site's own host."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from newscrawl.replay.fixtures import FIXTURES_DIR, fixture_pages, load_expected
from newscrawl.replay.pages import read_page
from newscrawl.sites import DEFAULT_SITE, PROFILES, cms_for, mirror_for
from newscrawl.text import normalize_text

_MIRROR = mirror_for(DEFAULT_SITE)
_CMS = cms_for(DEFAULT_SITE)
FIRST_ID: int = _MIRROR.synth_first_id
# Sites whose reader does not read the synthetic pages whole: a family root leaves them out unless
# named (site knowledge: the CMS's mirror says which; tests/test_multisite.py checks the list).
SYNTH_UNREAD: tuple[str, ...] = _MIRROR.synth_unread


def text_pool(fixtures: Path):
    """Sentences, headlines, captions and tags of every reviewed fixture, to reshuffle."""
    sentences: list[str] = []
    captions: list[str] = []
    headlines: set[str] = set()
    tags: set[str] = set()
    for page in fixture_pages(fixtures):
        item = load_expected(page) or {}
        if "body" not in item:
            continue
        for paragraph in item["body"].split("\n\n"):
            sentences += [s.strip() + "." for s in paragraph.split(". ") if len(s.strip()) > 20]
        headlines.add(item["title"])
        headlines.update(r["title"] for r in item["related"])
        captions += [i["caption"] for i in item["images"] if i["caption"]]
        tags.update(item["tags"])
        for a in lxml.html.fromstring(read_page(page)).iter("a"):
            text = normalize_text(a.text_content()) or ""
            if len(text) > 25 and _CMS.news_id_from_url(a.get("href")) is not None:  # an article's headline
                headlines.add(text)
    return _MIRROR.new_text_pool(sorted(set(sentences)), sorted(headlines), sorted(set(captions)), sorted(tags))


def _inputs(fixtures: Path) -> dict:
    site_dir = Path(fixtures) / _MIRROR.synth_template_site
    templates = {generation: read_page(site_dir / "news" / f"{news_id}.html")
                 for generation, news_id in _MIRROR.synth_templates.items()}
    robots = site_dir / "robots.txt"
    return {"templates": templates, "pool": text_pool(Path(fixtures)),
            "robots": robots.read_bytes() if robots.exists() else None}


def synthesize(out, articles: int, seed: int = 1, fixtures: Path = FIXTURES_DIR) -> dict:
    """A synthetic mirror folder of `articles` generated articles under `out`; its manifest."""
    return _MIRROR.synthesize(Path(out), articles, seed, **_inputs(fixtures))


def synthesize_family(root, sites: list[str], articles: int, seed: int = 1, fixtures: Path = FIXTURES_DIR) -> dict:
    """A family root under `root`: for each site of `sites` (profile names), ROOT/<site>/ with
    `articles` generated articles (seed `seed` + its position), its feeds (the profile's) naming the site's own host
    (the pages are the template site's markup, which every profile's reader reads but those of
    SYNTH_UNREAD). Returns {"sites": {site: its manifest}}."""
    inputs = _inputs(Path(fixtures))
    template_url = PROFILES[_MIRROR.synth_template_site].base_url.encode()
    manifests = {}
    for position, site in enumerate(sites):
        out = Path(root) / site
        manifests[site] = _MIRROR.synthesize(out, articles, seed + position, **inputs)
        feed = out / "rss" / "allnews.xml"
        page = feed.read_bytes().replace(template_url, PROFILES[site].base_url.encode())
        feed.unlink()
        for name in PROFILES[site].feeds:  # the feeds a mode=rss run of the site reads (not always allnews)
            (out / "rss" / f"{name.replace('/', '-')}.xml").write_bytes(page)
    return {"sites": manifests}


__all__ = ["FIRST_ID", "SYNTH_UNREAD", "synthesize", "synthesize_family", "text_pool"]
