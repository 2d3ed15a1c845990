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
# Scrapy starts this many asyncio tasks for the output of every callback, even an empty one (a 404);
# the item pipelines are all synchronous, so a second one never runs while the first works: each
# task past the first was ~5 us of CPU a response for nothing (16: ~75 us, 100: ~0.5 ms). One keeps
# the items and requests of a page in their order, as before.
CONCURRENT_ITEMS = 1
# Scrapy re-reads a generator callback's source (inspect + ast) on every response to warn when it
# returns a value: its cache is keyed weakly on the request's bound method, which dies with the
# request, so that is ~0.6 ms of CPU a response (a third of a missing id's cost). Ours return none.
WARN_ON_GENERATOR_RETURN_VALUE = False
RETRY_TIMES = 4
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# "Gave up retrying" at DEBUG: the spider's errback logs the failure as one line (newscrawl/logs.py)
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
# Wait before each retry: Retry-After when sent (capped), else RETRY_BACKOFF_BASE * 2**n (capped).
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 120.0
RETRY_AFTER_MAX = 600.0
DOWNLOADER_MIDDLEWARES = {
    # a redirect to another site is not followed, and counted as a failed page
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "newscrawl.middlewares.offsite.OffsiteRedirectMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.retry.BackoffRetryMiddleware": 550,
    # Scrapy's, without decoding a page whose bytes hold no refresh (a 404's body is never decoded)
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.middlewares.meta_refresh.MetaRefreshMiddleware": 580,
    # before the retries: a challenge page is a refusal, not retried
    "newscrawl.middlewares.challenge.ChallengePageMiddleware": 555,
    # -s MIRROR_PROXY=http://127.0.0.1:P: every request through a local mirror of many sites (before
    # Scrapy's HttpProxyMiddleware, 750, which reads the proxy it sets)
    "newscrawl.middlewares.mirror_proxy.MirrorProxyMiddleware": 740,
}
# A loopback mirror serving a family root (python -m newscrawl mirror ROOT), as an HTTP proxy; each
# site's default base_url is then http://<its host>. Unset: the sites themselves.
MIRROR_PROXY = None
# Article pages are ~250 KB: anything past these is not an article page.
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024

ITEM_PIPELINES = {
    "newscrawl.pipelines.persian_text.PersianTextPipeline": 200,
    "newscrawl.pipelines.field_stats.FieldStatsPipeline": 250,
    "newscrawl.pipelines.validation.ValidationPipeline": 300,
    "newscrawl.pipelines.duplicates.DuplicatesPipeline": 400,
    "newscrawl.pipelines.written.WrittenArticlesPipeline": 500,
}
SPIDER_MIDDLEWARES = {"newscrawl.middlewares.known.SkipKnownArticlesMiddleware": 950}
# Scrapy's dupefilter, an article kept as one bit of its id (a million ids: 125 KB, not 90 MB)
DUPEFILTER_CLASS = "newscrawl.middlewares.dupefilter.ArticleDupeFilter"
EXTENSIONS = {
    # Scrapy's FeedExporter, which also records each article in the state once its line is written
    "scrapy.extensions.feedexport.FeedExporter": None,
    "newscrawl.extensions.recording_exporter.RecordingFeedExporter": 0,
    "newscrawl.extensions.recovery.CrashRecovery": 100,
    # Spidermon, its failed monitors logged as one line each (newscrawl.monitoring.runner)
    "spidermon.contrib.scrapy.extensions.Spidermon": None,
    "newscrawl.monitoring.runner.OperatorSpidermon": 500,
    "newscrawl.extensions.state_recorder.StateRecorder": 600,
    "newscrawl.extensions.run_report.RunReport": 900,
    "newscrawl.extensions.warc_archive.WarcArchive": 150,
    # progress with done/total, rate, ETA and failures (newscrawl.extensions.progress) instead of LogStats
    "scrapy.extensions.logstats.LogStats": None,
    "newscrawl.extensions.progress.ProgressLog": 0,
    "newscrawl.extensions.pending.PendingRequestsProbe": 950,  # newscrawl/scheduler_pending_max
}
# Seconds between two progress lines in the log (0: none).
PROGRESS_INTERVAL = 60.0

# Where runs write. Each run (with -o/-O too) writes <OUTPUT_DIR>/<spider>/<UTC day>/<run id>.jsonl,
# under that name only once complete, with its quarantine and report beside it. Templates take the
# spider's attributes, as Scrapy's feed URIs do.
OUTPUT_DIR = "output"
# The state store's folder; unset: <OUTPUT_DIR>/state. Relative paths are taken from the command's
# working directory when the crawl starts (newscrawl.output.paths.resolve_run_dirs).
STATE_DIR = None
BAD_PAGE_RETRY_HOURS = 24  # a quarantined or missing article is asked for again after this
# Missing and quarantined pages go to the state store in batches (one transaction each): this many
# rows, or what waited this long; a crash loses only rows not yet written (those pages are asked again).
STATE_BAD_PAGES_BATCH = 500
STATE_BAD_PAGES_FLUSH_SECONDS = 5.0
# State store (issue 12): a write to it waits this long for another run's transaction, then the
# run stops with exit code 7 (state_failed).
STATE_LOCK_TIMEOUT = 30
# Which store keeps "what has been written" (a class with for_settings(settings)): SQLite in STATE_DIR;
# the scale-out add-on switches it to the crawl's store in Redis, as it switches SCHEDULER.
STATE_BACKEND = "newscrawl.state.sqlite.StateStore"
RUN_OUTPUT_PATH = "%(output_dir)s/%(name)s/%(run_day)s/%(run_id)s.jsonl"
QUARANTINE_PATH = "%(output_dir)s/%(name)s/%(run_day)s/%(run_id)s.quarantine.jsonl"
RUN_REPORT_PATH = "%(output_dir)s/%(name)s/%(run_day)s/%(run_id)s.report.json"
# A run of many sites (python -m newscrawl crawl --sites): its combined report, per site its outcome,
# exit code, counts and report path. Empty: none.
SWEEP_REPORT_PATH = "%(output_dir)s/sweeps/%(run_day)s/%(run_id)s.json"
FEED_STORAGES = {"file": "newscrawl.output.jsonl.AtomicFileFeedStorage",
                 "": "newscrawl.output.jsonl.AtomicFileFeedStorage"}
