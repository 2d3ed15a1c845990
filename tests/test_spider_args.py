"""newscrawl.run.args: every -a argument is read and checked before a crawl; a bad one is a
BadArgument whose message names it and says what would be right."""

from datetime import timedelta

import pytest

from newscrawl.exceptions import BadArgument
from newscrawl.run.args import parse_ids, parse_spider_args, tehran_today
from newscrawl.sites import PROFILES

ASRIRAN = PROFILES["asriran"]


def parse(**given):
    return parse_spider_args(ASRIRAN, given)


def test_ids_and_ranges():
    assert parse_ids("719861,870239") == [719861, 870239]
    assert parse_ids("5-8, 7, 10") == [5, 6, 7, 8, 10]
    assert parse_ids("۷۱۹۸۶۱") == [719861]  # Persian digits, as pasted from the site
    assert parse_ids("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [("5-3", "'5-3' is an empty range"), ("abc", "'abc' is not an id"), ("1-x", "'1-x' is not an id"),
     ("5-", "'5-' is not an id"), ("-5", "'-5' is not an id"), ("0", "article ids start at 1"),
     ("1-99999999", "more than 2000000 ids")],
)
def test_bad_id_ranges(text, message):
    with pytest.raises(BadArgument, match=message):
        parse_ids(text)


def test_defaults_are_the_real_site_feed():
    args = parse()
    assert args.mode == "rss" and args.base_url == "https://www.asriran.com" and args.feeds == ["allnews"]
    assert args.skip_known is None and args.refresh is False


def test_archive_dates_are_checked_and_written_in_full():
    args = parse(mode="archive", from_date="1402/8/1", to_date="۱۴۰۲/۰۸/۳۰")
    assert (args.from_date, args.to_date) == ("1402/08/01", "1402/08/30")
    args = parse(mode="archive", days="3")
    assert args.from_date == (tehran_today() - timedelta(days=3)).strftime("%Y/%m/%d")
    assert args.to_date == tehran_today().strftime("%Y/%m/%d")
    assert parse(mode="archive").from_date == "1384/01/01"


def test_a_url_of_the_site_its_mirror_or_a_path_is_accepted(tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("# saved\nhttps://asriran.com/fa/news/1\n\nhttp://127.0.0.1:9/fa/news/2\n", encoding="utf-8")
    args = parse(mode="urls", urls="https://www.asriran.com/fa/news/3,/fa/news/4", urls_file=str(urls),
                 base_url="http://127.0.0.1:9/")
    assert args.urls == ["https://www.asriran.com/fa/news/3", "/fa/news/4", "https://asriran.com/fa/news/1",
                         "http://127.0.0.1:9/fa/news/2"]
    assert args.base_url == "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"mode": "sitemap"}, "mode: unknown mode 'sitemap': use one of rss, archive, ids, urls, files"),
        ({"mod": "ids"}, r"unknown argument -a mod= \(did you mean mode\?\); known arguments: base_url, "),
        ({"baseurl": "http://127.0.0.1:9"}, r"unknown argument -a baseurl= \(did you mean base_url\?\)"),
        ({"mode": "archive", "from": "1400/01/01"}, r"unknown argument -a from= \(did you mean from_date\?\)"),
        ({"ids": "1,2"}, r"-a ids= is for mode=ids, and this run's mode is rss \(add -a mode=ids"),
        ({"mode": "ids", "days": "3"}, "-a days= is for mode=archive"),
        ({"mode": "ids"}, "mode=ids needs -a ids="),
        ({"mode": "ids", "ids": "9-1"}, "ids: '9-1' is an empty range"),
        ({"mode": "urls"}, "mode=urls needs"),
        ({"mode": "archive", "from_date": "1402/13/01"},
         r"from_date: '1402/13/01' is no day of the Jalali calendar \(month must be in 1..12\)"),
        ({"mode": "archive", "to_date": "1402/12/30"}, "to_date: '1402/12/30' is no day of the Jalali calendar"),
        ({"mode": "archive", "from_date": "2023-11-01"}, "is not a Jalali date YYYY/MM/DD"),
        ({"mode": "archive", "from_date": "1402/09/01", "to_date": "1402/08/01"},
         "from_date 1402/09/01 is after to_date 1402/08/01"),
        ({"mode": "archive", "days": "three"}, "days: 'three' is not a whole number of days"),
        ({"mode": "archive", "days": "-3"}, "days: '-3' is not a whole number"),
        ({"mode": "archive", "days": "3", "from_date": "1402/01/01"}, "give either -a days= or -a from_date="),
        ({"mode": "archive", "service_id": "news"}, "service_id: 'news' is not a number"),
        ({"feeds": "1/../x"}, "feeds: '1/../x' is not a feed"),
        ({"mode": "urls", "urls_file": "/no/such/urls.txt"}, "urls_file: /no/such/urls.txt does not exist"),
        ({"mode": "urls", "urls": "https://www.tabnak.ir/fa/news/1"},
         r"urls: https://www.tabnak.ir/fa/news/1 is not a page of asriran \(asriran.com, asriran.ir\)"),
        ({"mode": "urls", "urls": "ftp://www.asriran.com/fa/news/1"}, "is not an http"),
        ({"mode": "urls", "urls": "fa/news/1"}, "is neither a URL nor a path"),
        ({"base_url": "ftp://127.0.0.1"}, "base_url: 'ftp://127.0.0.1' is not an http"),
        ({"base_url": "127.0.0.1:8000"}, "base_url: '127.0.0.1:8000' is not an http"),
        ({"refresh": "maybe"}, "refresh: 'maybe' is not 1 or 0"),
        ({"mode": "files", "path": "/no/such/pages/*.html"}, "path: /no/such/pages/"),
        ({"mode": "files"}, r"mode=files needs -a path=DIR_OR_GLOB"),  # no default: the package never reads fixtures/
    ],
)
def test_bad_arguments_are_one_line_errors(given, message):
    with pytest.raises(BadArgument, match=message) as error:
        parse(**given)
    assert "\n" not in str(error.value)


def test_scrapyd_job_id_is_accepted_and_kept_for_the_spider():
    assert parse(_job="abc123").runner == {"_job": "abc123"}
