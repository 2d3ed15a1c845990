"""Every site of the family with a mirror folder (fixtures/<site>/) crawls it in rss and archive modes
with the one spider class: the same output, report and checks as asriran (tests/test_crawl_modes.py).

No site is named here: a folder is a mirror folder when it holds `rss/` or `archive/`, and what a crawl
of it must find is read from the folder itself. The contract such a folder keeps (README "Adding a
site", checked by `test_every_mirror_folder_keeps_the_contract`):

- `news/<id>.html` with its expected `<id>.json` (the fixtures);
- `rss/<feed>.xml` for each feed of the profile (`allnews` by default; `rss/<s>-<c>.xml` is feed
  `<s>/<c>`), which together name every fixture article; other feed files are read with -a feeds=;
- `archive/1.html` … `archive/<N>.html`, N >= 2, each but the last linking to the next page the way the
  site's pager does (its `Archive.next_link`, in the site's page parameter), together naming every
  fixture article, and naming at least one id that has no page (the crawl counts it missing).
"""

import json
from dataclasses import dataclass

import pytest

from newscrawl import exit_codes
from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR, fixture_pages, load_expected
from newscrawl.sites import PROFILES, cms_for
from tests.conftest import crawl, read_jsonl, run


@dataclass
class MirrorFolder:
    """What a site's mirror folder holds, read with the site's CMS."""

    site: str
    articles: set[int]           # fixture pages expected to become articles
    not_articles: set[int]       # fixture pages expected to be no article (the crawl counts them missing)
    feeds: dict[str, list[int]]  # feed name (-a feeds=) -> the ids it names
    archive: list[list[int]]     # the ids of archive/1.html, archive/2.html, ...
    next_links: list[str | None]

    @classmethod
    def of(cls, site: str) -> "MirrorFolder":
        folder, cms, profile = FIXTURES_DIR / site, cms_for(site), PROFILES[site]
        expected = {int(p.stem): load_expected(p) or {} for p in fixture_pages() if p.parent.parent.name == site}
        pages = sorted((folder / "archive").glob("*.html"), key=lambda p: int(p.stem))
        listings = [cms.parse_archive(p.read_text(encoding="utf-8"), profile) for p in pages]
        return cls(site, {i for i, e in expected.items() if "outcome" not in e},
                   {i for i, e in expected.items() if e.get("outcome") == "not_an_article"},
                   {p.stem.replace("-", "/"): cms.parse_feed(p.read_bytes()) for p in sorted(folder.glob("rss/*.xml"))},
                   [listing.news_ids for listing in listings], [listing.next_href for listing in listings])

    def missing(self, listed: set[int]) -> int:
        """How many of `listed` a crawl counts missing: no page (404), or a page that is no article."""
        return len({i for i in listed if not (FIXTURES_DIR / self.site / "news" / f"{i}.html").is_file()}
                   | (listed & self.not_articles))

    def extra_feeds(self) -> list[str]:
        return [name for name in self.feeds if name not in PROFILES[self.site].feeds]


MIRROR_SITES = sorted(p.name for p in FIXTURES_DIR.iterdir()
                      if p.name in PROFILES and ((p / "rss").is_dir() or (p / "archive").is_dir()))
SISTER_SITES = [name for name in MIRROR_SITES if name != "asriran"]  # asriran: test_crawl_modes.py


def expected_ids(site: str) -> list[int]:
    return sorted(MirrorFolder.of(site).articles)


def assert_items_are_the_golden_ones(items: list[dict]) -> None:
    for item in items:
        expected = load_expected(FIXTURES_DIR / item["site"] / "news" / f"{item['news_id']}.html")
        item.pop("crawled_at")
        assert item == expected


