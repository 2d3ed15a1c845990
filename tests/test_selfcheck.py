"""`python -m newscrawl selfcheck`: the feed's newest articles through the crawl's spider, every
field with its source, non-zero when a required field is empty. Against mirrors on 127.0.0.1 only."""

import shutil
import socket

from newscrawl import exit_codes
from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import run

GOOD_IDS = (1077602, 917512, 719860)


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


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



# -- issue 19: gone articles, an unreachable site, many sites -------------------------------------------

GONE_IDS = (1999991, 1999992, 1999993)  # no page in the folder: the mirror answers 404


def _folder(tmp_path, name, site, page_ids, feed_ids):
    """A mirror folder of `site` with the fixture pages `page_ids` and a feed naming `feed_ids`."""
    folder = tmp_path / name
    (folder / "news").mkdir(parents=True)
    (folder / "rss").mkdir()
    for news_id in page_ids:
        shutil.copy(FIXTURES_DIR / f"{site}/news/{news_id}.html", folder / f"news/{news_id}.html")
    host = {"asriran": "www.asriran.com", "tabnak": "www.tabnak.ir", "entekhab": "www.entekhab.ir"}[site]
    (folder / "rss/allnews.xml").write_text(_feed(feed_ids).replace("www.asriran.com", host), encoding="utf-8")
    return folder


def test_an_article_the_site_answers_404_for_is_skipped_named_and_the_next_of_the_feed_taken(tmp_path):
    folder = _folder(tmp_path, "site", "asriran", GOOD_IDS,
                     (GONE_IDS[0], GOOD_IDS[0], GONE_IDS[1], GOOD_IDS[1], GOOD_IDS[2]))
    result = _selfcheck(folder, "-n", "3")
    assert result.returncode == exit_codes.OK, result.stdout + result.stderr
    for news_id in GONE_IDS[:2]:
        assert (f"skipped https://www.asriran.com/fa/news/{news_id}: gone (the site answered 404); took the next "
                "article of the feed instead") in result.stdout
    assert "3 article(s) checked, 0 with a required field empty" in result.stdout  # the 3 good ones, all read
    assert "0 feed article(s) not read as an article, 2 gone (skipped)" in result.stdout
    assert "MISSING" not in result.stdout and result.stderr == ""


def test_a_feed_whose_articles_are_all_gone_says_the_site_answered_not_that_it_is_unreachable(tmp_path, monkeypatch):
    folder = _folder(tmp_path, "site", "asriran", (), GONE_IDS)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))  # where its scratch run files go, and are removed
    result = _selfcheck(folder, "-n", "2")
    assert list((tmp_path / "tmp").iterdir()) == []
    assert result.returncode == exit_codes.NOTHING_CHECKED == 10, result.stdout + result.stderr
    assert result.stderr == ("selfcheck: the site answered, but the 3 article(s) of its feed asked for are all gone "
                             "(404 or its not-found page): nothing to check; try again later or with a larger -n\n")
    assert "reachable" not in result.stdout + result.stderr and "markup" not in result.stderr
    assert result.stdout.count("skipped https://www.asriran.com/fa/news/") == 3


def test_an_unreachable_site_is_exit_4_with_its_cause_never_a_markup_problem():
    port = closed_port_url()
    result = run("-m", "newscrawl", "selfcheck", "--site", "asriran", "--base-url", port, "-s", "RETRY_TIMES=0",
                 timeout=180)
    assert result.returncode == exit_codes.UNREACHABLE, result.stdout + result.stderr
    host = port.removeprefix("http://")
    assert (f"selfcheck: the site is unreachable: connection refused ({host}); nothing was checked "
            "(python -m newscrawl preflight)") in result.stderr.splitlines()
    assert "markup" not in result.stderr and "Traceback" not in result.stderr


def test_selfcheck_of_several_sites_at_once_gives_each_its_verdict_and_the_most_serious_exit(tmp_path):
    asriran = _folder(tmp_path, "asriran", "asriran", GOOD_IDS, (GONE_IDS[0], *GOOD_IDS))
    tabnak = _folder(tmp_path, "tabnak", "tabnak", (818300,), (818300,))
    entekhab = _folder(tmp_path, "entekhab", "entekhab", (), GONE_IDS[:2])
    unreachable = closed_port_url()
    with running_mirror(asriran) as a, running_mirror(tabnak, site="tabnak") as t, \
            running_mirror(entekhab, site="entekhab") as e:
        result = run("-m", "newscrawl", "selfcheck", "--sites", "asriran,entekhab,tabnak,yjc", "-n", "2",
                     "--base-url", f"asriran={a.base_url}", "--base-url", f"tabnak={t.base_url}",
                     "--base-url", f"entekhab={e.base_url}", "--base-url", f"yjc={unreachable}",
                     "-s", "RETRY_TIMES=0", timeout=240)
    assert result.returncode == exit_codes.UNREACHABLE, result.stdout + result.stderr  # the most serious of all
    verdicts = result.stdout[result.stdout.index("\nsite "):].splitlines()[2:]
    assert [line.split()[0:2] for line in verdicts] == [["asriran", "ok:"], ["entekhab", "exit"], ["tabnak", "ok:"],
                                                         ["yjc", "exit"]]
    assert verdicts[1].startswith("entekhab                exit 10: the site answered, but the 2 article(s)")
    assert verdicts[3].startswith("yjc                     exit 4: the site is unreachable: connection refused")
    assert "#### tabnak\n== https://www.tabnak.ir/fa/news/818300 " in result.stdout
    assert "skipped https://www.asriran.com/fa/news/1999991: gone (the site answered 404)" in result.stdout
    assert "selfcheck: yjc: the site is unreachable" in result.stderr
    assert "selfcheck: entekhab: the site answered" in result.stderr and "markup" not in result.stderr


def test_selfcheck_refuses_an_unknown_site_with_2():
    result = run("-m", "newscrawl", "selfcheck", "--sites", "asriran,nosuchsite")
    assert result.returncode == exit_codes.USAGE
    assert result.stderr.startswith("newscrawl selfcheck: --sites: 'nosuchsite' is neither a site nor a group;")
