"""dataset build / verify / gaps: one dataset from many run files, loadable where people work."""

import json
import os
import re
import shutil
import sqlite3
from collections import Counter
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscrawl.dataset import schema as dataset_schema
from newscrawl.dataset.build import build
from newscrawl.dataset.gaps import gaps, ids_argument
from newscrawl.dataset.verify import verify
from newscrawl.items import EXPORT_FIELDS
from newscrawl.replay.fixtures import load_expected
from newscrawl.run.args import parse_ids
from newscrawl.sites.iransamaneh.article import PARSER_RELEASE
from tests.conftest import article_pages, read_jsonl, run

ZWNJ = "\u200c"
# Hugging Face libraries read these when imported: no request ever leaves this machine from a test.
for _name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
    os.environ.setdefault(_name, "1")


def fixture_articles() -> list[dict]:
    """The real fixture articles as a run writes them (every field, a crawl time)."""
    items = []
    for page in article_pages():
        item = load_expected(page)
        item["crawled_at"] = "2026-01-01T00:00:00Z"
        items.append({name: item[name] for name in EXPORT_FIELDS})
    return items


def write_run(runs, run_id, items, site="asriran", day="2026-01-01"):
    path = runs / site / day / f"{run_id}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


@pytest.fixture
def runs(tmp_path):
    """Two runs: every fixture article, then a refresh of two of them (changed title, later crawl)."""
    root = tmp_path / "output"
    articles = fixture_articles()
    write_run(root, "20260101T000000Z-archive-aaaaaa", articles)
    refreshed = []
    for item in articles[:2]:
        item = dict(item, title=item["title"] + " (به‌روز شده)", crawled_at="2026-01-02T00:00:00Z")
        refreshed.append(item)
    # the same content crawled again later: no new version
    refreshed.append(dict(articles[2], crawled_at="2026-01-02T00:00:00Z"))
    write_run(root, "20260102T000000Z-archive-bbbbbb", refreshed, day="2026-01-02")
    return root


def latest_expected(root) -> dict:
    out = {}
    for path in sorted(root.rglob("*.jsonl")):
        for item in read_jsonl(path):
            key = (item["site"], item["news_id"])
            if key not in out or item["crawled_at"] >= out[key]["crawled_at"]:
                out[key] = item
    return out


def as_json_value(name, value):
    """A Parquet value back in its JSON lines form."""
    if name in dataset_schema.TIMESTAMP_ZONES and value is not None:
        text = value.isoformat()
        return text.replace("+00:00", "Z") if name == "crawled_at" else text
    return value


# -- the schema ------------------------------------------------------------------------------------

def test_the_arrow_schema_has_exactly_the_json_schemas_fields_in_the_exported_order():
    properties = dataset_schema.load()["properties"]
    schema = dataset_schema.arrow_schema()
    assert schema.names == list(properties) == list(EXPORT_FIELDS)
    assert schema.field("news_id").type == pa.int64()
    assert schema.field("published_at").type == pa.timestamp("ms", tz="Asia/Tehran")
    assert schema.field("crawled_at").type == pa.timestamp("ms", tz="UTC")
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("images").type == pa.list_(pa.struct([("url", pa.string()), ("caption", pa.string())]))
    assert schema.field("comments").type.value_type.field("reply_to").type == pa.int64()
    assert schema.field("comments").type.value_type.field("published_at").type == pa.string()


def test_the_json_schema_is_read_in_one_place_for_validation_and_the_dataset():
    from newscrawl import schema
    from newscrawl.pipelines import validation

    assert schema.load() is schema.load() is dataset_schema.load()
    assert validation._SCHEMA_VALIDATOR._schema is schema.load()
    assert schema.load()["properties"]["news_id"]["type"] == "integer"


def test_a_field_added_to_the_json_schema_is_a_column_and_an_unmappable_one_fails(monkeypatch):
    base = dataset_schema.load()
    extended = json.loads(json.dumps(base))
    extended["properties"]["field_sources"] = {"type": "object", "properties": {
        "title": {"type": ["string", "null"]}, "count": {"type": "integer"}}}
    monkeypatch.setattr(dataset_schema, "load", lambda: extended)
    dataset_schema.arrow_schema.cache_clear()
    try:
        assert dataset_schema.arrow_schema().field("field_sources").type == pa.struct(
            [("title", pa.string()), ("count", pa.int64())])
        extended["properties"]["anything"] = {"type": "object"}
        dataset_schema.arrow_schema.cache_clear()
        with pytest.raises(TypeError, match="anything"):
            dataset_schema.arrow_schema()
    finally:
        dataset_schema.arrow_schema.cache_clear()


