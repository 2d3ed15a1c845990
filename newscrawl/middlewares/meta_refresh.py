"""Scrapy's MetaRefreshMiddleware, without decoding a page that declares no refresh.

Scrapy's looks for `<meta http-equiv="refresh">` in the first 4,096 characters of the page's text,
and to get them it decodes the whole body: for the CMS's 148 KB not-found page, the answer to every
missing id of a backfill, that was ~70 us of CPU, the largest part of Scrapy's own work on a 404
that nothing else reads (issue 22). w3lib rules a refresh out in the undecoded bytes
(`get_meta_refresh` on bytes, for encodings where that is exact); only a page whose first
REFRESH_SCAN_BYTES bytes may hold one goes on to Scrapy's own check, which decides as before. Those
bytes hold the first 4,096 characters in any encoding of at most 4 bytes a character.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.http import HtmlResponse
from w3lib.html import get_meta_refresh

REFRESH_SCAN_BYTES = 4 * 4096


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    def process_response(self, request, response):  # type: ignore[override]
        if isinstance(response, HtmlResponse) and get_meta_refresh(
                response.body, response.url, response.encoding, self._ignore_tags,
                max_scan=REFRESH_SCAN_BYTES) == (None, None):
            return response
        return super().process_response(request, response)
