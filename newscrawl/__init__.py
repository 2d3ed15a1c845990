"""newscrawl: Asriran (IranSamaneh CMS) article pages to clean, normalized JSON lines."""

__version__ = "0.1.0"
