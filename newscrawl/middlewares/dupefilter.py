"""Scrapy's duplicate filter (RFPDupeFilter), with articles kept as bits (DUPEFILTER_CLASS).

The spider asks for an article only at its canonical URL (`SiteSpider.article_request`, with its
news id in `meta["news_id"]`), so "this article was requested" is one bit of its id
(newscrawl.run.idbits): a compressed bitmap, whose size follows how the ids asked cluster (a few
dozen bytes for a feed's ids, ~230 bytes for a million consecutive ones), not the number of
requests. Scrapy's own set keeps a fingerprint a request (~90 bytes): 90 MB in an ids crawl of a
million ids, the one thing that still grew with the size of a backfill once the start requests were
lazy. Every other request (listings, feeds, a redirect's target, which carries `redirect_urls`) goes
to Scrapy's fingerprints as before. With JOBDIR the bitmap is saved as `articles.ids` (Roaring's
portable format, written whole or not at all) beside Scrapy's `requests.seen` when the crawl stops,
and read back when it resumes; a job saved by an earlier version (`articles.seen`, a flat bitmap) is
read, and saved in the new form when the crawl stops.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.dupefilters import RFPDupeFilter

from newscrawl.output.parts import write_whole_file
from newscrawl.run.idbits import IdBits

SEEN_FILE = "articles.ids"
FLAT_SEEN_FILE = "articles.seen"  # what earlier versions saved: bit i of byte j is id 8j+i


class ArticleDupeFilter(RFPDupeFilter):
    def __init__(self, path: str | None = None, debug: bool = False, **kwargs) -> None:
        super().__init__(path, debug, **kwargs)
        self.seen_path = Path(path, SEEN_FILE) if path else None
        self.articles = self._saved(Path(path)) if path else IdBits()

    @staticmethod
    def _saved(jobdir: Path) -> IdBits:
        if (jobdir / SEEN_FILE).is_file():
            return IdBits((jobdir / SEEN_FILE).read_bytes())
        if (jobdir / FLAT_SEEN_FILE).is_file():
            return IdBits.from_flat((jobdir / FLAT_SEEN_FILE).read_bytes())
        return IdBits()

    def request_seen(self, request) -> bool:
        news_id = request.meta.get("news_id")
        if type(news_id) is not int or news_id < 1 or "redirect_urls" in request.meta or request.method != "GET":
            return super().request_seen(request)
        return self.articles.add(news_id)

    def close(self, reason: str) -> None:
        if self.seen_path is not None:
            write_whole_file(self.seen_path, self.articles.to_bytes())  # a kill mid-write leaves the last whole one
            self.seen_path.with_name(FLAT_SEEN_FILE).unlink(missing_ok=True)
        super().close(reason)
