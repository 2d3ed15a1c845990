"""What an operator reads: the log of a quiet scheduled run, the log of a run that quarantines many
items, and how long mode=files takes over the bundled saved pages.

    python bench/logs.py [--quarantined 300]

Each crawl runs as cron runs it (no -o, the project's settings, LOG_LEVEL INFO) against a mirror on
127.0.0.1; prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.mirror.server import running_mirror  # noqa: E402
from newscrawl.mirror.synth import synthesize  # noqa: E402
from newscrawl.replay.fixtures import FIXTURES_DIR  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="newscrawl.settings", PYTHONPATH=str(ROOT))


def scheduled(workdir: Path, *args: str, settings: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, float]:
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "asriran"]
    for arg in args:
        command += ["-a", arg]
    for setting in (f"OUTPUT_DIR={workdir / 'output'}", f"STATE_DIR={workdir / 'state'}", *settings):
        command += ["-s", setting]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=workdir, env=ENV, capture_output=True, text=True, timeout=1800)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quarantined", type=int, default=300)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with running_mirror(FIXTURES_DIR / "asriran") as mirror:
            first, _ = scheduled(tmp / "quiet", "mode=rss", f"base_url={mirror.base_url}")
            second, _ = scheduled(tmp / "quiet", "mode=rss", f"base_url={mirror.base_url}")
        print(f"rss run over the fixtures (16 written, 3 quarantined, 2 missing): "
              f"{len(first.stderr.splitlines())} log lines, exit {first.returncode}")
        print(f"the same run again (nothing new): {len(second.stderr.splitlines())} log lines, "
              f"exit {second.returncode}")

        files, seconds = scheduled(tmp / "files", "mode=files")
        pages = len(list((FIXTURES_DIR / "asriran" / "news").glob("*.html")))
        print(f"mode=files over {pages} saved pages: {seconds:.1f} s (exit {files.returncode})")

        site = tmp / "site"
        synthesize(site, options.quarantined, seed=7)
        with running_mirror(site, faults={"/fa/news/*": {"lose_body": True}}) as mirror:
            lost, _ = scheduled(tmp / "lost", "mode=archive", f"base_url={mirror.base_url}",
                                settings=("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False"))
        size = len(lost.stderr.encode())
        print(f"{options.quarantined} quarantined items: {size / 1024:.0f} KB of log in "
              f"{len(lost.stderr.splitlines())} lines, exit {lost.returncode}")


if __name__ == "__main__":
    main()
