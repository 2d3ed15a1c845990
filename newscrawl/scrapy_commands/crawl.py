"""`scrapy crawl`, with an exit code that says how the run went, for cron, systemd and Scrapyd
(newscrawl.exit_codes has the table).

Bad arguments never reach the crawl: an unknown spider, a malformed `-a`/`-o` option, or a spider
argument its `parse_args` refuses is one line on stderr and exit code 2, never a traceback. A state
store that cannot be opened or written (corrupt, unreadable, its disk full) is one line and exit code 7
before the crawl starts, the start-of-run recovery included (newscrawl.run.recovery). Such a refusal
(and busy, 8, or an -o file that cannot be written, 6) still tells: the line goes to LOG_FILE too (the
job's log under Scrapyd) and to ALERT_WEBHOOK_URL (newscrawl.monitoring.alerts.alert_before_crawl).
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import datetime
from difflib import get_close_matches
from urllib.parse import urlparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import load_object
from w3lib.url import file_uri_to_path

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.distributed import is_distributed
from newscrawl.exceptions import BadArgument, Busy, Refused
from newscrawl.extensions.recovery import hold_jobdir, release_unused_jobdirs
from newscrawl.middlewares.mirror_proxy import check_mirror_proxy
from newscrawl.monitoring.alerts import alert_before_crawl
from newscrawl.output.jsonl import RUN_FILE, hold_output, release_unused_outputs
from newscrawl.output.paths import resolve_run_dirs
from newscrawl.output.warc import recover_archives
from newscrawl.run.clock import LATEST_CRAWLED_AT_SETTING
from newscrawl.run.recovery import RECOVERED_SETTING, recover_before_run
from newscrawl.run.store import open_store
from newscrawl.sites import DEFAULT_SITE

# The command these lines name (`python -m newscrawl crawl --sites` reuses the checks here and sets it).
PROG = "scrapy crawl"


def refuse(message: str, code: int = exit_codes.USAGE) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    raise Refused(message, code)


def tell_refusal(settings, spider: str, spargs: dict[str, str], refused: Refused) -> None:
    """A run refused before the crawl is not silent where nobody reads stderr (Scrapyd keeps it in its
    own log only): the line goes to LOG_FILE, the job's log, and to the webhook alert."""
    code = int(refused.code or 0)
    line = f"{PROG}: {refused.message} (exit code {code}, before the crawl)"
    if log_file := settings.get("LOG_FILE"):
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        try:
            with open(log_file, "a", encoding=settings.get("LOG_ENCODING") or "utf-8") as log:
                log.write(f"{stamp} [scrapy.commands.crawl] ERROR: {line}\n")
        except OSError as exc:
            print(f"{PROG}: cannot write the log {log_file}: {exc}", file=sys.stderr, flush=True)
    alert_before_crawl(settings, spider, spargs, code, refused.message)


def check_state_store(settings) -> None:
    """Open the state store once before the crawl and do the start-of-run recovery with it
    (newscrawl.run.recovery): a corrupt, unreadable or full one would otherwise stop Scrapy's start
    with a traceback (exit 1). What the recovery did goes to the run's stats (RECOVERED_SETTING)."""
    original = settings
    settings = settings.copy()
    resolve_run_dirs(settings)  # STATE_DIR follows OUTPUT_DIR unless set
    for addon in settings.getdict("ADDONS"):  # as the crawler will: the scale-out add-on picks Redis
        load_object(addon)().update_settings(settings)
    try:
        store = open_store(settings)
        try:
            store.check_writable()  # not locked, not corrupt
            recovered = recover_before_run(settings, store)
            latest = store.latest_crawled_at()  # the floor of the run's clock (newscrawl.run.clock)
        finally:
            store.close()
    except Exception as exc:  # noqa: BLE001 - whatever the store's backend raises, the run cannot start
        if is_distributed(settings):  # Redis away past REDIS_WAIT_SECONDS, read-only, out of memory
            refuse(f"state_failed: the crawl's state in Redis ({settings.get('REDIS_URL')}) cannot be used: "
                   f"{exc}", exit_codes.STATE_FAILED)
        path = f"{settings.get('STATE_DIR')}/state.sqlite3"
        refuse(f"state_failed: the state store {path} cannot be used: {exc} ({state_hint(exc)})",
               exit_codes.STATE_FAILED)
    if output_dir := settings.get("OUTPUT_DIR"):
        # The archives of killed runs too, once here for the process: each crawler's WarcArchive would
        # walk the whole OUTPUT_DIR again (a hundred sites: a hundred walks). One that cannot be
        # finalized here is left to the crawler, which meets it as before.
        try:
            recovered[stat.WARC_RECOVERED_FILES] = len(recover_archives(output_dir))
        except OSError:
            pass
    original.set(RECOVERED_SETTING, recovered, priority="cmdline")
    if latest:
        original.set(LATEST_CRAWLED_AT_SETTING, latest, priority="cmdline")


