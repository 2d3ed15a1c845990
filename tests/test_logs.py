"""The log a person reads: a quiet run fits a screen, a quarantined item is one INFO line with its
reasons (the item itself only in the quarantine file), retry waits show at INFO, and saved pages
are read without the live site's politeness delays."""

import asyncio

from scrapy.crawler import Crawler
from scrapy.settings import Settings

from newscrawl.logs import id_ranges
from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.spiders.site import AsriranSpider
from tests.conftest import article_pages, run, scheduled_command

SCREEN = 25  # lines


def rss_run(workdir, base_url, settings=()):
    result = run(*scheduled_command(workdir, f"base_url={base_url}", settings=settings), cwd=workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr.splitlines()


def test_a_quiet_run_fits_a_screen_and_a_quarantined_item_is_one_line(tmp_path):
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        first = rss_run(tmp_path, mirror.base_url)
        quiet = rss_run(tmp_path, mirror.base_url)
    assert len(quiet) <= SCREEN, "\n".join(quiet)
    assert len(first) <= SCREEN, "\n".join(first)
    dropped = [line for line in first if "Dropped:" in line]
    assert sorted(line.split("] ", 1)[1] for line in dropped) == sorted([
        "INFO: Dropped: quarantined https://www.asriran.com/fa/news/1150500: page: truncated, it ends before </html>",
        "INFO: Dropped: quarantined https://www.asriran.com/fa/news/1150501: body: the page has no div.body",
        "INFO: Dropped: quarantined https://www.asriran.com/fa/news/1150502: published_at: no such Jalali "
        "date-time '۱۰:۳۰ - ۳۰-۱۲-۱۴۰۲': day is out of range for month",
    ])
    assert not any("Article(" in line or "'lead':" in line for line in first)  # no item in the log
    assert any("INFO: Missing articles (404 or the CMS's not-found page): 2 ids: 1150600, 1150999" in line
               for line in first)
    assert sum("Run finished" in line for line in first) == 1


def test_the_startup_listings_are_there_at_debug(tmp_path):
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        log = "\n".join(rss_run(tmp_path, mirror.base_url, settings=("LOG_LEVEL=DEBUG",)))
    assert "DEBUG: Enabled item pipelines:" in log and "DEBUG: Overridden settings:" in log
    assert "DEBUG: [Spidermon] OK" in log
    assert len(article_pages("asriran")) == log.count("DEBUG: Scraped from <200")


def test_retry_waits_are_logged_at_info(tmp_path):
    with running_mirror(FIXTURES_DIR / "asriran", faults={"/fa/news/917512": {"status": 503, "times": 2}}) as mirror:
        log = rss_run(tmp_path, mirror.base_url)
        url = f"{mirror.base_url}/fa/news/917512"
    waits = [line.split("] ", 1)[1] for line in log if "Retry " in line]
    assert waits == [f"INFO: Retry 1 of 4 for {url} (HTTP 503) in 0.1 s",
                     f"INFO: Retry 2 of 4 for {url} (HTTP 503) in 0.2 s"]


def test_saved_pages_are_read_without_politeness_delays():
    project = Settings()
    project.setmodule("newscrawl.settings", priority="project")
    crawler = Crawler(AsriranSpider, project)  # no reactor involved: any test order holds
    spider = AsriranSpider.from_crawler(crawler, mode="files", path=str(FIXTURES_DIR / "asriran" / "news"))

    async def requests():
        return [r async for r in spider.start()]

    pages = asyncio.run(requests())
    assert len(pages) == len(list((FIXTURES_DIR / "asriran" / "news").glob("*.html")))
    slot = crawler.settings.get("LOCAL_FILES_SLOT")
    assert {(r.meta["download_slot"], r.meta["autothrottle_dont_adjust_delay"]) for r in pages} == {(slot, True)}
    assert crawler.settings.getdict("DOWNLOAD_SLOTS")[slot]["delay"] == 0
    assert crawler.settings.getfloat("DOWNLOAD_DELAY") == 0.5  # the live site keeps its delay


def test_id_ranges_summarise_missing_ids():
    assert id_ranges([5, 1, 2, 3, 9, 10], limit=20) == "1-3, 5, 9-10"
    assert id_ranges(range(0, 100, 2), limit=3) == "0, 2, 4 and 47 more ranges"
