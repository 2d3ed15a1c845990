"""The IranSamaneh CMS as `newscrawl.sites.cms.Cms` (reading pages, building URLs): this module is the
object. Its mirror side is `mirror` (newscrawl.sites.cms.CmsMirror)."""

from newscrawl.sites.iransamaneh.article import parse_article
from newscrawl.sites.iransamaneh.listing import parse_archive, parse_feed
from newscrawl.sites.iransamaneh.urls import (
    ARTICLE_PATH_EXAMPLE,
    archive_request,
    article_url,
    feed_url,
    news_id_from_url,
    rebase,
)

name = "iransamaneh"
article_path_example = ARTICLE_PATH_EXAMPLE

__all__ = ["archive_request", "article_path_example", "article_url", "feed_url", "name", "news_id_from_url",
           "parse_archive", "parse_article", "parse_feed", "rebase"]
