"""What a run of many sites (`python -m newscrawl crawl --sites`) does once for the process rather than
once per site: each site's run stays as if crawled alone (tests/test_multisite.py), only the work
that is the same for every site is shared."""

from __future__ import annotations

import argparse

import pytest
import scrapy.spiderloader

from newscrawl import exit_codes
from newscrawl.commands import crawl
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
