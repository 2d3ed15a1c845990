"""The SQLite state store's own contract, beyond what the crawl tests see."""

import pytest

from newscrawl.exceptions import StateError
from newscrawl.state.sqlite import StateStore


def test_a_closed_store_fails_with_state_error_and_closes_twice_quietly(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    store.record([{"site": "asriran", "news_id": 1, "url": "https://www.asriran.com/fa/news/1"}])
    store.close()
    store.close()
    with pytest.raises(StateError, match="state store .*state.sqlite3: Cannot operate on a closed database"):
        store.known("asriran", 1)
