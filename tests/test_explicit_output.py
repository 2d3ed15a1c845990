"""-o/-O FILE means what it says: the file exists after the run (empty when nothing was found), and
in ids/urls modes it holds every article asked for, whatever earlier runs wrote. Runs without -o/-O
(scheduled runs, their own files) keep skipping known articles, and every article skipped as known
is counted in the summary with the way to fetch it anyway."""

import json
import os

import pytest

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from tests.conftest import article_pages, crawl, read_jsonl, run, run_files, scheduled_command

FIXTURES = FIXTURES_DIR / "asriran"
GOOD = sorted(load_expected(p)["news_id"] for p in article_pages("asriran"))
SKIP_LINE = "skipped as known {n} (written or tried by earlier runs; to fetch them anyway: -a skip_known=0)"


@pytest.fixture(scope="module")
def mirror():
    with running_mirror(FIXTURES) as server:
        yield server


def twice(tmp_path, *args):
    """The same -O crawl twice, sharing one state store."""
    state = f"STATE_DIR={tmp_path / 'state'}"
    first = crawl(tmp_path / "first", *args, settings=(state,))
    second = crawl(tmp_path / "second", *args, settings=(state,))
    assert first.returncode == 0 and second.returncode == 0, second.log[-2000:]
    return first, second


def test_ids_with_O_twice_writes_both_articles_both_times(mirror, tmp_path):
    first, second = twice(tmp_path, "mode=ids", "ids=1077602,719860", f"base_url={mirror.base_url}")
    assert first.ids == second.ids == [719860, 1077602]
    assert "newscrawl/skipped_known" not in second.stats and "newscrawl/already_written" not in second.stats


def test_urls_with_O_twice_writes_the_article_both_times(mirror, tmp_path):
    first, second = twice(tmp_path, "mode=urls", "urls=https://www.asriran.com/fa/news/917512/x",
                          f"base_url={mirror.base_url}")
    assert first.ids == second.ids == [917512]


def test_rss_with_O_on_an_unchanged_site_leaves_an_empty_file_and_says_what_it_skipped(mirror, tmp_path):
    _, second = twice(tmp_path, f"base_url={mirror.base_url}")
    out = tmp_path / "second" / "items.jsonl"
    assert out.exists() and out.read_bytes() == b""
    skipped = len(GOOD) + 3 + 2  # written, quarantined and missing pages are known
    assert second.stats["newscrawl/skipped_known"] == skipped
    assert SKIP_LINE.format(n=skipped) in second.log


def test_skip_known_0_fetches_and_writes_known_articles_in_any_mode(mirror, tmp_path):
    _, second = twice(tmp_path, "skip_known=0", f"base_url={mirror.base_url}")
    assert second.ids == GOOD


def test_scheduled_ids_runs_keep_skipping_known_articles(mirror, tmp_path):
    command = scheduled_command(tmp_path, "mode=ids", "ids=1077602,719860", f"base_url={mirror.base_url}")
    assert run(*command, cwd=tmp_path).returncode == 0
    second = run(*command, cwd=tmp_path)
    assert second.returncode == 0
    assert len(run_files(tmp_path)) == 1  # the second run wrote no file
    # the newest report (two runs in one second have names that do not sort by time)
    newest = max((tmp_path / "output" / "asriran").glob("*/*.report.json"), key=lambda p: p.stat().st_mtime_ns)
    report = json.loads(newest.read_text(encoding="utf-8"))
    assert report["skipped_known"] == 2 and report["items_written"] == 0
    assert SKIP_LINE.format(n=2) in second.stderr


# -- the -o/-O file is held before it is touched (newscrawl.output.jsonl.hold_output) ------------------

COMMAND = {"spider": "asriran", "args": {"mode": "archive"}}


def left_by_a_killed_run(out, command):
    """`out.part` as a run killed mid-line leaves it: two whole lines and a torn one, and its owner file."""
    part = out.with_name(out.name + ".part")
    part.write_bytes(b'{"site": "asriran", "news_id": 1}\n{"site": "asriran", "news_id": 2}\n{"site": "asr')
    part.with_name(part.name + ".run").write_text(json.dumps({"pid": 1, "command": command}), encoding="utf-8")
    return part


