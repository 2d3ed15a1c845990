"""IranSamaneh («ایران سامانه»), the CMS of Asriran and about 100 other Iranian news sites."""

from newscrawl.sites.iransamaneh.article import parse_article

__all__ = ["parse_article"]
