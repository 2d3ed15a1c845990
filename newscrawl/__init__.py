"""newscrawl: article pages of a family of Persian news sites (one CMS) to clean, normalized JSON lines."""

__version__ = "0.1.0"
