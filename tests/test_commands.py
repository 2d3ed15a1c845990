"""`python -m newscrawl extract` and `fixtures`, run as a user runs them."""

import json
import shutil

from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from tests.conftest import article_pages, read_jsonl, run

NEWS = FIXTURES_DIR / "asriran" / "news"


def test_extract_prints_one_json_line_per_article_with_persian_unescaped():
    pages = article_pages("asriran")[:3]
    result = run("-m", "newscrawl", "extract", *map(str, pages))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert "\\u06" not in result.stdout
    for line, page in zip(lines, pages, strict=True):
        item = json.loads(line)
        assert item.pop("crawled_at").endswith("Z")
        assert item == load_expected(page)


def test_extract_takes_the_url_from_the_option(tmp_path):
    saved = tmp_path / "saved.html"
    saved.write_bytes((NEWS / "917512.html").read_bytes())
    result = run("-m", "newscrawl", "extract", str(saved), "--url",
                 "https://www.asriran.com/fa/news/917512/%D8%B9%D9%86%D9%88%D8%A7%D9%86")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["url"] == "https://www.asriran.com/fa/news/917512"


def test_extract_reads_a_saved_page_as_the_site_named(tmp_path):
    saved = tmp_path / "saved.html"
    page = FIXTURES_DIR / "jamejamonline" / "news" / "1478520.html"
    saved.write_bytes(page.read_bytes())
    result = run("-m", "newscrawl", "extract", str(saved), "--site", "jamejamonline")
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    item.pop("crawled_at")
    assert item == load_expected(page)  # the same article as its fixture, told by --site alone


def test_extract_missing_file_is_a_clear_error_not_a_traceback():
    result = run("-m", "newscrawl", "extract", "no/such/page.html")
    assert result.returncode == 2
    assert "no/such/page.html: cannot read: No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_extract_reports_pages_that_are_not_articles_and_goes_on(tmp_path):
    quarantine = tmp_path / "quarantine.jsonl"
    result = run("-m", "newscrawl", "extract", str(NEWS / "1150999.html"), str(NEWS / "1150502.html"),
                 str(NEWS / "917512.html"), "--quarantine", str(quarantine))
    assert result.returncode == 1
    assert "1150999.html: not an article: the CMS's not-found page" in result.stderr
    assert "1150502.html: quarantined: published_at: no such Jalali date-time" in result.stderr
    assert "Traceback" not in result.stderr
    assert [json.loads(line)["news_id"] for line in result.stdout.splitlines()] == [917512]
    [record] = read_jsonl(quarantine)
    assert record["news_id"] == 1150502 and record["reasons"][0].startswith("published_at:")


def test_extract_rejects_a_page_that_is_no_html_article(tmp_path):
    page = tmp_path / "home.html"
    page.write_text("<html><body id='home'><h2>عصر ایران</h2></body></html>", encoding="utf-8")
    result = run("-m", "newscrawl", "extract", str(page))
    assert result.returncode == 1
    assert "not an article: no article markup" in result.stderr


# `python -m newscrawl extract ...` with the CMS's lead reader broken (as a site's new reader may be).
BROKEN_LEAD = """
import sys
from newscrawl.__main__ import main
from newscrawl.sites.iransamaneh import article

def broken_lead(p, item):
    raise KeyError("lead-selector-typo")

article.FIELD_READERS["lead"] = broken_lead
sys.exit(main(sys.argv[1:]))
"""


def test_a_field_reader_that_raises_is_a_defect_naming_the_field(tmp_path):
    quarantine = tmp_path / "quarantine.jsonl"
    result = run("-c", BROKEN_LEAD, "extract", str(NEWS / "917512.html"), "--quarantine", str(quarantine))
    assert result.returncode == 1 and result.stdout == ""
    assert "917512.html: quarantined: lead: parser: KeyError: 'lead-selector-typo'" in result.stderr
    assert "Traceback" not in result.stderr
    [record] = read_jsonl(quarantine)
    assert record["reasons"] == ["lead: parser: KeyError: 'lead-selector-typo'"]
    assert record["item"]["title"] and record["item"]["body"]  # the other fields still came out


def test_extract_strict_raises_a_field_readers_exception_with_its_traceback():
    result = run("-c", BROKEN_LEAD, "extract", "--strict", str(NEWS / "917512.html"))
    assert result.returncode != 0 and result.stdout == ""
    assert "917512.html: stopped here (--strict):" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "in parse_article\n    reader(p, item)\n" in result.stderr  # raised from the per-field loop ...
    assert 'File "<string>", line 7, in broken_lead' in result.stderr  # ... by the reader itself
    assert result.stderr.rstrip().endswith("KeyError: 'lead-selector-typo'")
    assert "quarantined" not in result.stderr


def test_fixtures_check_passes_on_the_committed_expected_files():
    result = run("-m", "newscrawl", "fixtures")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 fixture(s) differ" in result.stderr


def test_fixtures_update_rewrites_and_shows_the_diff(tmp_path):
    site = tmp_path / "asriran" / "news"
    site.mkdir(parents=True)
    (site / "917512.html").write_bytes((NEWS / "917512.html").read_bytes())
    expected = load_expected(NEWS / "917512.html")
    stale = dict(expected, title="عنوان قدیمی")
    (site / "917512.json").write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")

    check = run("-m", "newscrawl", "fixtures", "--dir", str(tmp_path))
    assert check.returncode == 1 and "1 fixture(s) differ" in check.stderr
    assert '-  "title": "عنوان قدیمی"' in check.stdout

    update = run("-m", "newscrawl", "fixtures", "--dir", str(tmp_path), "--update")
    assert update.returncode == 0 and f'+  "title": "{expected["title"]}"' in update.stdout
    assert json.loads((site / "917512.json").read_text(encoding="utf-8")) == expected


def test_sites_lists_every_site_with_its_evidence_pattern_and_fixtures(tmp_path):
    from newscrawl.replay.fixtures import fixture_pages
    from newscrawl.replay.pages import site_for_path
    from newscrawl.sites import PROFILES

    result = run("-m", "newscrawl", "sites")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["site", "host", "generations", "evidence", "pattern", "fixtures"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == list(PROFILES)
    assert rows["asriran"].split()[1] == "www.asriran.com" and rows["asriran"].endswith(
        f"pass {sum(site_for_path(p) == 'asriran' for p in fixture_pages())}")
    with_none = next(name for name in PROFILES if not (FIXTURES_DIR / name).exists())
    assert rows[with_none].endswith("no fixtures") and PROFILES[with_none].pattern in rows[with_none].split()
    as_json = [json.loads(line) for line in run("-m", "newscrawl", "sites", "--json").stdout.splitlines()]
    assert [r["name"] for r in as_json] == list(PROFILES) and all(r["evidence"] and r["pattern"] for r in as_json)
    # A fixture that no longer replays as expected: that site fails, and the command says so.
    shutil.copytree(FIXTURES_DIR / "fararu", tmp_path / "fararu")
    expected = next((tmp_path / "fararu" / "news").glob("*.json"))
    expected.write_text(expected.read_text(encoding="utf-8").replace('"title": "', '"title": "x'), encoding="utf-8")
    broken = run("-m", "newscrawl", "sites", "--dir", str(tmp_path))
    assert broken.returncode == 1
    fararu = next(line for line in broken.stdout.splitlines() if line.startswith("fararu "))
    assert fararu.endswith("FAIL 1 of 2") and "no fixtures" in next(
        line for line in broken.stdout.splitlines() if line.startswith("asriran "))
