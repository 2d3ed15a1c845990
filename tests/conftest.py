import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.replay.fixtures import fixture_pages, load_expected

ROOT = Path(__file__).resolve().parent.parent


def article_pages(site: str | None = None) -> list[Path]:
    """Fixture pages whose expected outcome is an article."""
    return [p for p in fixture_pages() if (site is None or p.parent.parent.name == site)
            and "outcome" not in (load_expected(p) or {"outcome": None})]


def rejected_pages(outcome: str) -> list[Path]:
    return [p for p in fixture_pages() if (load_expected(p) or {}).get("outcome") == outcome]


def run(*args: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    # a deadline for a hung command, not a measure: a crawl of a few hundred pages at concurrency 1 went
    # past 120 s at load ~28 (each request ~0.3 s of wall time)
    env = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="newscrawl.settings")
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def project_root() -> Path:
    return ROOT


MIRROR_SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
                   "RETRY_BACKOFF_BASE=0.1", "LOG_LEVEL=INFO")


class CrawlResult:
    def __init__(self, process: subprocess.CompletedProcess, out: Path, report: Path, quarantine: Path):
        self.returncode = process.returncode
        self.log = process.stderr
        self.items = read_jsonl(out) if out.exists() else []
        self.stats = json.loads(report.read_text(encoding="utf-8"))["stats"] if report.exists() else {}
        self.quarantined = read_jsonl(quarantine) if quarantine.exists() else []

    @property
    def ids(self) -> list[int]:
        return sorted(item["news_id"] for item in self.items)

    def article_requests(self) -> int:
        return sum(1 for line in self.log.splitlines() if "Crawled (" in line and "/fa/news/" in line)


def crawl(tmp_path: Path, *args: str, settings: tuple[str, ...] = (), site: str = "asriran") -> CrawlResult:
    """`scrapy crawl <site>` in a subprocess, with its items, stats report and quarantine."""
    out, report, quarantine = tmp_path / "items.jsonl", tmp_path / "report.json", tmp_path / "quarantine.jsonl"
    command = ["-m", "scrapy", "crawl", site, "-O", str(out)]
    for arg in args:
        command += ["-a", arg]
    for setting in (*MIRROR_SETTINGS, f"RUN_REPORT_PATH={report}", f"QUARANTINE_PATH={quarantine}",
                    f"OUTPUT_DIR={tmp_path / 'output'}", f"STATE_DIR={tmp_path / 'state'}",
                    "LOG_LEVEL=DEBUG", *settings):
        command += ["-s", setting]
    return CrawlResult(run(*command, timeout=300), out, report, quarantine)


def scheduled_command(workdir: Path, *spider_args: str, settings: tuple[str, ...] = ()) -> list[str]:
    """`scrapy crawl asriran` as cron runs it (no -o: the run writes its own files), with its output
    and state in `workdir`; to give to run(), or to Popen after sys.executable."""
    command = ["-m", "scrapy", "crawl", "asriran"]
    for arg in spider_args:
        command += ["-a", arg]
    for setting in (*MIRROR_SETTINGS, f"OUTPUT_DIR={workdir / 'output'}", f"STATE_DIR={workdir / 'state'}",
                    *settings):
        command += ["-s", setting]
    return command


def run_files(workdir: Path) -> list[Path]:
    """The finished article files of the runs in `workdir`, oldest first."""
    return sorted(p for p in (workdir / "output" / "asriran").glob("*/*.jsonl")
                  if not p.name.endswith(".quarantine.jsonl"))


def last_report(workdir: Path) -> dict:
    reports = sorted((workdir / "output" / "asriran").glob("*/*.report.json"))
    return json.loads(reports[-1].read_text(encoding="utf-8"))


# The scale-out tests' fixture: a real redis-server per test, on a free 127.0.0.1 port.
from tests.redis_helpers import redis_server  # noqa: E402, F401