FEED_STORE_EMPTY = False

# Raw pages (issue 11): every response a run fetched, as WARC 1.1 request + response records beside
# its output, for `python -m newscrawl reparse`. Off with -s WARC_ENABLED=False.
WARC_ENABLED = True
WARC_PATH = "%(output_dir)s/%(name)s/%(run_day)s/%(run_id)s.warc.gz"
WARC_WRITE_BATCH = 16  # responses handed to the writer thread at a time (1: each as it arrives)
WARC_COMPRESSION_LEVEL = None  # None: ISA-L's deflate (level 2; zlib 3 without isal), ~4.5x less CPU than
# zlib 3 for ~6% more bytes (bench/warc.py); a number 0-9: zlib at that level (9 is ~6x slower than 3)
# A non-2xx response whose body is byte for byte one already archived in the file (an ids backfill's
# not-found page) is kept as a WARC revisit record: its status and headers, not its body again (issue 22)
WARC_REVISITS = True

# JSON lines of the v1 contract, Persian letters as themselves (never \u escapes).
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(EXPORT_FIELDS)

# Monitoring (Spidermon): at the end of a run the drift monitor compares the share of articles with
# an empty field against these limits, over the newest runs (this one included, within
# DRIFT_WINDOW_HOURS, kept in the state store's file) that hold DRIFT_MIN_ARTICLES articles; and it
# alarms at once when every article of a run (at least DRIFT_SAME_FAILURE_MIN_ARTICLES) was
# quarantined for the same field. Either way the run reports the field and `scrapy crawl` exits 3.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("newscrawl.monitoring.drift.DriftMonitorSuite",)
DRIFT_MIN_ARTICLES = 20
DRIFT_WINDOW_HOURS = 72
DRIFT_SAME_FAILURE_MIN_ARTICLES = 3
DRIFT_MAX_EMPTY_SHARE = {"title": 0.05, "body": 0.2, "published_at": 0.2}

# Alerts (newscrawl/monitoring/alerts.py): once the engine stopped, a run with a non-zero exit code runs these
# Spidermon actions. ALERT_WEBHOOK_URL: a JSON POST (Slack-style `text`); ALERT_ACTIONS: Spidermon's
# own actions (email, Slack, Telegram, Sentry), configured by their SPIDERMON_* settings.
SPIDERMON_ENGINE_STOP_MONITORS = ("newscrawl.monitoring.alerts.RunOutcomeSuite",)
ALERT_WEBHOOK_URL = ""
ALERT_WEBHOOK_TIMEOUT = 10.0
ALERT_ACTIONS: list[str | type] = []
COMMANDS_MODULE = "newscrawl.scrapy_commands"

# No open doors: a crawl listens on no port. Scrapy's telnet console and its Remote Control HTTP
# server (2.19+) both run arbitrary Python inside the crawler, and a scheduled run never needs them.
# For a debugging session: -s TELNETCONSOLE_ENABLED=1 or -s REMOTE_CONTROL_ENABLED=1.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Scale-out (newscrawl.distributed; README "Scale-out"): with REDIS_URL and CRAWL_NAME set, this
# process is one worker of a crawl seeded into Redis (python -m newscrawl seed); without them,
# nothing here is used. STATE_NAME: whose "already written" state (default: the crawl's own).
ADDONS = {"newscrawl.distributed.addon.ScaleOut": 0}
REDIS_URL = None
CRAWL_NAME = None
STATE_NAME = None
LEASE_VISIBILITY_SECONDS = 60   # a dead worker's requests go back to the queue after this
LEASE_HEARTBEAT_SECONDS = 2     # confirm finished requests, extend the leases still held
LEASE_MAX_ATTEMPTS = 3          # leases of one request that may expire before it is dead-lettered
LEASE_PREFETCH = 4              # requests a worker leases per round trip (handed out one by one)
LEASE_MAX_SECONDS = 1800        # a live worker stuck on one request this long lets another take it
REDIS_WAIT_SECONDS = 60         # wait this long for Redis to come back, then stop (exit code 7)
DISTRIBUTED_RATE = 2.0          # requests per second per host, shared by all workers (0: no limit)
DISTRIBUTED_BURST = 1

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

# The log a person reads (newscrawl/logs.py): a quiet run fits a screen; one line per dropped or
# quarantined item (the item itself is in the quarantine file); start-up listings at DEBUG; the
# full stats are in the run report, not dumped in the log. `scrapy version -v` gives the versions.
LOG_FORMATTER = "newscrawl.logs.OperatorLogFormatter"
LOG_VERSIONS: list[str] = []
STATS_DUMP = False
MISSING_IDS_LOGGED = 20  # the summary line of missing ids names at most this many ranges

# Saved pages (mode=files) are read from the local disk: no politeness delay, no AutoThrottle.
LOCAL_FILES_SLOT = "local-files"
DOWNLOAD_SLOTS = {LOCAL_FILES_SLOT: {"concurrency": 8, "delay": 0, "jitter": 0}}
