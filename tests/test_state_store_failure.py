"""A state store that cannot be opened is exit code 7 and one line, before anything is crawled: not
a traceback, and not a run that fetches and writes everything again."""

from newscrawl.mirror.server import running_mirror
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import run, scheduled_command


def test_a_corrupt_state_store_is_exit_7_and_nothing_is_crawled(tmp_path):
    state = tmp_path / "state" / "state.sqlite3"
    state.parent.mkdir()
    state.write_bytes(b"this is not an SQLite database, it was overwritten by accident\n" * 20)
    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        result = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}"), cwd=tmp_path)
        hits = sum(mirror.requests.values())
        state.unlink()  # moved aside: the next run rebuilds it from the run files (there are none)
        rerun = run(*scheduled_command(tmp_path, f"base_url={mirror.base_url}"), cwd=tmp_path)
    assert rerun.returncode == 0 and mirror.requests["/fa/rss/allnews"] == 1
    assert result.returncode == 7
    [line] = result.stderr.splitlines()
    assert line.startswith(f"scrapy crawl: state_failed: the state store {state} cannot be used: ")
    assert line.endswith("file is not a database (restore it, or move it aside: the next run rebuilds it from the "
                         "run files under OUTPUT_DIR)")
    assert hits == 0