def test_the_cards_features_are_what_hugging_face_reads_from_the_arrow_schema():
    from datasets import Features

    features = Features.from_arrow_schema(dataset_schema.dataset_schema())
    assert Features._from_yaml_list(dataset_schema.hf_features()) == features


# -- build -----------------------------------------------------------------------------------------

def test_build_keeps_the_latest_version_and_earlier_distinct_ones(runs, tmp_path):
    out = tmp_path / "ds"
    result = build(out, runs)
    expected = latest_expected(runs)
    assert result.rows == {"latest": len(expected), "versions": 2}
    latest = pq.read_table(out / "latest").to_pylist()
    assert len(latest) == len({(r["site"], r["news_id"]) for r in latest}) == len(expected)
    versions = pq.read_table(out / "versions").to_pylist()
    assert all(" (به‌روز شده)" not in v["title"] for v in versions)
    refreshed = {v["news_id"] for v in versions}
    for row in latest:
        if row["news_id"] in refreshed:
            assert row["title"].endswith(" (به‌روز شده)")
    # partitioned by site and month of publication, rows by news_id
    for path in (out / "latest").rglob("*.parquet"):
        table = pq.read_table(path).to_pylist()
        assert {r["site"] for r in table} == {path.parent.name}
        assert {r["published_at"].strftime("%Y-%m") for r in table} == {path.stem}
        assert [r["news_id"] for r in table] == sorted(r["news_id"] for r in table)
        assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"


def test_the_same_runs_give_the_same_bytes_and_the_manifest_says_which(runs, tmp_path):
    build(tmp_path / "one", runs)
    build(tmp_path / "two", runs)
    one = json.loads((tmp_path / "one" / "manifest.json").read_text())
    two = json.loads((tmp_path / "two" / "manifest.json").read_text())
    assert one["files"] == two["files"]
    for relative, entry in one["files"].items():
        assert pq.ParquetFile(tmp_path / "one" / relative).metadata.num_rows == entry["rows"]
    assert (tmp_path / "one" / "README.md").read_bytes() == (tmp_path / "two" / "README.md").read_bytes()


def test_a_second_build_after_one_more_run_rewrites_only_the_partitions_it_touched(runs, tmp_path):
    out = tmp_path / "ds"
    build(out, runs)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    assert build(out, runs).partitions_written == []  # nothing new: nothing written
    article = fixture_articles()[0]
    new = dict(
        article,
        news_id=article["news_id"] + 1,
        url=article["url"].rsplit("/", 1)[0] + f"/{article['news_id'] + 1}",
        crawled_at="2026-01-03T00:00:00Z",
    )
    write_run(runs, "20260103T000000Z-rss-cccccc", [new], day="2026-01-03")
    result = build(out, runs)
    month = article["published_at"][:7]
    # that month's partition (both its tables), nothing else
    assert {p.rsplit("/", 1)[1] for p in result.partitions_written} == {f"{month}.parquet"}
    assert result.files_read == 1 and result.lines_read == 1
    for path, mtime in before.items():
        if path.stem != month:
            assert path.stat().st_mtime_ns == mtime
    # the incremental result is the full build's, byte for byte
    build(tmp_path / "full", runs)
    assert (json.loads((out / "manifest.json").read_text())["files"]
            == json.loads((tmp_path / "full" / "manifest.json").read_text())["files"])


def test_an_article_whose_date_was_corrected_moves_partition(runs, tmp_path):
    out = tmp_path / "ds"
    build(out, runs)
    article = fixture_articles()[0]
    moved = dict(article, published_at="2010-01-15T10:00:00+03:30", crawled_at="2026-01-05T00:00:00Z")
    write_run(runs, "20260105T000000Z-rss-dddddd", [moved], day="2026-01-05")
    result = build(out, runs)
    assert "latest/asriran/2010-01.parquet" in result.partitions_written
    ids = pq.read_table(out / "latest").column("news_id").to_pylist()
    assert ids.count(article["news_id"]) == 1
    assert verify(out, runs, tmp_path / "no-state")[0] == []