def state_hint(exc: Exception) -> str:
    """What to do about a state store that cannot be used, by what went wrong."""
    if "full" in str(exc) or "No space left" in str(exc):
        return "free space on the disk of STATE_DIR; nothing was crawled"
    return "restore it, or move it aside: the next run rebuilds it from the run files under OUTPUT_DIR"


def local_file(uri: str) -> str | None:
    """The path of a feed URI that is a local file named in full (no %(name)s-style parameter)."""
    parsed = urlparse(str(uri))
    if parsed.scheme not in ("", "file"):  # stdout:, s3://, ...
        return None
    path = file_uri_to_path(str(uri)) if parsed.scheme else str(uri)  # as Scrapy's FileFeedStorage
    return None if "%(" in path else path


def hold_outputs_or_refuse(settings, spider: str, spargs: dict[str, str]) -> None:
    """Hold the files of -o/-O before the crawl: a file another live run is writing is one line and
    exit code 8 (busy), and that file is not touched. A part a killed run of the same command left
    is adopted (newscrawl.output.jsonl.hold_output): its lines are kept, and its feed gets the item
    filter that keeps them from being written twice."""
    feeds = settings.getdict("FEEDS")
    command = {"spider": spider, "args": dict(sorted(spargs.items()))}  # as JSON keeps it
    held = {}
    for uri, options in feeds.items():
        path = local_file(uri)
        if path is None or options.get(RUN_FILE):
            held[uri] = options
            continue
        # Only a JSON-lines file can be taken up where a killed run left it (a JSON array cannot).
        lines = (options.get("format") or os.path.splitext(path)[1].lstrip(".")) in ("jsonl", "jsonlines")
        try:
            output = hold_output(path, overwrite=bool(options.get("overwrite")), command=command if lines else None)
        except Busy as exc:
            release_unused_outputs()
            refuse(f"busy: {exc}; nothing was crawled", exit_codes.BUSY)
        except OSError as exc:  # its folder cannot be made or written: nothing crawled for a file lost
            release_unused_outputs()
            refuse(f"write_failed: {path} cannot be written: {exc}; nothing was crawled", exit_codes.WRITE_FAILED)
        options = {**options, "newscrawl_output": str(output.final)}
        if output.adopted and "item_filter" not in options:
            options["item_filter"] = "newscrawl.output.jsonl.NotAdopted"
        held[uri] = options
    if held != feeds:
        settings.set("FEEDS", held, priority=settings.getpriority("FEEDS"))


def claim_jobdir_or_refuse(settings) -> None:
    """Claim the JOBDIR before the crawl: one in use by a live run is one line and exit code 8
    (busy), and the live run's job is left alone."""
    settings = settings.copy()
    for addon in settings.getdict("ADDONS"):  # as the crawler will: the scale-out add-on has no JOBDIR
        load_object(addon)().update_settings(settings)
    jobdir = settings.get("JOBDIR")
    if not jobdir:
        return
    try:
        hold_jobdir(jobdir)
    except Busy as exc:
        release_unused_outputs()
        refuse(f"busy: {exc}; nothing was crawled", exit_codes.BUSY)


