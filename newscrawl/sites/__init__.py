"""All site knowledge: one home per CMS (`iransamaneh/`), the sites themselves as data (`profiles`).

The rest of the project reaches a site's parser only through this module.
"""

from __future__ import annotations

from datetime import datetime
from types import ModuleType

from newscrawl.items import Article
from newscrawl.sites import iransamaneh
from newscrawl.sites.errors import NotAnArticle
from newscrawl.sites.profiles import PROFILES, SiteProfile, profile_for_url

_CMS: dict[str, ModuleType] = {"iransamaneh": iransamaneh}


def cms_for(profile: SiteProfile) -> ModuleType:
    """The CMS package of a site: it offers parse_article."""
    return _CMS[profile.cms]


def parse_page(html: str, url: str | None, *, site: str | None = None,
               crawled_at: datetime | None = None) -> Article:
    """The site's parser on one page: the finished article. Raises NotAnArticle for pages that are
    no article. The parser reads each field on its own: a field that fails is a defect naming it,
    and the other fields still come out (the item is quarantined with them, not lost)."""
    profile = PROFILES[site] if site else profile_for_url(url)
    return cms_for(profile).parse_article(html, url, site=profile.name, crawled_at=crawled_at)


__all__ = ["PROFILES", "NotAnArticle", "SiteProfile", "cms_for", "parse_page", "profile_for_url"]
