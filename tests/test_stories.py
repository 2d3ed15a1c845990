"""The same story across sites: story_id / story_first of `dataset build`, measured on the labelled
test set (fixtures/stories/articles.json), and an incremental build that equals a full one."""

import itertools
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as pa_dataset
import pyarrow.parquet as pq
import pytest

from newscrawl.dataset import stories
from newscrawl.dataset.build import build
from newscrawl.dataset.schema import dataset_schema
from newscrawl.dataset.verify import verify
from newscrawl.items import EXPORT_FIELDS
from tests.conftest import run
from tests.test_dataset import write_run

LABELLED = Path(__file__).resolve().parent.parent / "fixtures" / "stories" / "articles.json"


def labelled() -> list[dict]:
    return json.loads(LABELLED.read_text(encoding="utf-8"))


def as_line(article: dict, crawled_at: str = "2026-01-01T00:00:00Z", **changes) -> dict:
    item = {name: None for name in EXPORT_FIELDS}
    item.update({k: v for k, v in article.items() if k != "story"}, url=f"https://example.ir/{article['news_id']}",
                crawled_at=crawled_at)
    item.update(changes)
    return item


def write_runs(root: Path, run_id: str, items: list[dict], day: str = "2026-01-01") -> None:
    """One run file per site (a run crawls one site)."""
    for site in sorted({i["site"] for i in items}):
        write_run(root, run_id, [i for i in items if i["site"] == site], site=site, day=day)


def story_columns(out: Path) -> dict[tuple[str, int], tuple[str, bool]]:
    table = pq.read_table(out / "latest", columns=["site", "news_id", "story_id", "story_first"])
    return {(r["site"], r["news_id"]): (r["story_id"], r["story_first"]) for r in table.to_pylist()}


def version_story_columns(out: Path) -> list[tuple]:
    files = sorted((out / "versions").rglob("*.parquet"))
    if not files:
        return []
    table = pa.concat_tables(pq.read_table(f, columns=["site", "news_id", "crawled_at", "story_id", "story_first"])
                             for f in files)
    return sorted(tuple(r.values()) for r in table.to_pylist())


