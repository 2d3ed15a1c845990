"""An incremental build works out again only the stories its new lines can change (issue 22): those
of the touched articles now and before, not every story of the dataset. That it gives what a full
build gives is tests/test_stories.py::test_an_incremental_build_gives_what_a_full_build_gives."""

from __future__ import annotations

import sqlite3

from newscrawl.dataset.build import build
from tests.test_stories import as_line, labelled, story_columns, write_runs


def test_a_rebuild_leaves_the_stories_its_lines_cannot_reach(tmp_path):
    articles = labelled()
    runs, out = tmp_path / "output", tmp_path / "ds"
    write_runs(runs, "20260101T000000Z-archive-aaaaaa", [as_line(a) for a in articles])
    build(out, runs)
    full = story_columns(out)
    shared = [k for k, (story, _) in full.items() if sum(s == story for s, _ in full.values()) > 1]
    far, near = shared[0], next(k for k in shared if full[k][0] != full[shared[0]][0])
    # A mark the rebuild would wipe if it worked out the far article's story again.
    index = sqlite3.connect(out / ".build" / "index.sqlite3")
    with index:
        index.execute("UPDATE story_articles SET story='untouched' WHERE site=? AND news_id=?", far)
    index.close()
    refreshed = next(a for a in articles if (a["site"], a["news_id"]) == near)
    write_runs(runs, "20260102T000000Z-archive-bbbbbb",
               [as_line(refreshed, "2026-01-02T00:00:00Z", title="ویرایش")], day="2026-01-02")
    result = build(out, runs)
    index = sqlite3.connect(out / ".build" / "index.sqlite3")
    stories = dict(((site, news_id), story) for site, news_id, story in
                   index.execute("SELECT site, news_id, story FROM story_articles"))
    index.close()
    assert stories[far] == "untouched"
    assert stories[near] == full[near][0]  # worked out again: the same story
    assert result.stories is not None and result.stories["articles_in_shared_stories"] == len(shared)