def test_a_part_of_the_same_command_is_adopted_without_its_torn_line_and_not_written_twice(tmp_path):
    from newscrawl.output.jsonl import NotAdopted, hold_output, release_output

    out = tmp_path / "archive.jsonl"
    part = left_by_a_killed_run(out, COMMAND)
    held = hold_output(out, overwrite=True, command=COMMAND)
    try:
        assert held.adopted == {("asriran", 1), ("asriran", 2)}
        assert part.read_bytes().endswith(b'"news_id": 2}\n')  # the torn line cut
        adopted = NotAdopted({"newscrawl_output": str(out)})
        assert not adopted.accepts({"site": "asriran", "news_id": 2})
        assert adopted.accepts({"site": "asriran", "news_id": 3})
    finally:
        release_output(held)
    assert [item["news_id"] for item in read_jsonl(out)] == [1, 2]
    assert not list(tmp_path.glob("*.part*"))


def test_a_part_of_another_command_is_set_aside_whole_not_adopted_nor_dropped(tmp_path):
    from newscrawl.output.jsonl import hold_output, release_output

    out = tmp_path / "archive.jsonl"
    left_by_a_killed_run(out, {"spider": "asriran", "args": {"mode": "rss"}})
    held = hold_output(out, overwrite=True, command=COMMAND)
    release_output(held)
    [aside] = tmp_path.glob("archive.orphan-*.jsonl")
    assert [item["news_id"] for item in read_jsonl(aside)] == [1, 2]
    assert held.adopted == set() and out.read_bytes() == b""


def test_a_run_appending_with_o_and_one_overwriting_with_O_exclude_each_other(tmp_path):
    """`-o` on an existing file appends to the file itself, yet holds the part's lock too: an `-O` run
    renaming its part over the file meanwhile would lose the appended lines."""
    from newscrawl.output.jsonl import hold_output, release_output

    out = tmp_path / "latest.jsonl"
    out.write_bytes(b'{"site": "asriran", "news_id": 1}\n')
    held = hold_output(out, overwrite=False, command=COMMAND)
    try:
        assert held.append
        other = run("-c", "import sys\nfrom newscrawl.exceptions import Busy\n"
                    "from newscrawl.output.jsonl import hold_output\n"
                    f"try: hold_output({str(out)!r}, overwrite=True)\nexcept Busy as exc: sys.exit(str(exc))")
    finally:
        release_output(held)
    assert other.returncode == 1 and f"{out} is in use by another live run (pid {os.getpid()})" in other.stderr
    assert out.read_bytes() == b'{"site": "asriran", "news_id": 1}\n' and not list(tmp_path.glob("*.part*"))


def test_an_O_file_that_cannot_be_written_is_one_line_and_exit_6_before_anything_is_crawled(tmp_path):
    (tmp_path / "a-file").write_text("")
    unwritable = tmp_path / "a-file" / "out.jsonl"
    done = run(*scheduled_command(tmp_path, "base_url=http://127.0.0.1:9"), "-O", str(unwritable), cwd=tmp_path)
    assert done.returncode == 6 and len(done.stderr.strip().splitlines()) == 1, done.stderr[-2000:]
    assert "write_failed" in done.stderr and "nothing was crawled" in done.stderr
    assert not (tmp_path / "output").exists()


def test_an_ad_hoc_export_without_a_run_file_records_nothing(mirror, tmp_path):
    """`-s RUN_OUTPUT_PATH=`: no run file, so nothing in the state store; the next scheduled run
    writes every article (its run file is what the dataset reads)."""
    ad_hoc = crawl(tmp_path, f"base_url={mirror.base_url}", settings=("RUN_OUTPUT_PATH=",))
    assert ad_hoc.returncode == 0 and ad_hoc.ids == GOOD
    assert run_files(tmp_path) == [] and "records none of this run's articles" in ad_hoc.log
    scheduled = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}"), cwd=tmp_path)
    assert scheduled.returncode == 0, scheduled.stderr[-2000:]
    assert sorted(item["news_id"] for path in run_files(tmp_path) for item in read_jsonl(path)) == GOOD