def precision_recall(found: dict, articles: list[dict]) -> tuple[float, float]:
    """Over every pair of articles: same story in the labels and in story_id."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(articles, 2):
        same = a["story"] == b["story"]
        grouped = found[(a["site"], a["news_id"])][0] == found[(b["site"], b["news_id"])][0]
        tp += same and grouped
        fp += grouped and not same
        fn += same and not grouped
    return tp / (tp + fp), tp / (tp + fn)


@pytest.fixture(scope="module")
def labelled_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("stories")
    write_runs(root / "output", "20260101T000000Z-archive-aaaaaa", [as_line(a) for a in labelled()])
    result = build(root / "ds", root / "output")
    return root, result


def test_the_labelled_set_groups_every_story_and_nothing_else(labelled_build):
    root, result = labelled_build
    articles = labelled()
    found = story_columns(root / "ds")
    precision, recall = precision_recall(found, articles)
    print(f"labelled set: {len(articles)} articles, precision {precision:.2f}, recall {recall:.2f}")
    assert (precision, recall) == (1.0, 1.0)
    by_key = {(a["site"], a["news_id"]): a for a in articles}
    story = {key: value[0] for key, value in found.items()}
    # agency copy with a lead and a sign-off, edits, a dropped paragraph and another headline: one story
    assert story["tabnak", 902001] == story["yjc", 903001] == story["fararu", 904001] == "asriran/901001"
    assert by_key["yjc", 903001]["title"] != by_key["asriran", 901001]["title"]
    # one template (seismic centre, exchange rates), one quoted statement: stories of their own
    for label in ("seismic-1", "seismic-2", "seismic-3", "rates-1", "rates-2", "rates-3", "quote-parliament",
                  "quote-market", "quote-short"):
        (key,) = [k for k, a in by_key.items() if a["story"] == label]
        assert story[key] == f"{key[0]}/{key[1]}" and found[key][1] is True
    assert result.stories == {"parameters": stories.PARAMETERS, "articles": 20, "stories": 13,
                              "articles_in_shared_stories": 11}
    manifest = json.loads((root / "ds" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stories"] == result.stories


def test_story_first_is_the_earliest_article_and_ties_go_by_site_then_id(labelled_build):
    root, _ = labelled_build
    found = story_columns(root / "ds")
    firsts = [key for key, (_, first) in found.items() if first]
    assert len(firsts) == len({story for story, _ in found.values()})  # one per story
    # quake: asriran and tabnak published in the same minute; asriran sorts first
    assert found["asriran", 901002] == ("asriran/901002", True)
    assert found["tabnak", 902002] == ("asriran/901002", False)
    assert found["entekhab", 905002] == ("asriran/901002", False)
    # football: yjc's is 40 minutes earlier than fararu's
    assert found["yjc", 903003] == ("yjc/903003", True)
    assert found["fararu", 904003] == ("yjc/903003", False)


def test_the_text_is_compared_as_the_project_folds_it():
    body = ("سخنگوی دولت در نشست هفتگی خود گفت سهمیه هر خودرو در سال ۱۴۰۴ تغییر نخواهد کرد و "
            "هر خبری خلاف این شایعه است، و مردم نباید به آن توجه کنند.")
    variant = (body.replace("ی", "ي").replace("ک", "ك").replace("۱۴۰۴", "1404").replace("، ", " ، ")
               .replace("نخواهد کرد", "نخواهد\u200cکرد"))
    assert variant != body
    first, second = stories.signatures([body, variant])
    assert first is not None and first == second
    assert stories.signatures(["دو کلمه", None, ""]) == [None, None, None]  # fewer than SHINGLE words
    other = stories.signatures([body.replace("سخنگوی دولت", "وزیر نفت")])[0]
    assert other is not None and 0.5 < stories.similarity(first, other) < 1


def build_from(runs: Path, out: Path) -> dict:
    build(out, runs)
    return story_columns(out)


def test_an_incremental_build_gives_what_a_full_build_gives(tmp_path):
    """Later copies first, then the earliest article joins (every old copy's story_id changes to
    it), then a copy is rewritten into another story (its story splits off), then a run is gone."""
    articles = {(a["site"], a["news_id"]): a for a in labelled()}
    runs, out = tmp_path / "output", tmp_path / "ds"
    metro_copies = [k for k, a in articles.items() if a["story"] == "metro" and k != ("asriran", 901001)]
    first = [as_line(a) for k, a in articles.items() if k != ("asriran", 901001)]
    write_runs(runs, "20260101T000000Z-archive-aaaaaa", first)
    before = build_from(runs, out)
    assert before["tabnak", 902001] == ("tabnak/902001", True)  # the earliest copy, for now
    assert {before[k][0] for k in metro_copies} == {"tabnak/902001"}

    write_run(runs, "20260102T000000Z-archive-bbbbbb", [as_line(articles["asriran", 901001],
                                                                  "2026-01-02T00:00:00Z")], day="2026-01-02")
    result = build(out, runs)
    after = story_columns(out)
    assert after["asriran", 901001] == ("asriran/901001", True)
    assert {after[k] for k in metro_copies} == {("asriran/901001", False)}
    # the copies' partitions were written again, for their story alone
    assert {"latest/tabnak/2025-01.parquet", "latest/yjc/2025-01.parquet",
            "latest/fararu/2025-01.parquet"} <= set(result.partitions_written)

    # tabnak's metro copy is refreshed with the minister's story: it leaves metro and joins minister,
    # whose earliest article it now is (published in January, asriran's in April)
    rewritten = as_line(articles["tabnak", 902001], "2026-01-03T00:00:00Z", body=articles["asriran", 901004]["body"])
    write_run(runs, "20260103T000000Z-archive-cccccc", [rewritten], site="tabnak", day="2026-01-03")
    moved = build_from(runs, out)
    assert moved["tabnak", 902001] == ("tabnak/902001", True)
    assert moved["asriran", 901004] == ("tabnak/902001", False)
    assert moved["yjc", 903001] == ("asriran/901001", False)

    incremental = (story_columns(out), version_story_columns(out))
    full = tmp_path / "full"
    assert (build_from(runs, full), version_story_columns(full)) == incremental
    # the earlier version of the rewritten copy carries the article's story, never story_first
    assert [v[3:] for v in version_story_columns(out) if v[:2] == ("tabnak", 902001)] == [("tabnak/902001", False)]

    # the run that brought the earliest metro article is gone: the story is the copies' again
    shutil.rmtree(runs / "asriran" / "2026-01-02")
    gone = build_from(runs, out)
    assert ("asriran", 901001) not in gone
    assert gone["yjc", 903001] == ("yjc/903001", True)  # tabnak's is minister now; yjc's is the earliest left
    shutil.rmtree(full)
    assert build_from(runs, full) == gone
    problems, _ = verify(out, runs, tmp_path / "no-state")
    assert problems == []


def test_a_rebuild_signs_only_the_new_lines(tmp_path, monkeypatch):
    articles = labelled()
    runs, out = tmp_path / "output", tmp_path / "ds"
    write_runs(runs, "20260101T000000Z-archive-aaaaaa", [as_line(a) for a in articles[:-1]])
    signed: list[int] = []
    real = stories.signatures

    def counting(bodies, *args, **kwargs):
        signed.append(len(bodies))
        return real(bodies, *args, **kwargs)

    monkeypatch.setattr(stories, "signatures", counting)
    build(out, runs)
    assert sum(signed) == len(articles) - 1
    signed.clear()
    write_run(runs, "20260102T000000Z-archive-bbbbbb", [as_line(articles[-1], "2026-01-02T00:00:00Z")],
              site=articles[-1]["site"], day="2026-01-02")
    build(out, runs)
    assert sum(signed) == 1


def test_without_grouping_the_columns_are_null_and_switching_rebuilds(tmp_path):
    runs, out = tmp_path / "output", tmp_path / "ds"
    write_runs(runs, "20260101T000000Z-archive-aaaaaa", [as_line(a) for a in labelled()])
    result = run("-m", "newscrawl", "dataset", "build", "--out", str(out), "--runs", str(runs), "--no-stories")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stories"] is None
    assert set(story_columns(out).values()) == {(None, None)}
    again = build(out, runs)
    assert again.full
    assert story_columns(out)["tabnak", 902001] == ("asriran/901001", False)


def test_files_without_the_story_columns_still_read_beside_new_ones(labelled_build, tmp_path):
    """The columns are additive, at the end: a partition written before them reads with nulls."""
    root, _ = labelled_build
    new = next((root / "ds" / "latest").rglob("*.parquet"))
    table = pq.read_table(new)
    old = tmp_path / "old.parquet"
    pq.write_table(table.drop_columns(["story_id", "story_first"]), old)
    both = pa_dataset.dataset([str(old), str(new)], schema=dataset_schema()).to_table()
    assert both.column("story_id").to_pylist() == [None] * table.num_rows + table.column("story_id").to_pylist()
    assert dataset_schema().names[-2:] == ["story_id", "story_first"]


def test_new_articles_taken_a_few_at_a_time_give_the_same_stories(labelled_build, tmp_path, monkeypatch):
    """A full build holds the band keys of _CHUNK new articles at a time; chunks of 3 find what one did."""
    root, _ = labelled_build
    monkeypatch.setattr(stories, "_CHUNK", 3)
    assert build_from(root / "output", tmp_path / "ds") == story_columns(root / "ds")


def test_verify_finds_a_story_with_two_first_articles(labelled_build, tmp_path):
    root, _ = labelled_build
    out = tmp_path / "ds"
    shutil.copytree(root / "ds", out, symlinks=True)
    assert verify(out, root / "output", tmp_path / "no-state")[0] == []
    part = out / "latest" / "tabnak" / "2025-01.parquet"  # tabnak's metro copy: not the story's first
    table = pq.read_table(part)
    column = table.column_names.index("story_first")
    part.unlink()  # a hard link shared with the published generation: write a new file
    pq.write_table(table.set_column(column, "story_first", pa.array([True] * table.num_rows)), part)
    problems, _ = verify(out, root / "output", tmp_path / "no-state")
    assert "latest: 1 stories without exactly one story_first row: asriran/901001 (2)" in problems
