"""The IranSamaneh CMS as `newscrawl.sites.cms.Cms`: this module is the object."""

from newscrawl.sites.iransamaneh.article import parse_article
from newscrawl.sites.iransamaneh.listing import parse_archive, parse_feed
from newscrawl.sites.iransamaneh.mirror import FIRST_ID, home_page, lose_body, mirror_route, not_found_page, synthesize
from newscrawl.sites.iransamaneh.urls import (
    ARTICLE_PATH_EXAMPLE,
    archive_request,
    article_url,
    feed_url,
    news_id_from_url,
    rebase,
)

name = "iransamaneh"
synth_first_id = FIRST_ID
article_path_example = ARTICLE_PATH_EXAMPLE

__all__ = ["archive_request", "article_path_example", "article_url", "feed_url", "home_page", "lose_body",
           "mirror_route", "name", "news_id_from_url", "not_found_page", "parse_archive", "parse_article",
           "parse_feed", "rebase", "synth_first_id", "synthesize"]
