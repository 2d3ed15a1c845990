"""`scrapy crawl asriran -O file` gives the dataset contract: Scrapy's feed export of the pipelines."""

import json

from newscrawl.items import EXPORT_FIELDS
from newscrawl.replay.fixtures import FIXTURES_DIR, load_expected
from tests.conftest import article_pages, read_jsonl, rejected_pages, run


def test_crawl_of_the_fixture_pages_writes_the_contract(tmp_path):
    out = tmp_path / "asriran.jsonl"
    quarantine = tmp_path / "quarantine.jsonl"
    result = run("-m", "scrapy", "crawl", "asriran", "-a", "mode=files",
                 "-a", f"path={FIXTURES_DIR / 'asriran' / 'news'}", "-O", str(out),
                 "-s", f"QUARANTINE_PATH={quarantine}", "-s", "LOG_LEVEL=INFO",
                 "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                 "-s", f"OUTPUT_DIR={tmp_path / 'output'}", "-s", f"STATE_DIR={tmp_path / 'state'}")
    assert result.returncode == 0, result.stderr[-3000:]

    raw = out.read_text(encoding="utf-8")
    assert "\\u06" not in raw  # Persian letters as themselves
    items = read_jsonl(out)
    expected = {load_expected(p)["news_id"]: load_expected(p) for p in article_pages("asriran")}
    assert sorted(i["news_id"] for i in items) == sorted(expected)
    for item in items:
        assert tuple(item) == EXPORT_FIELDS
        assert item.pop("crawled_at").endswith("Z")
        assert item == expected[item["news_id"]]

    records = read_jsonl(quarantine)
    assert sorted(r["news_id"] for r in records) == sorted(
        int(p.stem) for p in rejected_pages("quarantined") if p.parent.parent.name == "asriran")
    assert all(r["reasons"] for r in records)
    [report] = (tmp_path / "output" / "asriran").glob("*/*.report.json")
    stats = json.loads(report.read_text(encoding="utf-8"))["stats"]  # the full stats (not dumped in the log)
    assert stats["newscrawl/not_an_article"] == 1
    assert stats["newscrawl/quarantined"] == len(records)
