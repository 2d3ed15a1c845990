"""Errors a site parser raises."""


class NotAnArticle(ValueError):
    """The page is not an article page (the CMS's not-found page, a listing, the home page)."""
