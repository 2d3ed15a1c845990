"""Scrapy settings: the single switchboard. Every value here can be overridden with -s NAME=VALUE."""

from newscrawl.items import EXPORT_FIELDS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

# Polite defaults for the live site.
CONTACT_URL = "https://github.com/newscrawl/newscrawl"
# {contact_url} is filled in from CONTACT_URL by the spider.
USER_AGENT = "newscrawl/0.1 (+{contact_url}; Persian news dataset crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5
ROBOTSTXT_USER_AGENT = "newscrawl"
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 4
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Wait before each retry: Retry-After when sent (capped), else RETRY_BACKOFF_BASE * 2**n (capped).
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 120.0
RETRY_AFTER_MAX = 600.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.BackoffRetryMiddleware": 550,
}

ITEM_PIPELINES = {
    "newscrawl.pipelines.boilerplate.BoilerplatePipeline": 100,
    "newscrawl.pipelines.persian_text.PersianTextPipeline": 200,
    "newscrawl.pipelines.validation.ValidationPipeline": 300,
    "newscrawl.pipelines.duplicates.DuplicatesPipeline": 400,
}
# %(name)s is the spider, %(time)s the UTC start of the run.
QUARANTINE_PATH = "output/quarantine/%(name)s-%(time)s.jsonl"

EXTENSIONS = {"newscrawl.extensions.run_report.RunReport": 500}
RUN_REPORT_PATH = "output/reports/%(name)s-%(time)s.json"

# JSON lines of the v1 contract, Persian letters as themselves (never \u escapes).
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(EXPORT_FIELDS)

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
