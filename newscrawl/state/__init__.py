"""What has been written: the state store's contract (`base`), its SQLite implementation (`sqlite`)
and the drift history kept in the same file (`drift`). No Scrapy, no Redis here: the Redis store is
the scale-out plug-in's (newscrawl.distributed.state), chosen by the STATE_BACKEND setting."""

from newscrawl.state.base import StateBackend, run_owner
from newscrawl.state.sqlite import StateStore

__all__ = ["StateBackend", "StateStore", "run_owner"]
