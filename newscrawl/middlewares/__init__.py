"""Scrapy middlewares: downloader (retry waits, charset repair) and spider (skip known articles)."""
