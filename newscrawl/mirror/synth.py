"""The synthetic site the tests and benchmarks crawl: N generated articles, written by the default
site's CMS (newscrawl.sites: the page writers sit beside the readers they mirror)."""

from newscrawl.sites import DEFAULT_SITE, cms_for

_CMS = cms_for(DEFAULT_SITE)
FIRST_ID: int = _CMS.synth_first_id
synthesize = _CMS.synthesize

__all__ = ["FIRST_ID", "synthesize"]
