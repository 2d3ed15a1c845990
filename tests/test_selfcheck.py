"""`python -m newscrawl selfcheck`: the feed's newest articles through the crawl's spider, every
field with its source, non-zero when a required field is empty. Against mirrors on 127.0.0.1 only."""

import shutil

from newscrawl import exit_codes
from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import run

GOOD_IDS = (1077602, 917512, 719860)


def _feed(ids) -> str:
    items = "".join(f"<item><title>t</title><link>https://www.asriran.com/fa/news/{i}</link></item>" for i in ids)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def _selfcheck(folder, *args):
    with running_mirror(folder) as mirror:
        return run("-m", "newscrawl", "selfcheck", "--site", "asriran", "--base-url", mirror.base_url, *args,
                   timeout=180)


def test_selfcheck_passes_on_pages_it_reads_and_shows_each_fields_source(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "rss").mkdir()
    for news_id in GOOD_IDS:
        shutil.copy(FIXTURES_DIR / f"asriran/news/{news_id}.html", tmp_path / f"news/{news_id}.html")
    (tmp_path / "rss/allnews.xml").write_text(_feed((*GOOD_IDS, 1150486)), encoding="utf-8")
    result = _selfcheck(tmp_path, "-n", "3")
    assert result.returncode == exit_codes.OK, result.stdout + result.stderr
    assert result.stdout.count("\n== https://www.asriran.com/fa/news/") + result.stdout.startswith("==") == 3
    assert "1150486" not in result.stdout  # only the newest 3 of the feed
    assert "  published_at  toolbar " in result.stdout and "MISSING" not in result.stdout
    assert "3 article(s) checked, 0 with a required field empty" in result.stdout


def test_selfcheck_fails_on_a_page_in_markup_it_has_not_seen():
    result = _selfcheck(FIXTURES_DIR / "selfcheck/unseen-markup")
    assert result.returncode == exit_codes.DRIFT, result.stdout + result.stderr
    assert "  title " in result.stdout and "MISSING" in result.stdout
    assert "1 article(s) checked, 1 with a required field empty" in result.stdout
    assert "does not read the site's current markup" in result.stderr

