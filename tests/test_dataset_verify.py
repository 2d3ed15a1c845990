"""dataset verify on partitions that no build of ours writes: one line of problem each, no traceback."""

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawl.dataset.build import build
from newscrawl.dataset.verify import verify
from tests.conftest import run
from tests.test_dataset import fixture_articles, write_run


def test_rows_without_a_news_id_are_a_problem_not_a_crash(tmp_path):
    runs, out = tmp_path / "output", tmp_path / "ds"
    write_run(runs, "20260101T000000Z-archive-aaaaaa", fixture_articles())
    build(out, runs)
    part = max((out / "latest").rglob("*.parquet"), key=lambda p: pq.read_metadata(p).num_rows)
    table = pq.read_table(part)
    ids = table.column("news_id").to_pylist()
    assert len(ids) >= 2
    ids[0], ids[1] = None, 999999  # a row without an id, and one no run wrote
    column = table.column_names.index("news_id")
    pq.write_table(table.set_column(column, table.schema.field("news_id"), pa.array(ids, pa.int64())), part)

    problems, _ = verify(out, runs, tmp_path / "no-state")
    relative = part.relative_to(out).as_posix()
    assert f"{relative}: 1 rows without a news_id" in problems
    assert any("not in the run files: 999999" in p for p in problems), problems
    result = run("-m", "newscrawl", "dataset", "verify", str(out), "--runs", str(runs), "--state",
                 str(tmp_path / "no-state"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"PROBLEM: {relative}: 1 rows without a news_id" in result.stderr
