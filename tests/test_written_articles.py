"""The write-once pipeline on items that should never reach it."""

import pytest
from scrapy.exceptions import DropItem

from newscrawl.items import Article
from newscrawl.pipelines.written import WrittenArticlesPipeline
from newscrawl.state import StateStore


class _Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count


def test_an_item_without_news_id_is_dropped_not_a_state_store_failure(tmp_path):
    # Validation quarantines such an item first; should one get here (pipelines reordered), it is
    # dropped as what it is, not sent to the store, whose failure would stop the run as state_failed.
    store = StateStore(tmp_path / "state.sqlite3")
    pipeline = WrittenArticlesPipeline(store, _Stats(), refresh=False)
    item = Article(site="asriran", news_id=None, url=None, source_url="http://127.0.0.1:1/fa/news/x")
    with pytest.raises(DropItem, match=r"not written: asriran http://127.0.0.1:1/fa/news/x has no news_id"):
        pipeline.process_item(item)
    assert store.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0
    assert pipeline.stats == {}
