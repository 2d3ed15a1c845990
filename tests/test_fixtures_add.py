"""`python -m newscrawl fixtures add`: a page (a file or a URL, here the mirror on 127.0.0.1) becomes
fixtures/<site>/news/<id>.html with its expected JSON from the current parser; a reviewed file is
never overwritten without --force."""

import json
import shutil

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from tests.conftest import run

PAGE = FIXTURES_DIR / "fararu" / "news" / "996210.html"


def add(tmp_path, *args):
    return run("-m", "newscrawl", "fixtures", "add", *args, "--dir", str(tmp_path / "fixtures"))


def test_a_saved_page_becomes_a_fixture_with_its_expected_json(tmp_path):
    result = add(tmp_path, str(PAGE), "--site", "fararu", "--url", "https://fararu.com/fa/news/996210/slug")
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "fixtures" / "fararu" / "news" / "996210.html"
    assert saved.read_bytes() == PAGE.read_bytes()
    written = json.loads(saved.with_suffix(".json").read_text(encoding="utf-8"))
    assert written == load_expected(PAGE)  # the same parser, the same expected outcome
    assert "review it before committing" in result.stdout and "title" in result.stdout


def test_the_id_comes_from_the_page_when_no_url_is_given(tmp_path):
    result = add(tmp_path, str(PAGE), "--site", "fararu")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "fixtures" / "fararu" / "news" / "996210.json").exists()


def test_a_reviewed_file_is_not_overwritten_without_force(tmp_path):
    target = tmp_path / "fixtures" / "fararu" / "news"
    target.mkdir(parents=True)
    shutil.copyfile(PAGE, target / "996210.html")
    (target / "996210.json").write_text('{"reviewed": true}\n', encoding="utf-8")
    refused = add(tmp_path, str(PAGE), "--site", "fararu")
    assert refused.returncode == 2 and "exists (reviewed): give --force" in refused.stderr
    assert (target / "996210.json").read_text(encoding="utf-8") == '{"reviewed": true}\n'
    forced = add(tmp_path, str(PAGE), "--site", "fararu", "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads((target / "996210.json").read_text(encoding="utf-8"))["news_id"] == 996210


def test_a_page_is_fetched_from_a_url(tmp_path):
    with running_mirror(FIXTURES_DIR / "entekhab") as mirror:
        result = add(tmp_path, f"{mirror.base_url}/fa/news/561234/slug", "--site", "entekhab")
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "fixtures" / "entekhab" / "news" / "561234.html"
    assert saved.read_bytes() == (FIXTURES_DIR / "entekhab" / "news" / "561234.html").read_bytes()
    written = json.loads(saved.with_suffix(".json").read_text(encoding="utf-8"))
    assert written["url"] == "https://www.entekhab.ir/fa/news/561234" and written["body"]


def test_a_page_that_is_no_article_is_refused(tmp_path):
    other = tmp_path / "home.html"
    other.write_text("<html><body><p>صفحه نخست</p></body></html>", encoding="utf-8")
    result = add(tmp_path, str(other), "--site", "tabnak")
    assert result.returncode == 2 and "is no article of tabnak" in result.stderr
    assert not list((tmp_path / "fixtures").rglob("*.json"))
