"""The body step alone (newscrawl/sites/iransamaneh/body.py `clean_body`), one release of it against
another, in one process, interleaved, on the fixture pages with the longest bodies.

    python bench/body_step.py --before REV [--after REV] [--pages 6] [--repeats 300]

Each page's body elements are taken as the parser hands them to `clean_body` (a copy per call, made
outside the timing). Every repeat runs each page on both sides, the side that goes first alternating,
after a warm-up of both; times are CPU time of this process (time.process_time), so that other work
on a shared machine counts less. Prints, per page and in total, the min and the median of each side
and their ratio (after / before), and checks that both sides give the same body. `--before` and
`--after` name git revisions of this checkout (`--after` defaults to the working tree). Asserts
nothing about speed."""

from __future__ import annotations

import argparse
import copy
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import newscrawl.sites.iransamaneh.article as article  # noqa: E402
from newscrawl.replay.fixtures import fixture_pages, load_expected  # noqa: E402
from newscrawl.replay.pages import read_page, url_for_path  # noqa: E402
from newscrawl.replay.processor import Processor  # noqa: E402
from newscrawl.sites.iransamaneh import body as current_body  # noqa: E402

BODY_PATH = "newscrawl/sites/iransamaneh/body.py"


def body_module(revision: str | None) -> types.ModuleType:
    """body.py as it is at `revision` (None: the working tree's), as a module of its own."""
    if revision is None:
        return current_body
    source = subprocess.run(["git", "show", f"{revision}:{BODY_PATH}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType(f"body_at_{revision}")
    module.__file__ = f"{revision}:{BODY_PATH}"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 - this checkout's own code
    return module


def longest_pages(count: int) -> list[Path]:
    pages = [(len(expected["body"]), page) for page in fixture_pages()
             if (expected := load_expected(page)) and "body" in expected]
    return [page for _, page in sorted(pages, key=lambda x: x[0], reverse=True)[:count]]


def body_inputs(pages: list[Path]) -> list[tuple[str, tuple]]:
    """(page, the arguments the parser gives clean_body) of each page."""
    captured: list[tuple] = []
    real = article.clean_body

    def capture(wrapper, profile, news_id, drop=None):
        captured.append((copy.deepcopy(wrapper), profile, news_id, drop))
        return real(wrapper, profile, news_id, drop)

    article.clean_body = capture
    try:
        processor = Processor()
        out = []
        for page in pages:
            processor.process(read_page(page), url_for_path(page))
            out.append((f"{page.parent.parent.name}/{page.stem}", captured.pop()))
        return out
    finally:
        article.clean_body = real


def run_once(module: types.ModuleType, arguments: tuple) -> tuple[float, str]:
    wrapper, profile, news_id, drop = arguments
    wrapper = copy.deepcopy(wrapper)
    start = time.process_time()
    result = module.clean_body(wrapper, profile, news_id, drop)
    return time.process_time() - start, result.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="git revision of the 'before' side")
    parser.add_argument("--after", default=None, help="git revision of the 'after' side (default: working tree)")
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    sides = {"before": body_module(args.before), "after": body_module(args.after)}
    inputs = body_inputs(longest_pages(args.pages))
    times: dict[tuple[str, str], list[float]] = {(name, side): [] for name, _ in inputs for side in sides}
    for repeat in range(args.warmup + args.repeats):
        order = list(sides) if repeat % 2 == 0 else list(reversed(sides))
        for name, arguments in inputs:
            texts = {}
            for side in order:
                elapsed, texts[side] = run_once(sides[side], arguments)
                if repeat >= args.warmup:
                    times[(name, side)].append(elapsed)
            if texts["before"] != texts["after"]:
                raise SystemExit(f"{name}: the two sides give different bodies")
    print(f"clean_body, CPU ms per page: before {args.before}, after {args.after or 'working tree'}; "
          f"{args.repeats} interleaved repeats after {args.warmup} warm-up")
    print(f"{'page':<22} {'before min':>10} {'after min':>10} {'ratio':>6}   "
          f"{'before med':>10} {'after med':>10} {'ratio':>6}")
    totals = {key: 0.0 for key in ("bmin", "amin", "bmed", "amed")}
    for name, _ in inputs:
        before, after = times[(name, "before")], times[(name, "after")]
        row = {"bmin": min(before), "amin": min(after),
               "bmed": statistics.median(before), "amed": statistics.median(after)}
        for key, value in row.items():
            totals[key] += value
        print(f"{name:<22} {row['bmin'] * 1e3:10.3f} {row['amin'] * 1e3:10.3f} {row['amin'] / row['bmin']:6.3f}"
              f"   {row['bmed'] * 1e3:10.3f} {row['amed'] * 1e3:10.3f} {row['amed'] / row['bmed']:6.3f}")
    print(f"{'all pages (sum)':<22} {totals['bmin'] * 1e3:10.3f} {totals['amin'] * 1e3:10.3f} "
          f"{totals['amin'] / totals['bmin']:6.3f}   {totals['bmed'] * 1e3:10.3f} {totals['amed'] * 1e3:10.3f} "
          f"{totals['amed'] / totals['bmed']:6.3f}")


if __name__ == "__main__":
    main()
