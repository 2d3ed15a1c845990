"""IranSamaneh («ایران سامانه»), the CMS of Asriran and about 100 other Iranian news sites."""

from newscrawl.sites.iransamaneh.article import parse_article
from newscrawl.sites.iransamaneh.body import CleanBody, clean_body

__all__ = ["CleanBody", "clean_body", "parse_article"]
