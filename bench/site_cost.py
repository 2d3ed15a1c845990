"""What one more site costs a run of many sites: `python -m newscrawl crawl --sites` of N synthetic sites
with one new article each, against the first of them alone, through the family mirror, politeness off.

    python bench/site_cost.py [--sites 41] [--rounds 3] [--callgrind] [--filled FILES]

The cost of a site is (CPU of N sites - CPU of one) / (N - 1): its crawler, robots.txt and feed, its
one article, report, WARC, monitors, state. CPU is user+sys of the crawl process (wait4), the two
interleaved round by round so that load on the machine hits both alike; `--callgrind` counts
instructions instead (valgrind; ~50x slower, the same on a loaded machine: use --sites 11). `--filled
FILES` puts that many empty files per site (one day of ten-minute runs: 432) in OUTPUT_DIR before each
run, as a deployment's output folder holds. Prints the numbers; asserts nothing."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.mirror.server import running_mirror  # noqa: E402
from newscrawl.mirror.synth import SYNTH_UNREAD, synthesize_family  # noqa: E402
from newscrawl.sites import PROFILES  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="newscrawl.settings", PYTHONPATH=str(ROOT))
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "LOG_LEVEL=INFO")


def fill(output: Path, sites: list[str], files: int) -> None:
    for site in sites:
        day = output / site / "2026-01-01"
        day.mkdir(parents=True)
        for n in range(files):
            (day / f"20260101T{n:06d}Z-rss-000000{('.jsonl', '.report.json', '.warc.gz')[n % 3]}").touch()


def cost(sites: list[str], proxy: str, output: Path, callgrind: bool) -> float:
    """CPU seconds (or billions of instructions with callgrind) of one crawl of `sites`."""
    command = [sys.executable, "-m", "newscrawl", "crawl", "--sites", ",".join(sites), "-a", "mode=rss"]
    for setting in (f"MIRROR_PROXY={proxy}", f"OUTPUT_DIR={output}", *FAST):
        command += ["-s", setting]
    if callgrind:
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={output}.callgrind", *command]
    log = output.parent / f"{output.name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=ENV, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        print(f"exit {os.waitstatus_to_exitcode(status)}: {log}")
    if callgrind:
        collected = re.search(r"Collected : (\d+)", log.read_text())
        if collected is None:
            raise SystemExit(f"no instruction count in {log}")
        return int(collected.group(1)) / 1e9
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=41)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--filled", type=int, default=0, metavar="FILES")
    args = parser.parse_args()
    sites = [name for name in PROFILES if name not in SYNTH_UNREAD][: args.sites]
    family = ROOT / "bench" / ".cache" / f"family-{len(sites)}x1"
    if not all((family / site / "manifest.json").exists() for site in sites):
        synthesize_family(family, sites, 1, seed=7)
    unit = "G instructions" if args.callgrind else "s CPU"
    runs: dict[int, list[float]] = {1: [], len(sites): []}
    with tempfile.TemporaryDirectory() as tmp, running_mirror(family) as mirror:
        for round_ in range(args.rounds):
            for count in runs:
                output = Path(tmp) / f"{count}-{round_}"
                if args.filled:
                    fill(output, sites, args.filled)
                runs[count].append(cost(sites[:count], mirror.base_url, output, args.callgrind))
                shutil.rmtree(output, ignore_errors=True)
    one, many = statistics.median(runs[1]), statistics.median(runs[len(sites)])
    per = [(b - a) / (len(sites) - 1) for a, b in zip(runs[1], runs[len(sites)], strict=True)]
    print(f"{len(sites)} sites x 1 article: {many:.3f} {unit}; one site: {one:.3f} {unit} (medians of {args.rounds})"
          + (f"; OUTPUT_DIR holding {args.filled} files a site" if args.filled else ""))
    what = "M instructions" if args.callgrind else "ms CPU"
    print(f"each more site: {statistics.median(per) * 1000:.1f} {what} (rounds: "
          f"{' '.join(f'{p * 1000:.1f}' for p in per)})")


if __name__ == "__main__":
    main()
