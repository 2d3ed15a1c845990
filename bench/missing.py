"""CPU time of the project's own work for one missing id, in one process, without the network: the
skip-known look-up, Scrapy's check of the callback as its scraper calls it, and parse_article on
the CMS's 404 page (the missing-id signal, the state store write, the stats, the log), with the
project's settings and a log at INFO. Each request is made and dropped per id, as in a crawl.

    python bench/missing.py [N] [--root DIR]

--root runs another checkout's code (e.g. a `git archive` of an older commit) for a before/after.
Prints milliseconds of CPU a missing id. What it leaves out is Scrapy's and Twisted's own work for a
request and the WARC record (bench/memory.py's crawls count those: CPU per page)."""

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
    from scrapy import signals
    from scrapy.http import HtmlResponse
    from scrapy.utils.log import configure_logging
    from scrapy.utils.misc import warn_on_generator_with_return_value
    from scrapy.utils.project import get_project_settings
    from scrapy.utils.test import get_crawler

    from newscrawl.extensions.state_recorder import StateRecorder
    from newscrawl.run.store import store_for
    from newscrawl.sites import PROFILES, mirror_for
    from newscrawl.spiders.site import AsriranSpider

    tmp = tempfile.mkdtemp()
    settings = dict(get_project_settings())
    settings.update({"STATE_DIR": tmp, "OUTPUT_DIR": tmp, "LOG_LEVEL": "INFO"})
    crawler = get_crawler(AsriranSpider, settings)
    configure_logging(crawler.settings)
    crawler.spider = spider = AsriranSpider.from_crawler(crawler, mode="ids", ids="1", base_url="http://127.0.0.1:9")
    StateRecorder.from_crawler(crawler)
    store = store_for(crawler)
    crawler.stats.open_spider()
    body = mirror_for("asriran").not_found_page(PROFILES["asriran"])
    start = time.process_time()
    for i in range(1, n + 1):
        request = spider.article_request(3_000_000 + i)
        response = HtmlResponse(request.url, status=404, body=body, request=request)
        store.known("asriran", 3_000_000 + i)
        warn_on_generator_with_return_value(spider, request.callback)
        for _ in spider.parse_article(response):
            pass
        del request, response
    crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason="finished")
    return (time.process_time() - start) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=3000)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--in-root", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = (args.root or ROOT).resolve()
    if root != ROOT and not args.in_root:  # the other checkout's code, in its own process
        env = dict(os.environ, PYTHONPATH=str(root), SCRAPY_SETTINGS_MODULE="newscrawl.settings")
        subprocess.run([sys.executable, __file__, str(args.n), "--root", str(root), "--in-root"], env=env, check=True)
        return
    os.environ["SCRAPY_SETTINGS_MODULE"] = "newscrawl.settings"
    sys.path.insert(0, str(root))
    print(f"{measure(args.n):.3f} ms CPU a missing id (project code, {args.n} ids)")


if __name__ == "__main__":
    main()
