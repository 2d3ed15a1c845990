"""Spiders: discovery only. They find article URLs and hand pages to the site parser."""
