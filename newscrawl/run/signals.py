"""Signals of this project (Scrapy's signal manager carries them): what became of an article page
that gave no article. The state recorder listens, so that a scheduled run does not ask again soon."""

article_missing = object()      # args: site, news_id, reason
article_quarantined = object()  # args: site, news_id, reason
