"""Scrapy extensions: what happens around a whole run."""
