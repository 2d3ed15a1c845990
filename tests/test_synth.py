"""The synthetic mirror: realistic, valid, deterministic."""

import hashlib
import json
from collections import Counter

import pytest

from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.replay.pages import read_page
from newscrawl.replay.processor import Processor
from newscrawl.sites.iransamaneh.listing import parse_archive, parse_feed

N = 120


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    manifest = synthesize(root, N, seed=7)
    return root, manifest


def _digest(root):
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            h.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def test_every_generated_article_is_a_valid_article_of_every_generation(site):
    root, manifest = site
    processor = Processor()
    generations, bodies = Counter(), []
    for news_id in range(FIRST_ID, FIRST_ID + N):
        page = root / "news" / f"{news_id}.html"
        outcome = processor.process(read_page(page), f"https://www.asriran.com/fa/news/{news_id}")
        assert outcome.article is not None, outcome.quarantined
        assert outcome.article.news_id == news_id
        generations[outcome.article.parser_version.rsplit(":", 1)[1]] += 1
        bodies.append(len(outcome.article.body))
    assert generations == {"2014": 30, "2020": 30, "2023": 60}  # the 2024 theme reads as 2023
    assert manifest["generations"] == {"2014": 30, "2020": 30, "2023": 30, "2024": 30}
    assert min(bodies) < 1500 < max(bodies)  # varied lengths


def test_pages_have_real_page_sizes_with_their_chrome(site):
    root, _ = site
    sizes = [p.stat().st_size for p in (root / "news").glob("*.html")]
    assert min(sizes) > 90_000 and max(sizes) < 400_000


def test_archive_and_feed_cover_the_articles_newest_first(site):
    root, manifest = site
    ids, page, pages = [], 1, 0
    while page:
        listing = parse_archive(read_page(root / "archive" / f"{page}.html"))
        ids += listing.news_ids
        pages += 1
        page = page + 1 if listing.next_href else None
    assert pages == manifest["archive_pages"] == 2
    assert ids == list(range(FIRST_ID + N - 1, FIRST_ID - 1, -1))
    feed = parse_feed((root / "rss" / "allnews.xml").read_bytes())
    assert feed == ids[:100]
    assert json.loads((root / "manifest.json").read_text())["last_id"] == FIRST_ID + N - 1


def test_the_same_seed_gives_the_same_site_and_another_seed_another(site, tmp_path):
    root, _ = site
    synthesize(tmp_path / "same", N, seed=7)
    synthesize(tmp_path / "other", N, seed=8)
    assert _digest(tmp_path / "same") == _digest(root)
    assert _digest(tmp_path / "other") != _digest(root)