def test_a_reparse_of_the_same_fetch_wins_over_the_original(runs, tmp_path):
    article = fixture_articles()[5]
    # same crawled_at (the time of the fetch), a later run file, a new parser release
    fixed = dict(article, lead="خلاصه‌ی درست", parser_version="iransamaneh/2:2023")
    write_run(runs, "20260201T000000Z-reparse-eeeeee", [fixed], day="2026-02-01")
    out = tmp_path / "ds"
    build(out, runs)
    [row] = [r for r in pq.read_table(out / "latest").to_pylist() if r["news_id"] == article["news_id"]]
    assert row["lead"] == "خلاصه‌ی درست" and row["parser_version"] == "iransamaneh/2:2023"


def test_site_selection_builds_only_those_sites(runs, tmp_path):
    out = tmp_path / "ds"
    build(out, runs, sites=["yjc"])
    sites = set(pq.read_table(out / "latest").column("site").to_pylist())
    assert sites == {"yjc"}
    assert not (out / "latest" / "asriran").exists()


# -- the card --------------------------------------------------------------------------------------

def test_the_card_is_a_hugging_face_card_with_counts_coverage_releases_and_a_chart(runs, tmp_path):
    import yaml
    from PIL import Image

    out = tmp_path / "ds"
    build(out, runs)
    text = (out / "README.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert meta["language"] == ["fa"]
    assert meta["configs"][0]["data_files"] == [{"split": "train", "path": "latest/*/*.parquet"}]
    assert meta["dataset_info"][0]["features"] == dataset_schema.hf_features()
    expected = latest_expected(runs)
    per_site = {s: sum(1 for k in expected if k[0] == s) for s in {k[0] for k in expected}}
    for site, count in per_site.items():
        assert re.search(rf"^\| {site} \| [^|]* \| [^|]* \| {count} \|", body, re.M), site
    assert f"| iransamaneh/{PARSER_RELEASE}:2023 |" in body and "| tags |" in body
    with Image.open(out / "articles_per_month.png") as chart:
        assert chart.format == "PNG" and chart.size[0] >= 800


# -- loads where people work -----------------------------------------------------------------------

def _compare(rows, expected):
    assert len(rows) == len(expected)
    zwnj = 0
    for row in rows:
        item = expected[(row["site"], row["news_id"])]
        for name in EXPORT_FIELDS:
            assert as_json_value(name, row[name]) == item[name], name
        zwnj += ZWNJ in row["body"]
    assert zwnj  # Persian text with its zero-width non-joiners, unchanged


@pytest.fixture
def built(runs, tmp_path):
    out = tmp_path / "ds"
    build(out, runs)
    return out, latest_expected(runs)


def test_hugging_face_datasets_loads_it_as_the_json_lines(built, tmp_path):
    from datasets import load_dataset

    out, expected = built
    cache = str(tmp_path / "hf-cache")
    articles = load_dataset("parquet", data_dir=str(out / "latest"), split="train", cache_dir=cache)
    _compare([_plain(r) for r in articles], expected)
    # and by the card's configs, as from the Hub
    assert load_dataset(str(out), split="train", cache_dir=cache).num_rows == len(expected)
    assert load_dataset(str(out), "versions", split="train", cache_dir=cache).num_rows == 2


def _plain(row):
    """datasets gives timestamps as datetimes (or pandas Timestamps): compare as the JSON does."""
    return {k: (v.to_pydatetime() if hasattr(v, "to_pydatetime") else v) for k, v in row.items()}


def test_duckdb_reads_it_as_the_json_lines(built):
    import duckdb

    out, expected = built
    db = duckdb.connect()
    db.execute("SET TimeZone = 'UTC'")
    table = db.sql(f"SELECT * FROM read_parquet('{out}/latest/*/*.parquet')").to_arrow_table()
    _compare(table.cast(dataset_schema.dataset_schema()).to_pylist(), expected)
    dupes = db.execute(
        f"SELECT count(*) - count(DISTINCT (site, news_id)) FROM read_parquet('{out}/latest/*/*.parquet')"
    )
    assert dupes.fetchone()[0] == 0


def test_pandas_reads_it_as_the_json_lines(built):
    import pandas as pd

    out, expected = built
    frame = pd.read_parquet(out / "latest")
    assert str(frame["published_at"].dtype) == "datetime64[ms, Asia/Tehran]"
    rows = []
    for record in frame.to_dict("records"):
        row = {}
        for name, value in record.items():
            if hasattr(value, "tolist"):
                value = value.tolist()
            row[name] = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
            if (
                name not in dataset_schema.TIMESTAMP_ZONES
                and not isinstance(row[name], (list, str, int))
                and pd.isna(row[name])
            ):
                row[name] = None
        rows.append(row)
    _compare(rows, expected)


# -- verify ----------------------------------------------------------------------------------------

def state_store(path, keys):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE articles (site TEXT, news_id INTEGER, url TEXT, content_hash TEXT, first_seen TEXT, "
               "last_seen TEXT, PRIMARY KEY (site, news_id))")
    db.executemany("INSERT INTO articles VALUES (?, ?, '', '', '', '')", keys)
    db.commit()
    db.close()


def test_verify_passes_a_fresh_build_and_agrees_with_the_state_store(built, runs, tmp_path):
    out, expected = built
    state = tmp_path / "state.sqlite3"
    state_store(state, list(expected))
    result = run("-m", "newscrawl", "dataset", "verify", str(out), "--runs", str(runs), "--state", str(state))
    assert result.returncode == 0, result.stderr
    assert "dataset verified" in result.stderr


def test_verify_lists_the_first_problems_and_exits_1(built, runs, tmp_path):
    out, expected = built
    state = tmp_path / "state.sqlite3"
    state_store(state, [*expected, ("asriran", 999999)])
    some = sorted((out / "latest" / "asriran").glob("*.parquet"))
    shutil.copy(some[0], some[0].with_name("1999-01.parquet"))  # a key twice, a file not in the manifest
    with some[1].open("ab") as handle:
        handle.write(b"x")  # checksum
    write_run(runs, "20260110T000000Z-rss-ffffff", [fixture_articles()[0]], day="2026-01-10")  # not built
    problems, _ = verify(out, runs, state)
    text = "\n".join(problems)
    assert "1999-01.parquet: not in the manifest" in text
    assert "twice in the latest table" in text
    assert f"{some[1].name}: checksum differs" in text
    assert "20260110T000000Z-rss-ffffff.jsonl is not in the dataset" in text
    assert re.search(r"in the state store \(not in the dataset: [0-9, ]*999999", text)
    result = run("-m", "newscrawl", "dataset", "verify", str(out), "--runs", str(runs), "--state", str(state))
    assert result.returncode == 1
    assert result.stderr.count("PROBLEM:") == len(problems)


def test_verify_checks_each_partition_against_its_manifest_entry_and_the_schema(built, runs, tmp_path):
    out, _ = built
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    files = manifest["files"]
    (out / "latest/asriran/2014-05.parquet").unlink()  # the article of versions/asriran/2014-05 ...
    (out / "latest/asriran/2014-12.parquet").write_bytes(b"not parquet")  # ... and of versions/.../2014-12
    files["latest/asriran/2015-03.parquet"]["rows"] = 7
    files["latest/asriran/2020-03.parquet"]["site"] = "tabnak"
    files["latest/asriran/2020-09.parquet"]["month"] = "1999-01"
    pq.write_table(pa.table({"site": ["yjc"]}), out / "latest/yjc/2019-07.parquet")
    path.write_text(json.dumps(manifest), encoding="utf-8")
    problems, _ = verify(out, runs, tmp_path / "no-state")
    assert "latest/asriran/2014-05.parquet: listed in the manifest but missing" in problems
    assert "latest/asriran/2014-12.parquet: checksum differs from the manifest" in problems
    assert [p for p in problems if p.startswith("latest/asriran/2014-12.parquet: not a readable Parquet file (")]
    assert "latest/asriran/2015-03.parquet: 1 rows, the manifest says 7" in problems
    assert "latest/asriran/2020-03.parquet: rows of sites ['asriran'] in the partition of tabnak" in problems
    assert "latest/asriran/2020-09.parquet: 2 rows published outside 1999-01" in problems
    assert [p for p in problems if p.startswith("latest/yjc/2019-07.parquet: schema differs from the JSON Schema's: "
                                                "no column ")]
    assert "versions of asriran: earlier versions of articles not in the latest table: 337590, 369845" in problems


# -- gaps ------------------------------------------------------------------------------------------

def test_gaps_are_the_ids_no_run_wrote_nor_found_missing_as_ranges_the_spider_takes(tmp_path):
    runs = tmp_path / "output"
    article = fixture_articles()[0]
    write_run(runs, "r1", [dict(article, news_id=i) for i in (10, 11, 14)])
    write_run(runs, "r2", [dict(article, news_id=i) for i in (18, 30)])
    report = runs / "asriran" / "2026-01-01" / "r2.report.json"
    report.write_text(json.dumps({"spider": "asriran", "missing_ids": [12, 19, 20, 21, 99]}))
    result = gaps(runs, "asriran")
    assert (result.lowest, result.highest, result.written, result.missing) == (10, 30, 5, 4)
    spec = ids_argument(result.ranges)
    assert spec == "13,15-17,22-29"
    assert parse_ids(spec) == [13, 15, 16, 17, *range(22, 30)]
    command = run("-m", "newscrawl", "dataset", "gaps", "--site", "asriran", "--runs", str(runs))
    assert command.returncode == 0 and command.stdout.strip() == spec
    assert "mode=ids" in command.stderr


def test_crawl_then_reparse_then_build_verifies_against_the_real_state_store(tmp_path):
    """The whole path: a scheduled crawl (run file, archive, state), a reparse of its archive into
    the same output folder, the dataset built from both, verified against the state store."""
    from newscrawl.mirror.server import running_mirror
    from newscrawl.replay.fixtures import FIXTURES_DIR
    from tests.conftest import run_files, scheduled_command

    with running_mirror(FIXTURES_DIR / "asriran") as mirror:
        crawled = run(*scheduled_command(tmp_path, "mode=archive", f"base_url={mirror.base_url}"), cwd=tmp_path)
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    [archive] = list((tmp_path / "output").rglob("*.warc.gz"))
    reparsed = run("-m", "newscrawl", "reparse", str(archive), "--output-dir", str(tmp_path / "output"))
    assert reparsed.returncode == 0, reparsed.stderr
    assert len(run_files(tmp_path)) == 2
    built = run(
        "-m", "newscrawl", "dataset", "build", "--out", str(tmp_path / "ds"), "--runs", str(tmp_path / "output")
    )
    assert built.returncode == 0, built.stderr
    summary = json.loads(built.stdout)
    assert summary["run_files_read"] == 2 and summary["rows"] == {"latest": 16, "versions": 0}
    verified = run("-m", "newscrawl", "dataset", "verify", str(tmp_path / "ds"), "--runs", str(tmp_path / "output"),
                   "--state", str(tmp_path / "state" / "state.sqlite3"))
    assert verified.returncode == 0, verified.stderr
    assert "note" not in verified.stderr  # the state store was compared
    # the reparse (a later run file, the same fetch times) is what the latest table holds
    [reparse_file] = [p for p in run_files(tmp_path) if "-reparse-" in p.name]
    assert sorted(r["news_id"] for r in read_jsonl(reparse_file)) == sorted(
        pq.read_table(tmp_path / "ds" / "latest").column("news_id").to_pylist())


def test_a_build_that_dies_half_way_is_finished_by_the_next(runs, tmp_path, monkeypatch):
    from newscrawl.dataset.build import DatasetBuilder

    written = DatasetBuilder._write_partition
    calls = []

    def dies_on_the_third(self, *args):
        calls.append(args)
        if len(calls) == 3:
            raise OSError("disk full")
        return written(self, *args)

    monkeypatch.setattr(DatasetBuilder, "_write_partition", dies_on_the_third)
    with pytest.raises(OSError):
        build(tmp_path / "ds", runs)
    monkeypatch.setattr(DatasetBuilder, "_write_partition", written)
    build(tmp_path / "ds", runs)
    build(tmp_path / "full", runs)
    assert (json.loads((tmp_path / "ds" / "manifest.json").read_text())["files"]
            == json.loads((tmp_path / "full" / "manifest.json").read_text())["files"])
    assert verify(tmp_path / "ds", runs, tmp_path / "no-state")[0] == []


def test_partition_statistics_count_what_is_filled(runs, tmp_path):
    from newscrawl.dataset.partition import partition_stats

    out = tmp_path / "ds"
    build(out, runs)
    table = pq.read_table(out / "latest")
    table = pa.concat_tables([table.slice(0, 5), table.slice(5)])  # several chunks, one with an offset
    rows = table.to_pylist()
    stats = partition_stats(table)
    for name in EXPORT_FIELDS:
        assert stats["filled"][name] == sum(1 for r in rows if r[name] not in (None, "", [])), name
    published = sorted(r["published_at"] for r in rows)
    assert datetime.fromisoformat(stats["first_published"]) == published[0]
    assert datetime.fromisoformat(stats["last_published"]) == published[-1]
    assert stats["parser_versions"] == dict(sorted(Counter(r["parser_version"] for r in rows).items()))


def test_each_build_publishes_a_new_generation_and_keeps_the_one_before(runs, tmp_path):
    """The README's paths lead through `.current` to one generation; a build switches it, keeps the
    generation before (whose untouched partitions are the same files, hard links) and drops older."""
    out = tmp_path / "ds"
    build(out, runs)
    assert os.readlink(out / ".current") == ".generations/1"
    assert all((out / name).is_symlink() for name in ("latest", "versions", "manifest.json", "README.md"))
    article = fixture_articles()[0]
    for n, day in enumerate(("2026-01-03", "2026-01-04"), start=1):
        write_run(runs, f"{day.replace('-', '')}T000000Z-rss-00000{n}", [dict(article, title=f"edit {n}",
                                                                            crawled_at=f"{day}T00:00:00Z")], day=day)
        build(out, runs)
    assert sorted(p.name for p in (out / ".generations").iterdir()) == ["2", "3"]
    assert os.readlink(out / ".current") == ".generations/3"
    month = article["published_at"][:7]
    untouched = [p.relative_to(out / ".generations" / "3") for p in (out / ".generations" / "3").rglob("*.parquet")
                 if p.stem != month]
    assert untouched
    for relative in untouched:
        inodes = {(out / ".generations" / n / relative).stat().st_ino for n in ("2", "3")}
        assert len(inodes) == 1
    assert verify(out, runs, tmp_path / "no-state")[0] == []


def test_a_dataset_built_before_generations_is_moved_into_the_first_one(runs, tmp_path):
    built = tmp_path / "built"
    build(built, runs)
    old = tmp_path / "old"  # the layout of earlier releases: real folders and files in DIR
    shutil.copytree(built / ".current", old)
    shutil.copytree(built / ".build", old / ".build")
    build(old, runs)
    assert (old / "latest").is_symlink() and os.readlink(old / ".current") == ".generations/0"
    assert sorted(pq.read_table(old / "latest").column("news_id").to_pylist()) == sorted(
        pq.read_table(built / "latest").column("news_id").to_pylist())
    assert verify(old, runs, tmp_path / "no-state")[0] == []


def test_the_card_says_sources_crawl_periods_terms_tehran_time_topics_and_days(runs, tmp_path):
    from newscrawl.dataset.card import FIELD_DOCS
    from newscrawl.sites.topics import TOPIC_NAMES

    out = tmp_path / "ds"
    build(out, runs)
    _, front, body = (out / "README.md").read_text(encoding="utf-8").split("---\n", 2)
    assert "license: \"unknown\"" in front
    # sources: asriran's row names the site, its address, its crawl period, its range in Tehran time and UTC
    row = next(line for line in body.splitlines() if line.startswith("| asriran |"))
    assert "| عصر ایران | https://www.asriran.com |" in row and "| 2026-01-01 to 2026-01-02 |" in row
    # the 2014 asriran article 337590: 1393/03/02 13:48 Tehran (+04:30) is 09:18 UTC
    assert "2014-05-23 13:48 Tehran (09:18 UTC)" in row
    # the terms: the text is the publishers', no license from us, what the user must check
    terms = body.split("## License and terms", 1)[1].split("\n## ", 1)[0]
    assert "no license" in terms and "What you must check" in terms and "robots.txt" in terms
    # what the runs did is not in their files: politeness is said as the defaults, not as a fact of these runs
    assert "By default newscrawl fetches" in terms and "cannot tell whether every run" in terms
    assert "The pages were fetched" not in terms
    # the topic distribution: every topic, its count among the latest rows, the rows with none
    latest = latest_expected(runs).values()
    topics = Counter(item["topic"] for item in latest)
    for name in TOPIC_NAMES:
        assert re.search(rf"^\| {name} \| [^|]+ \| {topics.get(name, 0)} \|", body, re.M), name
    assert re.search(rf"^\| \(null\) \| [^|]+ \| {topics[None]} \|", body, re.M)
    # one row per column, each described (a new field gets its row in card.FIELD_DOCS)
    assert list(FIELD_DOCS) == dataset_schema.dataset_schema().names
    assert "## Stories" in body and "articles make" in body
    assert all(FIELD_DOCS.values()) and "| topic | string |" in body
    # the Jalali column is normalized, not the page's text (that is published_raw)
    assert "Jalali wall-clock time, `1401-09-26T08:28:00`" in FIELD_DOCS["published_at_jalali"]
    # articles per day per site, as text: tabnak's 2018-07-21 article is a bar on day 21 of 2018-07
    tabnak = body.split("### tabnak", 1)[1].split("###", 1)[0]
    line = next(x for x in tabnak.splitlines() if x.startswith("2018-07 |"))
    bars = line.split("|")[1]
    assert bars[20] != " " and bars[:20].strip() == "" and line.endswith("| 1")


def test_the_tehran_day_of_an_instant_follows_the_offset_of_its_time():
    import numpy as np

    from newscrawl.dataset.card import tehran_and_utc
    from newscrawl.dataset.partition import tehran_days

    # 2021-06-01 19:29 UTC is 23:59 in Tehran (+04:30), 19:31 UTC is the next day; in 2023 (no DST
    # any more) 20:29 UTC is 23:59, 20:31 the next day
    stamps = ["2021-06-01T19:29:00+00:00", "2021-06-01T19:31:00+00:00", "2023-06-01T20:29:00+00:00",
              "2023-06-01T20:31:00+00:00"]
    instants = np.array([int(datetime.fromisoformat(s).timestamp()) * 1000 for s in stamps], dtype=np.int64)
    assert tehran_days(instants, 1000) == {"2021-06-01": 1, "2021-06-02": 1, "2023-06-01": 1, "2023-06-02": 1}
    assert tehran_and_utc("2023-06-01T20:31:00+00:00") == "2023-06-02 00:01 Tehran (2023-06-01 20:31 UTC)"
    assert tehran_and_utc(None) == "-"


def test_hugging_face_datasets_loads_the_card_with_no_warning(built, tmp_path, caplog):
    import logging
    import warnings

    from datasets import load_dataset

    out, expected = built
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        articles = load_dataset(str(out), split="train", cache_dir=str(tmp_path / "hf-cache"))
        versions = load_dataset(str(out), "versions", split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert articles.num_rows == len(expected) and versions.num_rows == 2
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_build_lists_the_words_the_topic_mapping_does_not_know(tmp_path):
    root = tmp_path / "output"
    base = fixture_articles()[0]
    items = [dict(base, news_id=n, service=s, category=c, topic=t) for n, s, c, t in (
        (1, "صفحه نخست", "سیاسی", "politics"),
        (2, "صفحه نخست", "کافه گپ", None),       # unknown: listed
        (3, "صفحه نخست", "کافه گپ", None),
        (4, "صفحه نخست", "عکس", None),           # no topic on purpose: not listed
        (5, "صفحه نخست", "اقتصادی", None),       # written before the mapping knew it
    )]
    for item in items:
        item["url"] = f"https://www.asriran.com/fa/news/{item['news_id']}"
    write_run(root, "20260101T000000Z-archive-aaaaaa", items)
    result = run("-m", "newscrawl", "dataset", "build", "--out", str(tmp_path / "ds"), "--runs", str(root))
    assert result.returncode == 0, result.stderr
    topics = json.loads(result.stdout)["topics"]
    assert topics == {"with_topic": 1, "no_topic": 4, "unmapped": {"asriran": {"category": {"کافه گپ": 2}}},
                      "mapped_since": 1}
    assert "asriran: category words the topic mapping does not know" in result.stderr
    assert "«کافه گپ» 2" in result.stderr and "1 articles have no topic though their words map now" in result.stderr
