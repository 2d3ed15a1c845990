"""Scrapy's duplicate filter (RFPDupeFilter), with articles kept as bits (DUPEFILTER_CLASS).

The spider asks for an article only at its canonical URL (`SiteSpider.article_request`, with its
news id in `meta["news_id"]`), so "this article was requested" is one bit of its id
(newscrawl.run.idbits): a bitmap that grows with the highest id asked (125 KB at id 1,000,000),
not with the number of requests. Scrapy's own set keeps a fingerprint a request (~90 bytes): 90 MB
in an ids crawl of a million ids, the one thing that still grew with the size of a backfill once the
start requests were lazy. Every other request (listings, feeds, a redirect's target, which carries
`redirect_urls`) goes to Scrapy's fingerprints as before. With JOBDIR the bitmap is saved as
`articles.seen` beside Scrapy's `requests.seen` when the crawl stops, and read back when it resumes.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.dupefilters import RFPDupeFilter

from newscrawl.run.idbits import IdBits

SEEN_FILE = "articles.seen"


class ArticleDupeFilter(RFPDupeFilter):
    def __init__(self, path: str | None = None, debug: bool = False, **kwargs) -> None:
        super().__init__(path, debug, **kwargs)
        self.seen_path = Path(path, SEEN_FILE) if path else None
        saved = self.seen_path.read_bytes() if self.seen_path is not None and self.seen_path.is_file() else b""
        self.articles = IdBits(saved)

    def request_seen(self, request) -> bool:
        news_id = request.meta.get("news_id")
        if type(news_id) is not int or news_id < 1 or "redirect_urls" in request.meta or request.method != "GET":
            return super().request_seen(request)
        return self.articles.add(news_id)

    def close(self, reason: str) -> None:
        if self.seen_path is not None:
            self.seen_path.write_bytes(self.articles.data)
        super().close(reason)
