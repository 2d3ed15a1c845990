"""The run's configuration, resolved once by the spider and given to every component built after it.

Scrapy hands the spider arguments (-a) to the spider and to nothing else; the components (middlewares,
pipelines, extensions, the scheduler) are built from the crawler. Scrapy's order (`Crawler.crawl`,
Scrapy >= 2.13, which pyproject requires) makes the spider the place to resolve them:

    1. the spider: `Spider.from_crawler` (the settings are not frozen yet);
    2. `Crawler._apply_settings`: the add-ons, the stats, the extensions; then the settings freeze;
    3. the engine: the downloader and its middlewares, the spider middlewares, the item pipelines;
    4. the scheduler, when the engine opens the spider.

So `SiteSpider.from_crawler` checks its arguments, settles what depends on the settings too
(`skip_known` defaults to false when -o/-O names the output of an ids/urls run), and publishes one
frozen `RunConfig` on the crawler; each component takes what it needs in its own `from_crawler`
(`run_config(crawler)`), as scrapy-redis's scheduler takes its settings, and no component reads
`spider.<attribute>`. Not settings: a spider may set settings before they freeze, but a `-s` of the
same name would override them, and these are the values of the -a arguments, set nowhere else.

A crawl whose spider is not a site spider (`scrapy shell`, `scrapy fetch` inside the project) has no
RunConfig: the components that need one are then not configured (Scrapy's NotConfigured), the ones
that only describe the run leave the fields out.
"""

from __future__ import annotations

from dataclasses import dataclass

_ATTRIBUTE = "_newscrawl_run_config"


@dataclass(frozen=True)
class RunConfig:
    site: str          # the site profile's name
    mode: str          # rss, archive, ids, urls or files
    run_id: str        # names this run's files and, with the pid, its claims in the state
    base_url: str      # the host crawled: the real site, or a mirror (-a base_url=)
    refresh: bool = False     # fetch known articles again; write those whose content changed
    skip_known: bool = True   # skip articles the state holds (before the request and before writing)


def publish(crawler, config: RunConfig) -> None:
    """Make `config` the run's configuration (the spider does, in its from_crawler)."""
    setattr(crawler, _ATTRIBUTE, config)


def run_config(crawler) -> RunConfig | None:
    """The run's configuration; None when the crawl's spider published none (not a site spider)."""
    return getattr(crawler, _ATTRIBUTE, None)
