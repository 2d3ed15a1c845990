"""Issue 21, case 5: a walk that could not finish says so and resumes.

An archive walk whose page 3 keeps failing (5xx after every retry) must not end as a quiet night: the
run exits with the listing-incomplete code (8, cause `listing_incomplete`), the report names the page,
and the state store remembers where the walk broke, so that the next run of the same walk starts at
that page instead of at page 1 (and, in a nightly job, breaking at the same place again). Once the walk
has reached its last page the memory is cleared: the run after that walks from page 1. A feed set with
one feed failing is incomplete the same way.
"""

from __future__ import annotations

import pytest

from newscrawl import exit_codes
from newscrawl.mirror.synth import FIRST_ID, synthesize
from tests.conftest import run, scheduled_command
from tests.run_edge_helpers import Promises, edge_mirror, finished_files, ids_in, reports

LISTING_INCOMPLETE = exit_codes.LISTING_INCOMPLETE
N, PAGE_SIZE = 50, 10  # five archive pages
WALK = ("mode=archive", "from_date=1384/01/01", "to_date=1404/12/29")  # a fixed range: one walk, run after run
BROKEN_PAGE = "/fa/archive?*&p=3"


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory):
    """A synthetic site of 50 articles whose archive has 10 a page (the CMS's writer's page size,
    made small so that a walk of five pages costs seconds)."""
    from newscrawl.sites.iransamaneh import synth as writer

    root = tmp_path_factory.mktemp("walk-site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "ARCHIVE_PAGE_SIZE", PAGE_SIZE)
        manifest = synthesize(root, N, seed=21)
    assert manifest["archive_pages"] == 5
    return root


def archive_pages_asked(log: list[str]) -> list[int]:
    """The archive pages asked for, in order (p=N of each /fa/archive request)."""
    pages = []
    for path in log:
        if path.startswith("/fa/archive"):
            query = dict(pair.partition("=")[::2] for pair in path.partition("?")[2].split("&"))
            pages.append(int(query.get("p", "1")))
    return pages


def test_an_archive_walk_broken_at_page_3_exits_8_names_the_page_and_the_next_run_resumes_there(
        archive_site, tmp_path):
    promises = Promises()
    faults = {BROKEN_PAGE: {"status": 500}}
    retries = ("RETRY_TIMES=2",)
    with edge_mirror(archive_site, faults=faults) as mirror:
        broken = run(*scheduled_command(tmp_path, *WALK, f"base_url={mirror.base_url}", settings=retries),
                     cwd=tmp_path)
        first_log = list(mirror.log)
        mirror.faults.spec.clear()  # the site is well again
        del mirror.log[:]
        resumed = run(*scheduled_command(tmp_path, *WALK, f"base_url={mirror.base_url}", settings=retries),
                      cwd=tmp_path)
        second_log = list(mirror.log)
        del mirror.log[:]
        after = run(*scheduled_command(tmp_path, *WALK, f"base_url={mirror.base_url}", settings=retries),
                    cwd=tmp_path)
        third_log = list(mirror.log)

    # the setting: the walk did break at page 3, pages 1 and 2 were read
    assert archive_pages_asked(first_log)[:3] == [1, 2, 3], first_log
    assert 3 in archive_pages_asked(first_log) and 4 not in archive_pages_asked(first_log)
    first_report, *later_reports = reports(tmp_path / "output")
    assert first_report["items_written"] == 2 * PAGE_SIZE

    # the broken walk says so
    promises.check(broken.returncode == LISTING_INCOMPLETE,
                   f"the run whose walk broke at page 3 exits {broken.returncode}, not {LISTING_INCOMPLETE} "
                   "(listing incomplete)")
    incomplete = first_report["outcome"].get("listing_incomplete") or {}
    promises.check(any("p=3" in url for url in incomplete.get("pages", {})),
                   f"the report names no incomplete listing at page 3 (outcome: {first_report['outcome']})")
    promises.check(f"RUN FAILED (exit {LISTING_INCOMPLETE})" in broken.stderr,
                   "the log's summary does not say RUN FAILED (exit 8) for the broken walk")

    # the next run resumes at the page that failed
    asked = archive_pages_asked(second_log)
    promises.check(asked[:1] == [3] and 1 not in asked and 2 not in asked,
                   f"the next run of the same walk asked for archive pages {asked}: it should start at page 3, "
                   "where the walk broke, not walk pages 1 and 2 again")
    promises.check(resumed.returncode == 0, f"the resumed walk exits {resumed.returncode}")
    promises.check(sorted(ids_in(finished_files(tmp_path / "output"))) == list(range(FIRST_ID, FIRST_ID + N)),
                   "after the resumed walk the run files do not hold every article exactly once")

    # a walk that reached its end is forgotten: the run after it walks from page 1 again
    promises.check(archive_pages_asked(third_log)[:1] == [1] and after.returncode == 0,
                   f"after a completed walk the next run asked for pages {archive_pages_asked(third_log)} and "
                   f"exited {after.returncode}: it should walk from page 1 and exit 0")
    promises.hold()


def test_a_feed_set_with_one_feed_failing_exits_8_and_names_the_feed(archive_site, tmp_path):
    with edge_mirror(archive_site, faults={"/fa/rss/1": {"status": 500}}) as mirror:
        result = run(*scheduled_command(tmp_path, "mode=rss", "feeds=1", f"base_url={mirror.base_url}",
                                        settings=("RETRY_TIMES=1",)), cwd=tmp_path)
    [report] = reports(tmp_path / "output")
    assert report["items_written"] == N  # the other feed (allnews) was read
    assert result.returncode == LISTING_INCOMPLETE, (
        f"one of two feeds failed after its retries and the run exits {result.returncode}: "
        f"outcome {report['outcome']}")
    assert any(url.endswith("/fa/rss/1") for url in report["outcome"]["listing_incomplete"]["pages"])
