"""One module per site, each holding `PROFILE`, the site as data (newscrawl.sites.profiles).

Like Fundus's publishers sharing one parser per CMS: a module says only what its site does
differently from its CMS. The module's name is the site's name and its spider's name."""
