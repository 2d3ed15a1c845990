"""Archived responses through the current parser and pipelines, offline: what a parser release does to
pages already fetched, without asking the site again.

Each article response of each archive goes through `Processor` (the crawl's parser and pipelines,
minus the state store's), with `crawled_at` the time the page was fetched (its WARC-Date), so the
output is a run file like a crawl's: its `parser_version` names the release that read the pages. One
archive is one run: an article fetched twice within it is written once, as the crawl did; the same
article in two archives is two versions.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from w3lib.encoding import html_to_unicode

from newscrawl.exceptions import DamagedArchive
from newscrawl.items import exported
from newscrawl.output.parts import part_path
from newscrawl.output.paths import run_name
from newscrawl.output.quarantine import QuarantineFile
from newscrawl.output.warc import read_responses
from newscrawl.replay.processor import Processor
from newscrawl.sites import cms_for, profile_for_url


def default_output(output_dir: str | Path, site: str, now: datetime | None = None) -> Path:
    """Named like a crawl's run file, so that run files sort by when they were written."""
    run_day, run_id = run_name("reparse", now)
    return Path(output_dir) / site / run_day / f"{run_id}.jsonl"


def quarantine_path_for(out: Path) -> Path:
    return out.with_name(out.name.removesuffix(".jsonl") + ".quarantine.jsonl")


def reparse(archives: Iterable[str | Path], out: Path) -> tuple[Counter, list[tuple[Path, DamagedArchive]]]:
    """Write the articles of `archives` to `out` (atomically: `<out>.part`, renamed when done) and the
    pages that fail validation to the quarantine beside it. Returns what became of the responses, and
    the archives that could not be read whole with where: their records before the damage are
    re-extracted, the damaged record is counted (`damaged_records`) and never processed (it is
    neither an article nor a quarantined page: the site served it whole), and every other archive is
    still read."""
    counts: Counter = Counter()
    damaged: list[tuple[Path, DamagedArchive]] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    part = part_path(out)
    quarantine = QuarantineFile(quarantine_path_for(out))
    try:
        with part.open("w", encoding="utf-8") as handle:
            for archive in archives:
                try:
                    _reparse_archive(archive, handle, quarantine, counts)
                except DamagedArchive as damage:
                    damaged.append((Path(archive), damage))
                    counts["damaged_archives"] += 1
                    counts["damaged_records"] += 1
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        part.unlink(missing_ok=True)  # nothing half-written stays where run files are looked for
        raise
    finally:
        quarantine.close()
    if counts["articles"]:
        os.replace(part, out)
    else:
        part.unlink()  # like a crawl: a run that writes nothing leaves no articles file
    return counts, damaged


def _reparse_archive(archive: str | Path, handle, quarantine: QuarantineFile, counts: Counter) -> None:
    processor = Processor()  # one archive, one run
    for response in read_responses(archive):
        counts["responses"] += 1
        if cms_for(profile_for_url(response.target_uri)).news_id_from_url(response.target_uri) is None:
            counts["not_article_urls"] += 1
            continue
        if response.status != 200:
            counts[f"status_{response.status}"] += 1
            continue
        if response.revisit_of is not None:  # a 200 kept as a revisit (no body here): not from a crawl of ours
            counts["revisits"] += 1
            continue
        _, html = html_to_unicode(response.content_type, response.body)
        outcome = processor.process(html, response.target_uri, crawled_at=response.date)
        if outcome.article is not None:
            handle.write(json.dumps(exported(outcome.article), ensure_ascii=False) + "\n")
            counts["articles"] += 1
        elif outcome.quarantined is not None:
            quarantine.write(outcome.quarantined)
            counts["quarantined"] += 1
        else:
            counts["not_an_article" if outcome.not_an_article else "dropped"] += 1
