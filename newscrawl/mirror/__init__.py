"""A local mirror of the site (a folder served over HTTP at the site's own paths) and the generator
of synthetic mirror folders."""
