"""Where a run keeps its state: STATE_DIR follows OUTPUT_DIR unless set, and relative paths are taken
from the command's working directory once, when the crawl starts."""

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.state import StateStore
from tests.conftest import MIRROR_SETTINGS, article_pages, run

GOOD = len(article_pages("asriran"))


def rss_run(cwd, base_url, *settings):
    cwd.mkdir(parents=True, exist_ok=True)
    command = ["-m", "scrapy", "crawl", "asriran", "-a", f"base_url={base_url}"]
    for setting in (*MIRROR_SETTINGS, *settings):
        command += ["-s", setting]
    result = run(*command, cwd=cwd)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_the_state_follows_output_dir_whatever_the_working_directory(tmp_path):
    output = tmp_path / "data"
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        rss_run(tmp_path / "one", mirror.base_url, f"OUTPUT_DIR={output}")
        second = rss_run(tmp_path / "two", mirror.base_url, f"OUTPUT_DIR={output}")
    store = StateStore(output / "state" / "state.sqlite3")
    assert store.count() == GOOD
    store.close()
    assert not (tmp_path / "one" / "output").exists() and not (tmp_path / "two" / "output").exists()
    assert "0 written" in second.stderr and f"skipped as known {GOOD + 5} " in second.stderr


def test_relative_paths_are_taken_from_the_working_directory(tmp_path):
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        result = rss_run(tmp_path / "srv", mirror.base_url, "OUTPUT_DIR=out", "STATE_DIR=../shared-state")
    assert (tmp_path / "shared-state" / "state.sqlite3").exists()
    [articles] = [p for p in (tmp_path / "srv" / "out" / "asriran").glob("*/*.jsonl")
                  if not p.name.endswith(".quarantine.jsonl")]
    assert f"report: {tmp_path / 'srv' / 'out' / 'asriran'}/" in result.stderr  # named absolute
    assert len(articles.read_text(encoding="utf-8").splitlines()) == GOOD


def test_a_run_is_named_by_its_start_and_kind_one_way_for_crawls_and_reparses(tmp_path):
    import re
    from datetime import UTC, datetime

    from newscrawl.output.paths import run_name
    from newscrawl.replay.reparse import default_output

    started = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    day, run_id = run_name("rss", started)
    assert day == "2026-01-02" and re.fullmatch(r"20260102T030405Z-rss-[0-9a-f]{6}", run_id)
    assert run_name("rss", started)[1] != run_id  # unique for runs started in the same second
    output = default_output(tmp_path, "asriran", started)
    assert output.parent == tmp_path / "asriran" / "2026-01-02"
    assert re.fullmatch(r"20260102T030405Z-reparse-[0-9a-f]{6}\.jsonl", output.name)
