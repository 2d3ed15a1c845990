"""IranSamaneh («ایران سامانه»), the CMS of Asriran and about 100 other Iranian news sites.

`cms` is what it offers the project (newscrawl.sites.cms.Cms); `markup` its selectors, which each
site's profile (sites/publishers/) overrides per generation."""