@pytest.mark.parametrize("site", MIRROR_SITES)
def test_every_mirror_folder_keeps_the_contract(site):
    folder = MirrorFolder.of(site)
    assert folder.articles, f"fixtures/{site}/news/ holds no article"
    absent = [f for f in PROFILES[site].feeds if f not in folder.feeds]
    assert not absent, f"fixtures/{site}/rss/ lacks the profile's feeds: {absent}"
    assert folder.articles <= {i for ids in folder.feeds.values() for i in ids}, "the feeds name every article"
    assert len(folder.archive) >= 2 and [p.stem for p in sorted((FIXTURES_DIR / site / "archive").glob("*.html"),
                                                                key=lambda p: int(p.stem))] == [
        str(n) for n in range(1, len(folder.archive) + 1)], "archive/1.html ... archive/N.html, N >= 2"
    assert all(folder.next_links[:-1]) and folder.next_links[-1] is None, "each page links the next, the last none"
    listed = {i for ids in folder.archive for i in ids}
    assert folder.articles <= listed, "the archive names every article"
    assert folder.missing(listed) >= 1, "the archive names an id without a page"


@pytest.mark.parametrize("site", SISTER_SITES)
def test_archive_mode_walks_the_sites_archive(site, tmp_path):
    folder = MirrorFolder.of(site)
    with running_mirror(FIXTURES_DIR / site) as mirror:
        result = crawl(tmp_path, f"base_url={mirror.base_url}", "mode=archive", "to_date=1404/12/29", site=site)
    assert result.returncode == 0, result.log[-3000:]
    assert result.ids == sorted(folder.articles)
    assert {item["site"] for item in result.items} == {site}
    assert all(item["url"].startswith(PROFILES[site].base_url + "/") for item in result.items)
    assert result.stats["newscrawl/archive_pages"] == len(folder.archive)
    assert result.stats["newscrawl/missing"] == folder.missing({i for ids in folder.archive for i in ids})
    assert_items_are_the_golden_ones(result.items)
    if PROFILES[site].archive.method == "POST":  # the query went as a form, page by page
        assert mirror.requests[f"POST {PROFILES[site].archive.path}"] == len(folder.archive)


@pytest.mark.parametrize("site", SISTER_SITES)
def test_rss_mode_reads_the_sites_feed(site, tmp_path):
    """The profile's feeds and the folder's other feed files (-a feeds=): every id they name is fetched."""
    folder = MirrorFolder.of(site)
    extra = folder.extra_feeds()
    with running_mirror(FIXTURES_DIR / site) as mirror:
        result = crawl(tmp_path, f"base_url={mirror.base_url}", *([f"feeds={','.join(extra)}"] if extra else []),
                       site=site)
    assert result.returncode == 0, result.log[-3000:]
    named = {i for ids in folder.feeds.values() for i in ids}
    assert {item["site"] for item in result.items} == {site}
    assert result.ids == sorted(folder.articles & named) == sorted(folder.articles)
    assert result.stats.get("newscrawl/missing", 0) == folder.missing(named)
    assert_items_are_the_golden_ones(result.items)


def test_the_contract_is_read_from_the_folder():
    """The values the tests above expect, for one folder: they are the folder's, not constants."""
    tabnak = MirrorFolder.of("tabnak")
    # The real feed of 2018-07-21 (100 items, padded <link>s, pubDate without a weekday) names 818300, the one
    # of them we hold: 99 are missing on the mirror. rss/24.xml (feeds=24) adds 1203456.
    assert tabnak.extra_feeds() == ["24"] and tabnak.missing(set(tabnak.feeds["allnews"])) == 99
    assert tabnak.articles == {818300, 1203456} and len(tabnak.archive) == 2


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