def check_arguments(settings, args: list[str], spargs: dict[str, str], loader=None) -> None:
    """Before Scrapy starts (and logs anything): one known spider, and arguments it accepts. `loader`:
    the spider loader of these settings, when the caller checks many spiders (one made per check
    copies the whole settings and walks SPIDER_MODULES again)."""
    if len(args) != 1:
        refuse(f"give one spider name, e.g. scrapy crawl {DEFAULT_SITE}")
    if loader is None:
        loader = get_spider_loader(settings)
    try:
        spidercls = loader.load(args[0])
    except KeyError:
        known = sorted(loader.list())
        near = get_close_matches(args[0], known, n=3, cutoff=0.8)
        refuse(f"unknown spider {args[0]!r}" + (f" (did you mean {' or '.join(near)}?)" if near else "")
               + f": `scrapy list` names the {len(known)} known spiders")
    parse_args = getattr(spidercls, "parse_args", None)
    try:
        if parse_args is not None:
            parse_args(spargs)
        check_mirror_proxy(settings.get("MIRROR_PROXY"))
    except BadArgument as exc:
        refuse(str(exc))


def watch_forced_stop(process) -> dict[str, int]:
    """Remember the signal that forces the crawl down (a second Ctrl-C or SIGTERM): Scrapy's first
    handler installs `process._signal_kill` (`_signal_kill_reactorless` without a reactor) as the
    next one, looked up on the instance, so wrapping them here sees the second signal. These are
    private Scrapy methods: test_edges_output's Ctrl-C test fails if they are renamed. Returns the
    dict that gets {"signum": N} once forced."""
    forced: dict[str, int] = {}
    for name in ("_signal_kill", "_signal_kill_reactorless"):
        original = getattr(process, name, None)
        if original is None:
            continue

        def kill(signum, frame, original=original):
            forced.setdefault("signum", signum)  # only an assignment: this runs in a signal handler
            original(signum, frame)

        setattr(process, name, kill)
    return forced


def forced_exit_code(code: int, forced: dict[str, int]) -> int:
    """A run forced down exits 128 + the signal (130 for SIGINT, 143 for SIGTERM), with one line on
    stderr, unless the output or the state failed (6, 7): a data failure is what the operator must
    see first; the findings of a run that did not finish (5, 4, 9, 3) come after."""
    if "signum" not in forced:
        return code
    name = signal.Signals(forced["signum"]).name
    print(f"{PROG}: interrupted: forced down by a second {name}; the next run finalizes what this one "
          "wrote", file=sys.stderr, flush=True)
    if code in (exit_codes.WRITE_FAILED, exit_codes.STATE_FAILED):
        return code
    return 128 + forced["signum"]


class Command(ScrapyCrawl):
    def process_options(self, args, opts) -> None:
        try:
            try:
                super().process_options(args, opts)
            except UsageError as exc:
                refuse(str(exc))
            check_arguments(self.settings, args, opts.spargs)
            check_state_store(self.settings)
            hold_outputs_or_refuse(self.settings, args[0], opts.spargs)
            claim_jobdir_or_refuse(self.settings)
        except Refused as refused:
            tell_refusal(self.settings, args[0] if args else "?", getattr(opts, "spargs", None) or {}, refused)
            raise

    def run(self, args, opts) -> None:
        assert self.crawler_process is not None  # set by scrapy.cmdline, as Scrapy's crawl asserts
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        forced = watch_forced_stop(self.crawler_process)
        self.crawler_process.start()
        release_unused_outputs()
        release_unused_jobdirs()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exit_codes.COULD_NOT_START
        else:
            self.exitcode = exit_codes.exit_code(crawler.stats.get_stats())
        self.exitcode = forced_exit_code(self.exitcode, forced)
