"""Saved pages through the parser and the item pipelines, without a crawl: reading a saved page
(`pages`), the pipeline runner (`processor`), golden fixtures (`fixtures`) and WARC re-extraction
(`reparse`)."""