def test_scrapy_list_shows_one_spider_per_profile_and_one_per_cms():
    result = run("-m", "scrapy", "list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted([*PROFILES, *{p.cms for p in PROFILES.values()}])


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


def _article(news_id: int, title: str) -> str:
    """An article page in the common toolbar form, inside the site's root class `khabar-body`."""
    return ("<!DOCTYPE html><html lang='fa-IR'><head><meta charset='utf-8'></head><body id='news'>"
            "<div class='khabar-body'><div class='news_toolbar'><div class='news_nav news_id_c'>"
            f"<span class='news_nav_title'>کد خبر: </span>{news_id}</div><div class='news_nav news_pdate_c'>"
            "<span class='news_nav_title'>تاریخ انتشار: </span>۱۴:۰۵ - ۱۸ ارديبهشت ۱۴۰۴</div></div>"
            f"<div class='title'><h1 class='title'>{title}</h1></div><div class='body'><p>متن خبر {title} که "
            "به اندازه کافی بلند است تا خبری کامل باشد و خوانده شود.</p></div></div></body></html>")


def _archive_page(ids: list[int], next_page: int | None) -> str:
    """An archive page that pages by `page=`: its items a.title_List, its pager's next link a.next."""
    items = "".join(f"<a class='title_List' href='/fa/news/{i}/slug'>خبر {i}</a>" for i in ids)
    pager = (f"<div class='pagination'><a class='next' href='/fa/archive?service_id=-1&amp;cat_id=-1&amp;"
             f"page={next_page}'>»</a></div>") if next_page else ""
    return (f"<!DOCTYPE html><html lang='fa-IR'><head><meta charset='utf-8'></head><body id='archive'>"
            f"<div class='archive_content'>{items}{pager}</div></body></html>")


def test_an_archive_paged_by_page_loses_no_page(tmp_path):
    """A site whose archive pages by `page=` (tabnakbato, iransamaneh-family.md §3): the crawl asks page 2 in
    the site's own parameter and the mirror answers it. Before Archive.page_param, page 2 was page 1 again
    (the mirror read only `p`): its articles were never asked, and the run still exited 0."""
    site = next(name for name, p in PROFILES.items() if p.archive.page_param == "page")
    folder = tmp_path / site
    for name, text in {"news/5001.html": _article(5001, "یکم"), "news/5002.html": _article(5002, "دوم"),
                       "news/5003.html": _article(5003, "سوم"),
                       "archive/1.html": _archive_page([5001, 5009], 2),
                       "archive/2.html": _archive_page([5002, 5003], None)}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    with running_mirror(folder) as mirror:
        result = crawl(tmp_path / "run", f"base_url={mirror.base_url}", "mode=archive", "from_date=1404/01/01",
                       "to_date=1404/12/29", site=site)
    assert result.returncode == 0, result.log[-3000:]
    assert result.ids == [5001, 5002, 5003]
    assert result.stats["newscrawl/archive_pages"] == 2 and result.stats["newscrawl/missing"] == 1
    assert mirror.requests["/fa/archive"] == 2
    assert {item["url"] for item in result.items} == {f"{PROFILES[site].base_url}/fa/news/{i}" for i in result.ids}


def test_an_archive_that_does_not_page_is_drift_not_a_quiet_night(tmp_path):
    """Page 2 answered as page 1 (what a page parameter the site does not know gets): the walk stops there,
    says why, and the run exits with the drift code instead of 0."""
    site = next(name for name, p in PROFILES.items() if p.archive.page_param == "page")
    folder = tmp_path / site
    for name, text in {"news/5001.html": _article(5001, "یکم"), "archive/1.html": _archive_page([5001], 2),
                       "archive/2.html": _archive_page([5001], 3), "archive/3.html": _archive_page([5002], None)
                       }.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    with running_mirror(folder) as mirror:
        result = crawl(tmp_path / "run", f"base_url={mirror.base_url}", "mode=archive", "from_date=1404/01/01",
                       "to_date=1404/12/29", site=site)
    assert result.returncode == exit_codes.DRIFT, result.log[-3000:]
    assert result.ids == [5001] and mirror.requests["/fa/archive"] == 2  # page 3 is never asked
    assert "lists only articles of earlier pages" in result.log
    assert "did not page" in result.stats["newscrawl/outcome/drift"]["reason"]
