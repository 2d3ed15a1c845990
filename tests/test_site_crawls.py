"""Every site of the family crawls its mirror folder (fixtures/<site>/) in rss and archive modes with
the one spider class: the same output, report and checks as asriran (tests/test_crawl_modes.py)."""

import json

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR, fixture_pages, load_expected
from newscrawl.sites import PROFILES
from tests.conftest import crawl, read_jsonl, run

SISTER_SITES = [name for name in PROFILES if name != "asriran"]  # asriran: test_crawl_modes.py


def expected_ids(site: str) -> list[int]:
    return sorted(int(p.stem) for p in fixture_pages() if p.parent.parent.name == site
                  and "outcome" not in (load_expected(p) or {"outcome": None}))


def assert_items_are_the_golden_ones(items: list[dict]) -> None:
    for item in items:
        expected = load_expected(FIXTURES_DIR / item["site"] / "news" / f"{item['news_id']}.html")
        item.pop("crawled_at")
        assert item == expected


@pytest.mark.parametrize("site", SISTER_SITES)
def test_archive_mode_walks_the_sites_archive(site, tmp_path):
    with running_mirror(FIXTURES_DIR / site) as mirror:
        result = crawl(tmp_path, f"base_url={mirror.base_url}", "mode=archive", "to_date=1404/12/29", site=site)
    assert result.returncode == 0, result.log[-3000:]
    assert result.ids == expected_ids(site)
    assert {item["site"] for item in result.items} == {site}
    assert all(item["url"].startswith(PROFILES[site].base_url + "/") for item in result.items)
    assert result.stats["newscrawl/archive_pages"] == 2
    assert result.stats["newscrawl/missing"] == 1  # the archive lists one id whose page is gone
    assert_items_are_the_golden_ones(result.items)
    if PROFILES[site].archive.method == "POST":  # entekhab: the query went as a form, page by page
        assert mirror.requests["POST /fa/archive"] == 2


@pytest.mark.parametrize("site", SISTER_SITES)
def test_rss_mode_reads_the_sites_feed(site, tmp_path):
    feeds = ("feeds=24",) if site == "tabnak" else ()
    with running_mirror(FIXTURES_DIR / site) as mirror:
        result = crawl(tmp_path, f"base_url={mirror.base_url}", *feeds, site=site)
    assert result.returncode == 0, result.log[-3000:]
    assert {item["site"] for item in result.items} == {site}
    assert_items_are_the_golden_ones(result.items)
    if site == "tabnak":
        # The real feed of 2018-07-21 (100 items, padded <link>s, pubDate without a weekday) names
        # 818300, the one of them we hold; the other 99 are missing on the mirror. feeds=24 adds 1203456.
        assert result.ids == [818300, 1203456]
        assert result.stats["newscrawl/missing"] == 99
    else:
        assert result.ids == expected_ids(site)


def test_a_run_writes_its_own_file_under_the_sites_folder(tmp_path):
    """Without -o: output/<site>/<day>/<run>.jsonl and its report, as for asriran."""
    with running_mirror(FIXTURES_DIR / "fararu") as mirror:
        result = run("-m", "scrapy", "crawl", "fararu", "-a", f"base_url={mirror.base_url}",
                     "-s", f"OUTPUT_DIR={tmp_path / 'output'}", "-s", f"STATE_DIR={tmp_path / 'state'}",
                     "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted((tmp_path / "output" / "fararu").glob("*/*-rss-*.jsonl"))
    assert len(files) == 1
    assert sorted(item["news_id"] for item in read_jsonl(files[0])) == expected_ids("fararu")
    report = json.loads(files[0].with_suffix(".report.json").read_text(encoding="utf-8"))
    assert report["stats"]["item_scraped_count"] == len(expected_ids("fararu"))


def test_scrapy_list_shows_one_spider_per_profile():
    result = run("-m", "scrapy", "list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(PROFILES)


def test_ids_urls_and_files_modes_work_for_a_sister_site(tmp_path):
    with running_mirror(FIXTURES_DIR / "yjc") as mirror:
        ids = crawl(tmp_path / "ids", f"base_url={mirror.base_url}", "mode=ids", "ids=8912345,8912346", site="yjc")
        urls = crawl(tmp_path / "urls", f"base_url={mirror.base_url}", "mode=urls",
                     "urls=https://www.yjc.ir/fa/news/7349926/slug", site="yjc")
    files = crawl(tmp_path / "files", "mode=files", f"path={FIXTURES_DIR / 'yjc' / 'news'}", site="yjc")
    assert ids.returncode == 0 and ids.ids == [8912345] and ids.stats["newscrawl/missing"] == 1
    assert urls.returncode == 0 and urls.ids == [7349926]
    assert files.returncode == 0 and files.ids == expected_ids("yjc")
    assert_items_are_the_golden_ones(ids.items + urls.items + files.items)


def test_a_url_of_another_site_is_refused(tmp_path):
    result = crawl(tmp_path, "mode=urls", "urls=https://www.tabnak.ir/fa/news/818300", site="yjc")
    assert result.returncode == 2 and "is not a page of yjc" in result.log
