"""The components take the run's configuration when they are built (newscrawl.run.config): the spider
resolves its -a arguments and publishes them before Scrapy builds anything else."""

import asyncio

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.spiders import Spider
from scrapy.statscollectors import MemoryStatsCollector

from newscrawl.items import Article, exported
from newscrawl.middlewares.known import SkipKnownArticlesMiddleware
from newscrawl.pipelines.written import WrittenArticlesPipeline
from newscrawl.run.config import RunConfig, run_config
from newscrawl.run.store import owner_for, store_for
from newscrawl.spiders.site import AsriranSpider, TabnakSpider


def built(tmp_path, spidercls=AsriranSpider, settings=(), **args):
    """A crawler as Crawler.crawl leaves it for the components (no reactor: any test order holds)."""
    project = Settings()
    project.setmodule("newscrawl.settings", priority="project")
    project.setdict({"STATE_DIR": str(tmp_path / "state"), "OUTPUT_DIR": str(tmp_path / "out"), **dict(settings)},
                    priority="project")
    crawler = Crawler(spidercls, project)
    crawler.spider = spidercls.from_crawler(crawler, **args)  # first the spider, settings not frozen yet
    crawler.stats = MemoryStatsCollector(crawler)  # then Crawler._apply_settings: stats, extensions, ...
    return crawler


def test_the_spider_publishes_its_resolved_arguments(tmp_path):
    crawler = built(tmp_path, TabnakSpider, mode="ids", ids="5,6", refresh="1", base_url="http://127.0.0.1:1")
    assert run_config(crawler) == RunConfig(site="tabnak", mode="ids", run_id=crawler.spider.run_id,
                                            base_url="http://127.0.0.1:1", refresh=True, skip_known=True)


def test_the_pipeline_takes_refresh_and_the_owner_when_built(tmp_path):
    crawler = built(tmp_path, mode="ids", ids="5", refresh="1")
    pipeline = WrittenArticlesPipeline.from_crawler(crawler)
    assert pipeline.refresh is True and pipeline.owner == owner_for(crawler)
    assert pipeline.owner.startswith(crawler.spider.run_id)
    with pytest.raises(NotConfigured):  # a refresh requests the known articles again
        SkipKnownArticlesMiddleware.from_crawler(crawler)
    store_for(crawler).close()


def test_the_middleware_drops_the_requests_of_known_articles_of_its_site(tmp_path):
    crawler = built(tmp_path, mode="ids", ids="5,6,7")
    store = store_for(crawler)
    store.record([exported(Article(site="asriran", news_id=5, url="u5")),
                  exported(Article(site="tabnak", news_id=6, url="u6"))])  # another site's article 6
    middleware = SkipKnownArticlesMiddleware.from_crawler(crawler)
    assert middleware.site == "asriran"

    async def start():
        return [r.meta["news_id"] async for r in middleware.process_start(crawler.spider.start())]

    assert asyncio.run(start()) == [6, 7]
    later = [crawler.spider.article_request(i) for i in (5, 7)]
    assert [r.meta["news_id"] for r in middleware.process_spider_output(None, later)] == [7]
    assert crawler.stats.get_value("newscrawl/skipped_known") == 2
    store.close()


def test_a_run_that_names_its_output_file_writes_every_article(tmp_path):
    crawler = built(tmp_path, settings={"FEEDS": {str(tmp_path / "ids.jsonl"): {"format": "jsonlines"}}},
                    mode="ids", ids="5")
    assert run_config(crawler).skip_known is False
    for component in (SkipKnownArticlesMiddleware, WrittenArticlesPipeline):
        with pytest.raises(NotConfigured):
            component.from_crawler(crawler)


def test_without_a_site_spider_there_is_nothing_to_skip_or_claim(tmp_path):
    crawler = Crawler(Spider, {})  # scrapy shell / fetch in the project
    crawler.stats = MemoryStatsCollector(crawler)
    assert run_config(crawler) is None
    for component in (SkipKnownArticlesMiddleware, WrittenArticlesPipeline):
        with pytest.raises(NotConfigured):
            component.from_crawler(crawler)
