"""Issue 21, case 8 (reparse of damaged archives): `reparse` counts and names damaged records, exits
non-zero when any archive was damaged (2: an archive could not be read whole), and still re-extracts
every good archive and every good record before the damage; a torn record never becomes an article,
nor a quarantined page (the site served it whole: the damage is the archive's).

The archives are the fixture pages as WARC (`python -m newscrawl warc`), damaged as a disk or a copy
damages them: cut short in the middle of a response record, or with garbage in the middle.
"""

from __future__ import annotations

import json

from warcio.archiveiterator import ArchiveIterator

from newscrawl.replay.fixtures import FIXTURES_DIR, fixture_pages
from tests.conftest import read_jsonl, run
from tests.run_edge_helpers import Promises

ARCHIVE_DAMAGED = 2  # reparse's code for an archive that could not be read (whole)


def responses(archive) -> list[tuple[int, int, str]]:
    """(offset, end, target URI) of each response record of an intact archive."""
    found = []
    with open(archive, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            uri = record.rec_headers.get_header("WARC-Target-URI")
            kind = record.rec_type
            records.read_to_end()
            if kind == "response":
                found.append((records.get_record_offset(), records.get_record_offset() + records.get_record_length(),
                              uri))
    return found


def archive_of(path, pages=()) -> tuple[set[str], list[tuple[int, int, str]]]:
    """Write the pages (default: every fixture page) as an archive; returns the URLs of the articles
    its intact reparse gives, and its response records."""
    made = run("-m", "newscrawl", "warc", str(path), *map(str, pages))
    assert made.returncode == 0, made.stderr
    out = path.with_name(path.name.replace(".warc.gz", ".intact.jsonl"))
    intact = run("-m", "newscrawl", "reparse", str(path), "-O", str(out))
    assert intact.returncode == 0, intact.stderr
    return {item["url"] for item in read_jsonl(out)}, responses(path)


def test_reparse_of_a_truncated_archive_names_the_torn_record_exits_2_and_keeps_every_whole_one(tmp_path):
    archive = tmp_path / "run.warc.gz"
    articles, records = archive_of(archive)
    # cut in the middle of the body of an article's response, about 60 % into the archive
    torn_at, torn_end, torn_uri = next(r for r in records[len(records) * 6 // 10:] if r[2] in articles)
    cut = torn_at + (torn_end - torn_at) * 2 // 3
    data = archive.read_bytes()
    archive.write_bytes(data[:cut])
    whole = {uri for _, end, uri in records if end <= cut} & articles
    assert len(whole) >= 10 and torn_uri not in whole

    out = tmp_path / "again.jsonl"
    result = run("-m", "newscrawl", "reparse", str(archive), "-O", str(out))
    promises = Promises()
    got = {item["url"] for item in read_jsonl(out)} if out.exists() else set()
    promises.check(got == whole, f"reparse wrote {len(got)} articles; the {len(whole)} whole article records before "
                                 f"the cut, and only them, were expected (extra: {sorted(got - whole)})")
    promises.check(result.returncode == ARCHIVE_DAMAGED,
                   f"reparse of a truncated archive exits {result.returncode}, not {ARCHIVE_DAMAGED}")
    damage = [line for line in result.stderr.splitlines() if str(archive) in line]
    promises.check(damage and torn_uri in damage[0],
                   f"stderr does not name the archive and its torn record {torn_uri}: {result.stderr!r}")
    summary = json.loads(result.stdout) if result.stdout.strip() else {}
    promises.check(summary.get("damaged_archives") == 1 and summary.get("damaged_records") == 1,
                   f"the summary does not count the damage: {summary}")
    quarantine = tmp_path / "again.quarantine.jsonl"
    quarantined = {item["url"] for item in read_jsonl(quarantine)} if quarantine.exists() else set()
    promises.check(torn_uri not in quarantined, "the torn record is quarantined as a bad page of the site: the "
                                                "damage is the archive's, and is counted as such")
    promises.hold()


def test_garbage_in_one_archive_does_not_stop_the_others_given_in_the_same_command(tmp_path):
    pages = fixture_pages(FIXTURES_DIR)
    first, second = tmp_path / "first.warc.gz", tmp_path / "second.warc.gz"
    first_articles, first_records = archive_of(first, pages[: len(pages) // 2])
    second_articles, _ = archive_of(second, pages[len(pages) // 2:])
    assert first_articles and second_articles and not first_articles & second_articles
    # garbage between two records, half-way through the first archive
    at = first_records[len(first_records) // 2][0]
    data = first.read_bytes()
    first.write_bytes(data[:at] + b"\x00garbage from a bad copy\xff" * 40 + data[at:])
    before = {uri for _, end, uri in first_records if end <= at} & first_articles
    assert before

    out = tmp_path / "again.jsonl"
    result = run("-m", "newscrawl", "reparse", str(first), str(second), "-O", str(out))
    promises = Promises()
    got = {item["url"] for item in read_jsonl(out)} if out.exists() else set()
    promises.check(second_articles <= got, f"{len(second_articles - got)} of the {len(second_articles)} articles of "
                                           "the good archive given after the damaged one were not re-extracted")
    promises.check(before <= got, f"{len(before - got)} of the {len(before)} articles before the garbage were not "
                                  "re-extracted")
    promises.check(got <= first_articles | second_articles, "reparse wrote articles that are in neither archive")
    promises.check(result.returncode == ARCHIVE_DAMAGED,
                   f"reparse with one damaged archive exits {result.returncode}, not {ARCHIVE_DAMAGED}")
    named = [line for line in result.stderr.splitlines() if str(first) in line]
    promises.check(len(named) == 1 and str(second) not in result.stderr and "from a bad copy" not in named[0],
                   f"stderr should name the damaged archive in one clean line (not its bytes): {result.stderr[:400]!r}")
    promises.check(not list(tmp_path.glob("*.part")), f"a part file is left: {list(tmp_path.glob('*.part'))}")
    promises.hold()
