"""The IranSamaneh site as a local mirror serves it (`newscrawl.sites.cms.CmsMirror`: this module and
synth.py's generator are the object), the writer side of `urls` and `listing`:

    /fa/news/<id>[/<slug>]        -> news/<id>.html   (404 + the CMS's not-found page when missing;
                                     the site's article paths, `SiteProfile.article_path_re`)
    /fa/archive?…&p=N             -> archive/<N>.html (the site's archive path and page parameter,
                                     `Archive.path`/`page_param`; N counts from 1 whatever the site's
                                     first page number; no page parameter: 1; it may come in a POSTed form)
    /fa/rss/allnews               -> rss/allnews.xml
    /fa/rss/<service>[/<cat>]     -> rss/<service>[-<cat>].xml
    /robots.txt                   -> robots.txt when present
"""

from __future__ import annotations

import html
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote

from newscrawl.sites.iransamaneh.synth import FIRST_ID as synth_first_id
from newscrawl.sites.iransamaneh.synth import SYNTH_UNREAD as synth_unread
from newscrawl.sites.iransamaneh.synth import TEMPLATE_PAGES as synth_templates
from newscrawl.sites.iransamaneh.synth import TEMPLATE_SITE as synth_template_site
from newscrawl.sites.iransamaneh.synth import TextPool, synthesize
from newscrawl.sites.iransamaneh.urls import RSS_PATH, news_id_from_path
from newscrawl.sites.profiles import SiteProfile

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
NOT_FOUND_TEXT = "صفحه درخواستی شما موجود نمی باشد"  # the CMS's not-found page (markup §2)


def mirror_route(path: str, query: str, form: dict[str, list[str]] | None, profile: SiteProfile
                 ) -> tuple[PurePosixPath | None, str]:
    """The file of the mirror folder a request of `profile`'s site names, and its content type."""
    path = unquote(path)
    if (news_id := news_id_from_path(path, profile)) is not None:
        return PurePosixPath("news") / f"{news_id}.html", HTML
    archive = profile.archive
    if path.rstrip("/") == archive.path.rstrip("/"):
        pages = (form or {}).get(archive.page_param) or parse_qs(query).get(archive.page_param)
        asked = pages[-1].strip() if pages else ""
        page = int(asked) - archive.first_page + 1 if asked.lstrip("-").isdigit() else 1
        return PurePosixPath("archive") / f"{page}.html", HTML
    if match := RSS_PATH.match(path):
        name = "-".join(part for part in match.groups() if part)
        return PurePosixPath("rss") / f"{name}.xml", RSS
    if path == "/robots.txt":
        return PurePosixPath("robots.txt"), "text/plain; charset=utf-8"
    return None, HTML


def not_found_page(profile: SiteProfile) -> bytes:
    title = html.escape(profile.display_name or profile.name)
    text = html.escape(profile.not_found_text or NOT_FOUND_TEXT)
    return (
        f'<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body id="error"><div class="error_container"><div class="error_title">{text}</div>'
        '<a href="/">صفحه نخست</a></div></body></html>'
    ).encode()


def home_page(profile: SiteProfile) -> bytes:
    """A home page of the site: what a feed or archive URL that moved answers with (HTML, 200)."""
    title = html.escape(profile.display_name or profile.name)
    return (
        f'<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body id="home"><div class="main_news"><a href="/fa/news/917512/x">خبر</a>'
        '<a href="/fa/news/862177/y">خبر</a></div></body></html>'
    ).encode()


def lose_body(page: bytes) -> bytes:
    """The page as a theme change would leave it: its article body renamed, so the parser finds none."""
    return page.replace(b'class="body"', b'class="story"')




def new_text_pool(sentences: list[str], headlines: list[str], captions: list[str], tags: list[str]) -> TextPool:
    return TextPool(sentences, headlines, captions, tags)

__all__ = ["new_text_pool", "home_page", "lose_body", "mirror_route", "not_found_page", "synth_first_id",
           "synth_template_site", "synth_unread", "synth_templates", "synthesize"]
