"""All site knowledge: one home per CMS (`iransamaneh/`), the sites themselves as data (`profiles`,
`publishers/`).

The rest of the project reaches a site only through this module: its profile, and its CMS (`cms_for`),
which reads its pages, builds its URLs and serves it on the mirror.
"""

from __future__ import annotations

from datetime import datetime

from newscrawl.exceptions import NotAnArticle
from newscrawl.items import Article
from newscrawl.sites import topics
from newscrawl.sites.cms import Cms, CmsMirror
from newscrawl.sites.iransamaneh import cms as iransamaneh_cms
from newscrawl.sites.iransamaneh import mirror as iransamaneh_mirror
from newscrawl.sites.profiles import (
    DEFAULT_SITE,
    HOSTS,
    PROFILES,
    SiteProfile,
    generic_profile,
    not_registered,
    profile_for_url,
    profile_named,
    site_name,
)

_CMS: dict[str, Cms] = {"iransamaneh": iransamaneh_cms}
_MIRRORS: dict[str, CmsMirror] = {"iransamaneh": iransamaneh_mirror}


def cms_for(profile: SiteProfile | str) -> Cms:
    """The CMS of a site (a profile or a site name)."""
    profile = PROFILES[profile] if isinstance(profile, str) else profile
    return _CMS[profile.cms]


def mirror_for(profile: SiteProfile | str) -> CmsMirror:
    """The writer side of a site's CMS (the local mirror, synthetic sites)."""
    profile = PROFILES[profile] if isinstance(profile, str) else profile
    return _MIRRORS[profile.cms]


def parse_page(html: str, url: str | None, *, site: str | SiteProfile | None = None,
               crawled_at: datetime | None = None, strict: bool = False) -> Article:
    """The site's parser on one page: the finished article. Raises NotAnArticle for pages that are
    no article. The parser reads each field on its own: a field that fails is a defect naming it,
    and the other fields still come out (the item is quarantined with them, not lost). A page of a
    generation the site has not declared, and every page of a host no profile names, is read with
    the CMS's generic reader: never with another site's markup.
    `strict` (extract --strict): a field reader's exception is raised instead of becoming a defect.
    `site`: a site's name or profile (a generic one: a site no profile names); by default the site of
    `url`'s host (`profile_for_url`)."""
    profile = (PROFILES[site] if isinstance(site, str) else site) if site else profile_for_url(url)
    item = cms_for(profile).parse_article(html, url, profile=profile, crawled_at=crawled_at, strict=strict)
    item.topic = topic_of(profile, item)
    return item


def topic_of(profile: SiteProfile, item: Article) -> str | None:
    """The article's family-wide topic from its service and category (newscrawl.sites.topics)."""
    return topics.resolve(profile.topics, item.service, item.category,
                          item.section_ids.get("service_id"), item.section_ids.get("cat_id"))


__all__ = ["DEFAULT_SITE", "HOSTS", "PROFILES", "Cms", "CmsMirror", "NotAnArticle", "SiteProfile", "cms_for",
           "generic_profile", "mirror_for", "not_registered", "parse_page", "profile_for_url", "profile_named",
           "site_name", "topic_of"]
