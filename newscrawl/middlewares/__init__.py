"""Scrapy middlewares: downloader (retry waits, meta refresh, challenge pages, offsite redirects, the
mirror proxy) and spider (skip known articles)."""
