"""CPU time of the project's own work for one missing id, in one process, without the network: the
skip-known check (the spider middleware), the pending-requests probe, the project's downloader
middlewares on the site's 404 page (fixtures/asriran/404.html, 148 KB) with the meta-refresh check in
use, Scrapy's check of the callback as its scraper calls it, and parse_article on that page (the
missing-id signal, the state store write, the stats, the log), with the project's settings and a log
at INFO. Each request is made and dropped per id, as in a crawl.

    python bench/missing.py [N] [--root DIR]

--root runs another checkout's code (e.g. a `git archive` of an older commit) for a before/after;
with --crawl, as one more side ("before") of the same rounds.
Prints milliseconds of CPU a missing id. What it leaves out is Scrapy's and Twisted's own work for a
request and the WARC record: --crawl counts those.

    python bench/missing.py --crawl [N] [--rounds 3] [--variant 'LABEL:NAME=VALUE;NAME=VALUE' ...]

--crawl: whole crawls, each its own process against the fixtures' mirror (served from this
process), `scrapy crawl asriran -a mode=ids -a ids=A-B` over ids the mirror answers 404 with the
CMS's not-found page, beside bare Scrapy (bench/bare_spider.py: the same URLs, the same settings,
Scrapy's default components, a callback that does nothing): the floor the project cannot go under.
CPU is the crawl process's user+sys (all threads: getrusage) in its steady state, between the
(N/10)th response and the (N - N/10)th (bench/cpu_probe.py, an extension both crawls load): start-up,
the first requests and the close are left out; the whole process's (os.wait4) is printed beside it.
The project's WARC archive size is printed a 1,000 ids.
Runs are interleaved round by round, so load on the shared machine hits every side alike; prints
each round and the median. A --variant is the project's crawl with more -s
settings (e.g. 'nowarc:WARC_ENABLED=False'), interleaved with the rest; one whose label starts with
"bare" is bare Scrapy's with them."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(n: int) -> float:
    from scrapy.utils.reactor import install_reactor

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
    from scrapy.http import HtmlResponse
    from scrapy.utils.log import configure_logging
    from scrapy.utils.misc import load_object, warn_on_generator_with_return_value
    from scrapy.utils.project import get_project_settings
    from scrapy.utils.test import get_crawler

    from newscrawl.extensions.pending import PendingRequestsProbe
    from newscrawl.extensions.state_recorder import StateRecorder
    from newscrawl.spiders.site import AsriranSpider

    tmp = tempfile.mkdtemp()
    settings = dict(get_project_settings())
    settings.update({"STATE_DIR": tmp, "OUTPUT_DIR": tmp, "LOG_LEVEL": "INFO"})
    crawler = get_crawler(AsriranSpider, settings)
    configure_logging(crawler.settings)
    crawler.spider = spider = AsriranSpider.from_crawler(crawler, mode="ids", ids="1", base_url="http://127.0.0.1:9")
    recorder = StateRecorder.from_crawler(crawler)
    probe = PendingRequestsProbe.from_crawler(crawler)
    skip_known = load_object("newscrawl.middlewares.known.SkipKnownArticlesMiddleware").from_crawler(crawler)
    # the project's downloader middlewares' process_response, and the meta-refresh check in use
    downloader = DownloaderMiddlewareManager.from_crawler(crawler)
    responders = [m for m in downloader.methods["process_response"] if m is not None and (
        m.__module__.startswith("newscrawl.") or type(m.__self__).__name__ == "MetaRefreshMiddleware")]
    crawler.stats.open_spider()
    body = (ROOT / "fixtures" / "asriran" / "404.html").read_bytes()  # the site's own not-found page
    headers = {"Content-Type": "text/html; charset=utf-8"}
    start = time.process_time()
    for i in range(1, n + 1):
        request = spider.article_request(3_000_000 + i)
        skip_known.get_processed_request(request, None)
        probe.request_scheduled(request)
        response = HtmlResponse(request.url, status=404, body=body, request=request, headers=headers)
        for method in responders:
            result = method(request=request, response=response)
            if hasattr(result, "send"):  # a coroutine (the retry middleware's) that does not wait here
                try:
                    result.send(None)
                except StopIteration as done:
                    result = done.value
        warn_on_generator_with_return_value(spider, request.callback)
        for _ in spider.parse_article(response):
            pass
        del request, response
    recorder.flush()  # the state rows still waiting, and the spider's summary, as when the spider closes
    spider.closed("finished")
    return (time.process_time() - start) / n * 1000


FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=16",
        "CONCURRENT_REQUESTS_PER_DOMAIN=16", "LOG_LEVEL=INFO", "TELNETCONSOLE_ENABLED=False")
# The project's settings a bare Scrapy run takes too (the rest are Scrapy's defaults).
SHARED = ("ROBOTSTXT_OBEY=True", "ROBOTSTXT_USER_AGENT=newscrawl", "USER_AGENT=newscrawl/0.1 (bench)",
          "RETRY_TIMES=4", "RETRY_HTTP_CODES=429,500,502,503,504,522,524,408", "DOWNLOAD_TIMEOUT=30",
          "DOWNLOAD_MAXSIZE=16777216", "DOWNLOAD_WARNSIZE=4194304",
          "TWISTED_REACTOR=twisted.internet.asyncioreactor.AsyncioSelectorReactor")
# Scrapy's own settings the project tunes: bare Scrapy takes this checkout's values
TUNED = ("CONCURRENT_ITEMS", "WARN_ON_GENERATOR_RETURN_VALUE")
FIRST_ID = 3_000_001  # no fixture article has an id near this: every one answers 404


def run_process(command: list[str], env: dict, workdir: Path, n: int) -> tuple[float, float, str]:
    """One crawl process of n ids: the CPU time of its steady state a missing id (bench/cpu_probe.py,
    between the (n/10)th response and the (n - n/10)th), its whole CPU time, and its log."""
    import json

    from scrapy.settings.default_settings import EXTENSIONS_BASE

    first, last = max(2, n // 10), n - n // 10
    probe_file = workdir / "cpu.json"
    base = {**EXTENSIONS_BASE, "cpu_probe.CpuProbe": 1000}
    command += ["-s", f"EXTENSIONS_BASE={json.dumps(base)}", "-s", f"BENCH_CPU_FROM={first}",
                "-s", f"BENCH_CPU_TO={last}", "-s", f"BENCH_CPU_FILE={probe_file}"]
    env["PYTHONPATH"] = os.pathsep.join([env.get("PYTHONPATH", ""), str(ROOT / "bench")]).lstrip(os.pathsep)
    log_path = workdir / "crawl.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, cwd=workdir, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
    log_text = log_path.read_text(errors="replace")
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: the run's own verdict (missing ids)
        raise SystemExit(f"{command[:4]} failed (exit {os.waitstatus_to_exitcode(status)}):\n{log_text[-2000:]}")
    probe = json.loads(probe_file.read_text())
    return probe["cpu"] / probe["responses"] * 1000, usage.ru_utime + usage.ru_stime, log_text


def project_crawl(base_url: str, ids: int, settings: tuple[str, ...] = (),
                  root: Path = ROOT) -> tuple[float, float, int | None]:
    import json

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        report = workdir / "report.json"
        command = [sys.executable, "-m", "scrapy", "crawl", "asriran", "-a", f"base_url={base_url}",
                   "-a", "mode=ids", "-a", f"ids={FIRST_ID}-{FIRST_ID + ids - 1}"]
        for setting in (*FAST, *SHARED, f"RUN_REPORT_PATH={report}", f"OUTPUT_DIR={workdir / 'output'}",
                        f"STATE_DIR={workdir / 'state'}", *settings):
            command += ["-s", setting]
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="newscrawl.settings", PYTHONPATH=str(root))
        per_id, cpu, log = run_process(command, env, workdir, ids)
        stats = json.loads(report.read_text(encoding="utf-8"))["stats"]
        if stats.get("newscrawl/missing") != ids:
            raise SystemExit(f"the crawl counted {stats.get('newscrawl/missing')} missing ids of {ids}:\n{log[-2000:]}")
        archive = sum(p.stat().st_size for p in (workdir / "output").rglob("*.warc.gz"))
    return per_id, cpu, archive or None


def bare_crawl(base_url: str, ids: int, settings: tuple[str, ...] = ()) -> tuple[float, float, int | None]:
    from newscrawl import settings as project_settings
    from newscrawl.sites import PROFILES, cms_for

    profile = PROFILES["asriran"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        urls = workdir / "urls.txt"
        urls.write_text("\n".join(cms_for(profile).article_url(profile, FIRST_ID + i, base_url) for i in range(ids)))
        command = [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "bench" / "bare_spider.py"),
                   "-a", f"urls={urls}"]
        tuned = tuple(f"{name}={getattr(project_settings, name)}" for name in TUNED)
        for setting in (*FAST, *SHARED, *tuned, *settings):
            command += ["-s", setting]
        env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
        per_id, cpu, log = run_process(command, env, workdir, ids)
        if f"'bare/404': {ids}," not in log:
            raise SystemExit(f"bare Scrapy did not see {ids} answers 404:\n{log[-3000:]}")
    return per_id, cpu, None


def crawl_rounds(n: int, rounds: int, variants: list[tuple[str, tuple[str, ...]]], before: Path | None) -> None:
    """Whole crawls, interleaved: ms of CPU per missing id, the project's beside bare Scrapy's."""
    import statistics

    from newscrawl.mirror.server import running_mirror

    sides: list[tuple[str, object]] = [("project", lambda url, k: project_crawl(url, k)),
                                       ("bare scrapy", bare_crawl)]
    if before is not None:
        sides.append(("before", lambda url, k: project_crawl(url, k, root=before)))
    for label, settings in variants:
        crawl = bare_crawl if label.startswith("bare") else project_crawl
        sides.append((label, lambda url, k, crawl=crawl, s=settings: crawl(url, k, s)))
    per_id: dict[str, list[float]] = {label: [] for label, _ in sides}
    whole: dict[str, list[float]] = {label: [] for label, _ in sides}
    archived: dict[str, int | None] = {}  # the WARC's bytes (the same every round)
    with running_mirror(ROOT / "fixtures" / "asriran") as mirror:
        for round_no in range(1, rounds + 1):
            line = []
            for label, run in sides:
                steady, cpu, archived[label] = run(mirror.base_url, n)  # type: ignore[operator]
                per_id[label].append(steady)
                whole[label].append(cpu)
                line.append(f"{label} {steady:.3f} ({cpu:.1f} s)")
            print(f"round {round_no}: ms CPU a missing id (whole process): " + ", ".join(line), flush=True)
    floor = statistics.median(per_id["bare scrapy"])
    for label, values in per_id.items():
        median = statistics.median(values)
        print(f"{label:<14} {median:.3f} ms CPU a missing id (median of {rounds}; min {min(values):.3f}), "
              f"{median - floor:+.3f} ms over bare Scrapy ({median / floor:.2f}x); whole process "
              f"{statistics.median(whole[label]):.1f} s CPU for {n} ids"
              + (f"; WARC {archived[label] * 1000 / n / 1e6:.2f} MB a 1,000 ids" if archived[label] else ""),
              flush=True)


def variant(text: str) -> tuple[str, tuple[str, ...]]:
    label, _, settings = text.partition(":")
    return label, tuple(s for s in settings.split(";") if s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=None)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--crawl", action="store_true", help="whole crawls beside bare Scrapy (default N: 2000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variant", type=variant, action="append", default=[])
    parser.add_argument("--in-root", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.crawl:
        sys.path.insert(0, str(ROOT))
        crawl_rounds(args.n or 2000, args.rounds, args.variant, args.root.resolve() if args.root else None)
        return
    n = args.n or 3000
    root = (args.root or ROOT).resolve()
    if root != ROOT and not args.in_root:  # the other checkout's code, in its own process
        env = dict(os.environ, PYTHONPATH=str(root), SCRAPY_SETTINGS_MODULE="newscrawl.settings")
        subprocess.run([sys.executable, __file__, str(n), "--root", str(root), "--in-root"], env=env, check=True)
        return
    os.environ["SCRAPY_SETTINGS_MODULE"] = "newscrawl.settings"
    sys.path.insert(0, str(root))
    print(f"{measure(n):.3f} ms CPU a missing id (project code, {n} ids)")


if __name__ == "__main__":
    main()
