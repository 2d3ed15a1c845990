"""`python -m newscrawl crawl --sites all|A,B,...|GROUP [-a NAME=VALUE ...] [-s NAME=VALUE ...]`: crawl a
set of sites in one process, one Scrapy crawler per site (Scrapy's CrawlerProcess), with the same -a
and -s options as `scrapy crawl <site>` and in any mode (`-a mode=rss`, `-a mode=archive -a days=3`).

Each site runs as if crawled alone: its own spider, politeness (robots.txt, DOWNLOAD_DELAY,
AutoThrottle and concurrency per host: each crawler has its own downloader), state, run files,
report and drift verdict. A site that fails, hangs or is blocked stops no other: a crawler that
cannot start is that site's exit code 1; `-s CLOSESPIDER_TIMEOUT=N` bounds each site's run on its
own (a site stopped there is named in the summary); a site whose JOBDIR another live run holds is
skipped (exit code 8 for it). With `-s JOBDIR=DIR` each site keeps its job in DIR/<site>.

Before anything is crawled, the checks of `scrapy crawl` (newscrawl.scrapy_commands.crawl) run for
every site: a bad argument for any of them is one line and exit code 2, a state store that cannot be
used one line and exit code 7. At the end: one summary on stderr (its first and last lines name
each site that failed and why), a combined report (SWEEP_REPORT_PATH: per site its outcome, exit
code, counts and report), and the most serious exit code of the sites (newscrawl.exit_codes.SERIOUSNESS).

What does not scale to a hundred crawlers in one process is off: Scrapy's telnet console and remote
control (a port each), and the log-count extension (each crawler's handler would count every line of
the process; newscrawl.extensions.site_log_count counts each site's own).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import _asyncio_reactor_path

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.commands.seed import spider_arguments
from newscrawl.exceptions import BadArgument
from newscrawl.extensions.recovery import release_unused_jobdirs
from newscrawl.output.jsonl import release_unused_outputs
from newscrawl.output.parts import write_whole_file
from newscrawl.output.paths import resolve_run_dirs, run_name, run_path
from newscrawl.scrapy_commands import crawl as single
from newscrawl.sites.groups import groups, resolve_sites

PROG = "newscrawl crawl"
# Off in a run of many sites: each would take a port, or see every crawler's log lines.
MULTI_SITE_SETTINGS = {"TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False}
LOG_COUNT = "scrapy.extensions.logcount.LogCount"
SITE_LOG_COUNT = "newscrawl.extensions.site_log_count.SiteLogCount"
SHOWN_WHY = 200  # characters of a failed site's reason in the summary


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("crawl", help="crawl a set of sites in one process (--sites all|A,B|GROUP)")
    parser.add_argument("--sites", required=True,
                        help="all, a group (" + ", ".join(groups()) + "), or sites A,B,... (mixed freely)")
    parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                        help="spider argument, as for scrapy crawl (every site gets the same)")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="setting, as for scrapy crawl (every site gets the same)")
    parser.set_defaults(run=run)


def refuse(message: str, code: int = exit_codes.USAGE) -> int:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    return code


def site_jobdir(jobdir: str | None, site: str) -> str | None:
    """A site's JOBDIR in a run of many sites: its own folder under the JOBDIR given."""
    return os.path.join(jobdir, site) if jobdir else None


