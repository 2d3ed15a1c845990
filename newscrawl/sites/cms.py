"""What a CMS package offers the rest of the project, in two protocols: `Cms` reads pages and builds
URLs (the spider, validation, the WARC archive, replay); `CmsMirror` writes pages for the local mirror.
Everything site-specific goes through them (and through the site's profile): nothing else reads a page
or builds a URL itself. `newscrawl.sites.iransamaneh` is the one implementation so far."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from newscrawl.items import Article
from newscrawl.sites.profiles import SiteProfile

if TYPE_CHECKING:  # the one implementation's types, until a second CMS needs them shared
    from newscrawl.sites.iransamaneh.listing import ListingPage
    from newscrawl.sites.iransamaneh.synth import TextPool
    from newscrawl.sites.iransamaneh.urls import ListingRequest


@runtime_checkable
class Cms(Protocol):
    name: str
    article_path_example: str  # an article path, for messages: "/fa/news/870239"

    # ---- reading pages (pure: text in, data out) ----
    def parse_article(self, html: str, url: str | None = None, *, profile: SiteProfile,
                      crawled_at: datetime | None = None, strict: bool = False) -> Article:
        """The finished article; raises NotAnArticle for a page that is none. A page none of the
        site's generations detects is read with the CMS's generic reader (never another site's
        markup). `strict`: a field reader's exception is raised, not made a defect naming the field
        (for debugging a site)."""

    def parse_archive(self, html: str, profile: SiteProfile | None = None) -> ListingPage:
        """A ListingPage: the article ids of an archive page and the next page's href (the site's pager)."""

    def parse_feed(self, xml: str | bytes) -> list[int]:
        """The article ids an RSS feed links to, in feed order."""

    # ---- the site's URLs ----
    def article_url(self, profile: SiteProfile, news_id: int, base_url: str | None = None) -> str: ...

    def news_id_from_url(self, url: str | None, profile: SiteProfile | None = None) -> int | None:
        """The id of an article URL: the site's article paths (the CMS's without a profile)."""

    def feed_url(self, base_url: str, feed: str = "allnews") -> str: ...

    def archive_request(self, profile: SiteProfile, base_url: str, **query: Any) -> ListingRequest:
        """A ListingRequest (url, method, form) for one archive page of a date range."""

    def rebase(self, url: str, base_url: str) -> str:
        """The same path and query on another host (a mirror)."""



@runtime_checkable
class CmsMirror(Protocol):
    """The writer side of a CMS, for the local mirror and the synthetic sites (newscrawl.mirror): it
    serves a saved site the way the site does. Nothing that reads pages depends on it."""

    def mirror_route(self, path: str, query: str, form: dict[str, list[str]] | None, profile: SiteProfile
                     ) -> tuple[PurePosixPath | None, str]:
        """(file relative to the mirror folder or None, content type) for a request path of the site
        (its article paths, its archive's path and page parameter)."""

    def not_found_page(self, profile: SiteProfile) -> bytes:
        """The CMS's not-found page, as the site answers a missing article."""

    def home_page(self, profile: SiteProfile) -> bytes:
        """A home page (what a moved feed or archive URL answers with)."""

    def lose_body(self, page: bytes) -> bytes:
        """The page with its article body renamed (a theme change the parser has not seen)."""

    def new_text_pool(self, sentences: list[str], headlines: list[str], captions: list[str],
                      tags: list[str]) -> TextPool:
        """The generator's text input, from what the mirror read."""

    synth_first_id: int  # the synthetic site's first article id
    synth_template_site: str  # whose saved pages are the synthetic site's templates
    synth_unread: tuple[str, ...]  # sites whose reader does not read the synthetic pages whole
    synth_templates: dict[str, int]  # generation -> the saved page (its news id) used as its template

    def synthesize(self, out: Path, articles: int, seed: int = 1, *, templates: dict[str, str], pool: TextPool,
                   robots: bytes | None = None) -> dict[str, Any]:
        """A synthetic mirror folder of generated articles in every generation; its manifest. Its inputs
        (template pages by generation, a TextPool) are arguments: it reads no file."""
