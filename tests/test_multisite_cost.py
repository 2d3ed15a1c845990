"""What a run of many sites (`python -m newscrawl crawl --sites`) does once for the process rather than
once per site: each site's run stays as if crawled alone (tests/test_multisite.py), only the work
that is the same for every site is shared."""

from __future__ import annotations

import argparse
import gc
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import scrapy.spiderloader
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.commands import crawl
from newscrawl.extensions.warc_archive import WarcArchive
from newscrawl.output import warc
from newscrawl.output.warc import WarcFile, read_responses
from newscrawl.run.recovery import RECOVERED_SETTING
from newscrawl.scrapy_commands import crawl as single
from newscrawl.sites import PROFILES

SITES = list(PROFILES)[:5]


def test_the_sites_arguments_are_checked_with_one_spider_loader(tmp_path, monkeypatch):
    """Each loader copies the whole settings and walks SPIDER_MODULES (~3 ms of CPU a site): the checks
    of every site use one. The run is stopped right after the checks by a state store that cannot be
    made (its folder under a regular file)."""
    made = []
    real = scrapy.spiderloader.get_spider_loader

    def counted(settings):
        made.append(settings)
        return real(settings)

    monkeypatch.setattr(crawl, "get_spider_loader", counted)
    monkeypatch.setattr(single, "get_spider_loader", counted)
    monkeypatch.setattr(single, "PROG", single.PROG)  # the run names its own command in the lines it says
    checked = []
    check = single.check_arguments
    monkeypatch.setattr(single, "check_arguments", lambda *a, **kw: checked.append(a[1]) or check(*a, **kw))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    args = argparse.Namespace(sites=",".join(SITES), spargs=["mode=rss"],
                              settings=[f"OUTPUT_DIR={tmp_path / 'output'}", f"STATE_DIR={blocker / 'state'}"])
    with pytest.raises(SystemExit) as stopped:
        crawl.run(args)
    assert stopped.value.code == exit_codes.STATE_FAILED
    assert checked == [[site] for site in SITES]  # every site checked
    assert len(made) == 1


def test_an_unknown_site_is_still_refused_by_the_shared_loader(tmp_path, monkeypatch):
    monkeypatch.setattr(single, "PROG", single.PROG)
    loader = scrapy.spiderloader.get_spider_loader(crawl.settings_for_run([f"OUTPUT_DIR={tmp_path}"]))
    with pytest.raises(SystemExit) as refused:
        single.check_arguments(crawl.settings_for_run([]), ["no-such-site"], {}, loader=loader)
    assert refused.value.code == exit_codes.USAGE


def killed_runs_archive(path):
    """A run's WARC part as a killed run leaves it: one exchange written, the file closed unfinalized."""
    archive = WarcFile(path, info={"software": "test"})
    archive.write_exchange(target_uri="https://www.asriran.com/fa/news/1", fetched_from=None,
                           when=datetime(2026, 1, 2, tzinfo=UTC), method="GET", request_headers={}, status=200,
                           response_headers={b"Content-Type": [b"text/html"]}, body=b"<html>page</html>")
    archive.file.close()
    return archive.part


def site_crawler(settings):
    """A crawler of these settings with Scrapy's own extensions only (WarcArchive is built by the test)."""
    names = ("OUTPUT_DIR", "STATE_DIR", "WARC_ENABLED", "WARC_PATH", RECOVERED_SETTING)
    return get_crawler(settings_dict={name: settings[name] for name in names if name in settings})


def test_killed_runs_archives_are_recovered_once_before_the_crawl_not_by_each_site(tmp_path, monkeypatch):
    """Each site's WarcArchive walked the whole OUTPUT_DIR for the archives of killed runs: a hundred sites
    were a hundred walks of every run folder of every site. The check before the crawl (that of `scrapy
    crawl`, made once for a run of many sites) finalizes them; each site's crawler reads its figure."""
    output = tmp_path / "output"
    part = killed_runs_archive(output / "asriran" / "2026-01-02" / "run.warc.gz")
    settings = crawl.settings_for_run([f"OUTPUT_DIR={output}"])
    single.check_state_store(settings)
    assert settings.getdict(RECOVERED_SETTING)[stat.WARC_RECOVERED_FILES] == 1
    assert not part.exists() and [r.target_uri for r in read_responses(output / "asriran" / "2026-01-02" /
                                                                       "run.warc.gz")] == [
        "https://www.asriran.com/fa/news/1"]
    walks = []
    monkeypatch.setattr(warc, "recover_archives", lambda output_dir: walks.append(output_dir) or [])
    for _ in SITES:
        crawler = site_crawler(settings)
        WarcArchive.from_crawler(crawler)
        assert crawler.stats.get_value(stat.WARC_RECOVERED_FILES) == 1  # the run's figure, as for its run files
    assert walks == []


def test_a_crawler_started_without_the_check_still_recovers_the_archives_itself(tmp_path):
    output = tmp_path / "output"
    part = killed_runs_archive(output / "asriran" / "2026-01-02" / "run.warc.gz")
    crawler = site_crawler({"OUTPUT_DIR": str(output), "WARC_ENABLED": True,
                            "WARC_PATH": "%(output_dir)s/%(name)s/%(run_id)s.warc.gz"})
    WarcArchive.from_crawler(crawler)
    assert crawler.stats.get_value(stat.WARC_RECOVERED_FILES) == 1
    assert not part.exists()


def test_what_exists_before_the_crawl_is_kept_out_of_the_collectors_full_passes(tmp_path, monkeypatch):
    """The modules, settings and crawlers made before the crawl live as long as the process: frozen,
    the collector's full passes (which each site's objects make longer) skip them."""
    frozen = []

    class Process:  # Scrapy's process as far as run() uses it; its crawlers never start
        def create_crawler(self, site):
            return SimpleNamespace(settings=Settings(), _stats=None)

        def crawl(self, crawler, **spargs):
            return Deferred()

        def start(self):
            frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(crawl, "new_process", lambda settings: Process())
    monkeypatch.setattr(single, "PROG", single.PROG)
    gc.unfreeze()
    try:
        code = crawl.run(argparse.Namespace(sites=",".join(SITES[:2]), spargs=[],
                                            settings=[f"OUTPUT_DIR={tmp_path / 'output'}"]))
    finally:
        gc.unfreeze()
    assert code == exit_codes.COULD_NOT_START  # crawlers that never started, as the summary says
    assert frozen and frozen[0] > 0