def settings_for_run(pairs: list[str]):
    """The project's settings with -s over them (priority cmdline, as `scrapy crawl` gives -s), then
    what a run of many sites turns off."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    settings = get_project_settings()
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise BadArgument(f"-s takes NAME=VALUE, not {pair!r}")
        overrides[name] = value
    settings.setdict(overrides, priority="cmdline")
    settings.setdict(MULTI_SITE_SETTINGS, priority="cmdline")
    extensions = settings.getdict("EXTENSIONS")
    settings.set("EXTENSIONS", {**extensions, LOG_COUNT: None, SITE_LOG_COUNT: 0},
                 priority=settings.getpriority("EXTENSIONS") or "project")
    return settings


def new_process(settings):
    """The crawler process `scrapy crawl` would use for these settings (scrapy.cmdline's choice)."""
    if (settings["TWISTED_REACTOR"] == _asyncio_reactor_path and not settings.getbool("FORCE_CRAWLER_PROCESS")) \
            or not settings.getbool("TWISTED_REACTOR_ENABLED"):
        return AsyncCrawlerProcess(settings)
    return CrawlerProcess(settings)


class SiteRun:
    """One site of the run: its crawler, and how it ended."""

    def __init__(self, site: str):
        self.site = site
        self.crawler = None
        self.error: str | None = None  # the crawler could not start, or broke: why
        self.skipped: tuple[int, str] | None = None  # (exit code, why): not crawled at all

    def watch(self, task) -> None:
        """Note the exception a crawler's task ended with (one line here; asyncio would print a traceback)."""
        def done(finished) -> None:
            failure = None if finished.cancelled() else finished.exception()
            if failure is not None:
                self.error = f"{type(failure).__name__}: {failure}"
        if hasattr(task, "add_done_callback"):  # AsyncCrawlerProcess: an asyncio task
            task.add_done_callback(done)
        else:  # CrawlerProcess: a Deferred
            def failed(failure):
                self.error = f"{failure.type.__name__}: {failure.getErrorMessage()}"
            task.addErrback(failed)

    def result(self) -> dict:
        if self.skipped is not None:
            code, why = self.skipped
            return {"site": self.site, "outcome": "skipped", "exit_code": code, "why": why, "report": None}
        crawler = self.crawler
        spider = getattr(crawler, "spider", None) if crawler is not None else None
        stats: dict = crawler.stats.get_stats() if crawler is not None and crawler._stats is not None else {}
        if self.error is not None or spider is None:
            return {"site": self.site, "outcome": "could not start", "exit_code": exit_codes.COULD_NOT_START,
                    "why": self.error or "the crawler did not start", "report": None}
        code = exit_codes.exit_code(stats)
        reason = stats.get("finish_reason")
        report = run_path(crawler.settings["RUN_REPORT_PATH"], spider) if crawler.settings.get("RUN_REPORT_PATH") \
            else None
        outcome = "failed" if code else ("stopped at its time limit" if reason == "closespider_timeout" else "ok")
        limit = crawler.settings.getint("CLOSESPIDER_TIMEOUT")
        why = exit_codes.describe(stats) if code else (
            f"CLOSESPIDER_TIMEOUT ({limit} s)" if reason == "closespider_timeout" else "")
        return {"site": self.site, "outcome": outcome, "exit_code": code, "why": why, "finish_reason": reason,
                "pages_fetched": stats.get("response_received_count", 0),
                "items_written": stats.get(stat.WRITTEN, 0),
                "failed_pages": len(stats.get(stat.FAILED_PAGES, {}) or {}),
                "report": str(report) if report is not None and report.exists() else None}


def summary_lines(results: list[dict], code: int, mode: str, report: str | None, seconds: float) -> list[str]:
    """The summary a person reads: first a line with the count and each failed site, then one line per
    site that needs a look (why, its report), then the exit code and the combined report."""
    bad = [r for r in results if r["outcome"] != "ok"]
    failed = [r for r in bad if r["exit_code"]]
    names = ", ".join(f"{r['site']} ({r['exit_code']})" for r in failed)
    stopped = [r["site"] for r in bad if not r["exit_code"]]
    head = (f"{PROG}: {len(results)} sites ({mode}) in {seconds:.0f} s: {len(results) - len(bad)} ok"
            + (f", {len(stopped)} stopped at their time limit: {', '.join(stopped)}" if stopped else "")
            + (f", {len(failed)} FAILED: {names}" if failed else ""))
    lines = [head]
    for r in sorted(bad, key=lambda r: (exit_codes.seriousness(r["exit_code"]), r["site"])):
        why = r["why"] if len(r["why"]) <= SHOWN_WHY else r["why"][:SHOWN_WHY] + "…"
        lines.append(f"  {r['site']}: exit {r['exit_code']}, {r['outcome']}: {why}"
                     + (f" (report: {r['report']})" if r.get("report") else ""))
    tail = f"{PROG}: exit code {code}"
    tail += f" ({len(failed)} of {len(results)} sites failed: {names})" if failed else ""
    lines.append(tail + (f"; combined report: {report}" if report else ""))
    return lines


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    single.PROG = PROG  # the checks reused from `scrapy crawl` name this command in their one line
    try:
        sites = resolve_sites(args.sites)
        spargs = spider_arguments(args.spargs)
        settings = settings_for_run(args.settings)
    except (BadArgument, ValueError) as exc:
        return refuse(str(exc))
    if len(sites) > 1 and "base_url" in spargs:
        return refuse("-a base_url names one site's address, not a set's: for a mirror of many sites give "
                      "-s MIRROR_PROXY=http://127.0.0.1:P (python -m newscrawl mirror ROOT)")
    loader = get_spider_loader(settings)  # one for all the sites: each would copy the settings
    for site in sites:  # every site's arguments, before anything starts
        single.check_arguments(settings, [site], spargs, loader=loader)
    single.check_state_store(settings)
    resolve_run_dirs(settings)
    process = new_process(settings)
    runs = [SiteRun(site) for site in sites]
    for site_run in runs:
        crawler = process.create_crawler(site_run.site)
        if jobdir := site_jobdir(settings.get("JOBDIR"), site_run.site):
            # above the -s that named it: the process merges its settings into each crawler's again
            # (CrawlerRunner.create_crawler), an equal priority over this one
            crawler.settings.set("JOBDIR", jobdir, priority=(settings.getpriority("JOBDIR") or 0) + 1)
            try:  # another live run holds this site's job: skip the site, crawl the others
                single.claim_jobdir_or_refuse(crawler.settings)
            except SystemExit as exc:
                site_run.skipped = (int(exc.code or exit_codes.BUSY),
                                    f"its JOBDIR {jobdir} is held by another live run")
                continue
        site_run.crawler = crawler
        site_run.watch(process.crawl(crawler, **spargs))
    forced = single.watch_forced_stop(process)
    # What exists now (modules, settings, the crawlers) lives as long as the process: out of the
    # collector's full passes, which every crawler's objects make longer (~1 ms of CPU a site).
    gc.freeze()
    process.start()
    release_unused_outputs()
    release_unused_jobdirs()
    results = [site_run.result() for site_run in runs]
    code = single.forced_exit_code(exit_codes.most_serious(r["exit_code"] for r in results), forced)
    seconds = time.monotonic() - started
    mode = spargs.get("mode", "rss")
    report = write_report(settings, results, code, mode, sites, spargs, seconds)
    print("\n".join(summary_lines(results, code, mode, report, seconds)), file=sys.stderr, flush=True)
    return code


def write_report(settings, results: list[dict], code: int, mode: str, sites: list[str], spargs: dict,
                 seconds: float) -> str | None:
    """The combined report (SWEEP_REPORT_PATH under OUTPUT_DIR); its path, None when it is not written."""
    template = settings.get("SWEEP_REPORT_PATH")
    if not template:
        return None
    run_day, run_id = run_name(mode)
    path = Path(template % {"output_dir": settings.get("OUTPUT_DIR"), "run_day": run_day, "run_id": run_id})
    failed = {r["site"]: r["exit_code"] for r in results if r["exit_code"]}
    report = {"run_id": run_id, "mode": mode, "args": spargs, "exit_code": code, "sites": len(sites),
              "failed": failed, "duration_seconds": round(seconds, 1),
              "by_site": {r["site"]: r for r in results}}
    try:
        write_whole_file(path, json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8"))
    except OSError as exc:
        print(f"{PROG}: the combined report {path} could not be written: {exc}", file=sys.stderr, flush=True)
        return None
    return str(path)
