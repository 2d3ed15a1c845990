"""Before a run takes any work: make the state store whole again with what is on the disk.

- A store with no article state while OUTPUT_DIR holds finished run files (the store was deleted,
  moved aside, or lost during a run) is rebuilt from them: the run files are the truth the store
  indexes, so nothing they hold is written a second time. (To write everything again on purpose:
  `-a skip_known=0`, or a new OUTPUT_DIR.)
- The `.part` files a killed run left are finalized (whole lines kept, their articles recorded), and
  only then are that run's claims released (newscrawl.state's claim contract): the dead are listed
  before the parts are looked at, so a run that dies meanwhile keeps its claims until the next run.

`scrapy crawl` does this before Scrapy starts (newscrawl.scrapy_commands.crawl), inside the check
that refuses a state store that cannot be used with one line and exit code 7: a store that fails
here (a full disk, a corrupt file) stops nothing half-way and crawls nothing. The crawl's
CrashRecovery extension does it for a crawler started another way (newscrawl.extensions.recovery).
One run at a time recovers (a lock file in STATE_DIR), so runs starting together do it once.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from contextlib import contextmanager
from pathlib import Path

from newscrawl import stats as stat
from newscrawl.dataset.runs import run_files
from newscrawl.output.jsonl import recover_orphans
from newscrawl.output.lines import line_chunks
from newscrawl.state import StateBackend, StateStore

logger = logging.getLogger(__name__)
# Set by `scrapy crawl` once it has recovered (its figures, for the run's stats): the crawl's
# CrashRecovery then does not do it again.
RECOVERED_SETTING = "NEWSCRAWL_START_RECOVERY"


@contextmanager
def locked(path: Path):
    """An exclusive fcntl lock on `path` (waits for it)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def recover_before_run(settings, store: StateBackend) -> dict[str, int]:
    """Rebuild an empty store from the run files, finalize dead runs' parts, release their claims.
    Raises StateError when the store cannot be written (the run must not start). Returns the figures
    for the run's stats (newscrawl/...)."""
    state_dir = Path(settings.get("STATE_DIR"))
    state_dir.mkdir(parents=True, exist_ok=True)
    output_dir = settings.get("OUTPUT_DIR")
    with locked(state_dir / "recovery.lock"):
        rebuilt = rebuild_if_empty(store, output_dir) if output_dir else 0
        dead = store.dead_owners()
        recovered = recover_orphans(output_dir, store.record) if output_dir else []
        released = sum(store.release_claims(owner) for owner in dead)
    if released:
        logger.warning("%d articles claimed by %d runs that did not finish are free to be written "
                       "again", released, len(dead))
    return {stat.RECOVERED_FILES: len(recovered), stat.CLAIMS_OF_DEAD_RUNS_RELEASED: released,
            stat.STATE_REBUILT_ARTICLES: rebuilt}


def rebuild_if_empty(store: StateBackend, output_dir: str | Path) -> int:
    """When the store (SQLite: one machine) knows no article but finished run files are under
    `output_dir`, record every article they hold, a chunk of lines at a time (memory bounded), in
    run order, so that each article's last line gives its content hash. Returns how many articles the
    store knows then. A distributed crawl's Redis store is left alone: a new STATE_NAME on a shared
    OUTPUT_DIR is a deliberate fresh crawl."""
    if not isinstance(store, StateStore) or store.count():
        return 0
    files = run_files(output_dir)
    if not files:
        return 0
    for path in files:  # by path: <site>/<day>/<run id>, so later runs come later
        for chunk in line_chunks(path):
            store.record(list(_items(line for _, line in chunk)))
    rebuilt = store.count()
    logger.warning("The state store %s had no article state: rebuilt from %d run files under %s (%d "
                   "articles), so that none is written again (to write them again: -a skip_known=0)",
                   store.path, len(files), output_dir, rebuilt)
    return rebuilt


def _items(lines):
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and isinstance(item.get("site"), str) and type(item.get("news_id")) is int \
                and isinstance(item.get("url"), str):
            yield item
