"""The article-id bitmap (newscrawl.run.idbits) and the dupefilter's JOBDIR file: memory that follows
how ids cluster, not the highest id; saved and read back whole, and a job saved by an earlier version
(a flat bitmap) resumes."""

from scrapy import Request

from newscrawl.middlewares.dupefilter import FLAT_SEEN_FILE, SEEN_FILE, ArticleDupeFilter
from newscrawl.run.idbits import IdBits


def test_a_feeds_few_high_ids_take_bytes_not_the_highest_id():
    ids = IdBits()
    assert [ids.add(news_id) for news_id in (9_000_003, 9_000_001, 9_000_003)] == [False, False, True]
    assert 9_000_001 in ids and 9_000_002 not in ids and len(ids) == 2
    ids.discard(9_000_003)
    ids.discard(9_000_004)  # not there: nothing happens
    assert list(ids.bits) == [9_000_001]
    ids.add(9_000_003)
    assert ids.nbytes() < 100  # a flat bitmap held 1.1 MB at id 9,000,000
    many = IdBits()
    for news_id in range(1, 1_000_001):
        many.add(news_id)
    assert len(many) == 1_000_000 and many.nbytes() <= 131_072 and len(many.to_bytes()) < 1_000


def test_saved_and_read_back_and_read_from_the_flat_form():
    ids = IdBits()
    for news_id in (1, 7, 8, 1_000_000, 9_000_001):
        ids.add(news_id)
    again = IdBits(ids.to_bytes())
    assert list(again.bits) == [1, 7, 8, 1_000_000, 9_000_001]
    flat = bytearray(1_000_001 // 8 + 1)  # what earlier versions saved: bit i of byte j is id 8j+i
    for news_id in (1, 7, 8, 1_000_000):
        flat[news_id // 8] |= 1 << news_id % 8
    assert list(IdBits.from_flat(bytes(flat)).bits) == [1, 7, 8, 1_000_000]


def article(news_id: int) -> Request:
    return Request(f"https://www.asriran.com/fa/news/{news_id}", meta={"news_id": news_id})


def test_a_job_saved_by_an_earlier_version_resumes_and_is_saved_anew(tmp_path):
    flat = bytearray(2_000_000 // 8)
    flat[1_500_000 // 8] |= 1 << 1_500_000 % 8
    (tmp_path / FLAT_SEEN_FILE).write_bytes(bytes(flat))
    first = ArticleDupeFilter(str(tmp_path))
    assert first.request_seen(article(1_500_000))  # asked before the upgrade: not asked again
    assert not first.request_seen(article(1_500_001))
    first.close("shutdown")
    assert not (tmp_path / FLAT_SEEN_FILE).exists() and (tmp_path / SEEN_FILE).stat().st_size < 100
    resumed = ArticleDupeFilter(str(tmp_path))
    assert resumed.request_seen(article(1_500_000)) and resumed.request_seen(article(1_500_001))
    assert not resumed.request_seen(article(1_500_002))
