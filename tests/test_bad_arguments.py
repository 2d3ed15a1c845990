"""`scrapy crawl` with a bad argument, as a user types it: one line on stderr, exit 2, no traceback,
and nothing crawled or written (the mirror gets no request at all)."""

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.sites import PROFILES
from tests.conftest import run


@pytest.fixture(scope="module")
def mirror():
    with running_mirror(FIXTURES_DIR / "asriran") as server:
        yield server


def scrapy_crawl(tmp_path, base_url, *arguments, spider="asriran"):
    command = ["-m", "scrapy", "crawl", spider, "-O", str(tmp_path / "out.jsonl"),
               "-s", f"OUTPUT_DIR={tmp_path / 'output'}", "-s", f"STATE_DIR={tmp_path / 'state'}"]
    if base_url:
        command += ["-a", f"base_url={base_url}"]
    for argument in arguments:
        command += ["-a", argument]
    return run(*command)


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (("mode=sitemap",), "mode: unknown mode 'sitemap': use one of rss, archive, ids, urls, files"),
        (("mode=ids", "ids=870500-870000"), "ids: '870500-870000' is an empty range: write the lower id first"),
        (("mode=ids", "ids=12,x3"), "ids: 'x3' is not an id or an id range such as 870000-870500"),
        (("mode=archive", "from_date=1402/13/01"),
         "from_date: '1402/13/01' is no day of the Jalali calendar (month must be in 1..12)"),
        (("mode=archive", "from_date=1402/09/01", "to_date=1402/08/01"),
         "from_date 1402/09/01 is after to_date 1402/08/01"),
        (("mode=archive", "days=a week"), "days: 'a week' is not a whole number of days, such as 3"),
        (("mode=urls", "urls_file=no/such/file.txt"), "urls_file: no/such/file.txt does not exist"),
        (("mode=urls", "urls=https://www.tabnak.ir/fa/news/1186530"),
         "urls: https://www.tabnak.ir/fa/news/1186530 is not a page of asriran (asriran.com, asriran.ir): "
         "this spider crawls only its own site"),
        (("mod=ids", "ids=1077602"), "unknown argument -a mod= (did you mean mode?); known arguments: "
         "base_url, cat_id, days, feeds, from_date, ids, mode, path, refresh, service_id, skip_known, to_date, "
         "urls, urls_file"),
        (("mode=archive", "from=1400/01/01"), "unknown argument -a from= (did you mean from_date?)"),
        (("ids=1077602",), "-a ids= is for mode=ids, and this run's mode is rss (add -a mode=ids, or leave out "
         "-a ids=)"),
        (("nonsense",), "Invalid -a value, use -a NAME=VALUE"),
    ],
)
def test_a_bad_argument_is_one_line_and_exit_2(mirror, tmp_path, arguments, line):
    result = scrapy_crawl(tmp_path, mirror.base_url, *arguments)
    assert result.returncode == 2
    [only] = result.stderr.splitlines()
    assert only.startswith(f"scrapy crawl: {line}")
    assert "Traceback" not in result.stderr
    assert sum(mirror.requests.values()) == 0 and not (tmp_path / "out.jsonl").exists()
    assert not (tmp_path / "output").exists()


def test_a_base_url_that_is_not_http_is_refused(tmp_path):
    result = scrapy_crawl(tmp_path, "", "base_url=www.asriran.com")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "scrapy crawl: base_url: 'www.asriran.com' is not an http(s) URL such as http://127.0.0.1:8000"]


def test_a_misspelt_base_url_never_goes_for_the_live_site(tmp_path):
    result = scrapy_crawl(tmp_path, "", "baseurl=http://127.0.0.1:9")
    assert result.returncode == 2 and "unknown argument -a baseurl= (did you mean base_url?)" in result.stderr
    assert "asriran.com" not in result.stderr


def test_an_unknown_site_is_refused_with_the_known_spiders(tmp_path):
    result = scrapy_crawl(tmp_path, "", spider="tabnac")
    assert result.returncode == 2
    known = len(PROFILES) + len({p.cms for p in PROFILES.values()})  # a spider per site and one per CMS
    assert result.stderr.splitlines() == [f"scrapy crawl: unknown spider 'tabnac' (did you mean tabnak?): "
                                          f"`scrapy list` names the {known} known spiders"]
