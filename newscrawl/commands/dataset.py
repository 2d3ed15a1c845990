"""`python -m newscrawl dataset build | verify | gaps`: one dataset from every run file.

    dataset build [--site S...] --out DIR [--runs output] [--no-stories]
                                                            latest + versions as Parquet, manifest, card
    dataset verify DIR [--runs output] [--state PATH]       exit 1 with the first problems listed
                   [--redis-url URL --state-name NAME]      a distributed crawl's state, in Redis
    dataset gaps --site S [--runs output]                   ids no run wrote nor found missing
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newscrawl import exit_codes
from newscrawl.exceptions import BuildError

# Each subcommand imports its module when it runs, not this module at the top: they load pyarrow
# (a second or so), which `python -m newscrawl --help` and a mistyped argument need not wait for.


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("dataset", help="build, verify and measure the dataset of all runs")
    sub = parser.add_subparsers(dest="dataset_command", required=True)

    build = sub.add_parser("build", help="build (or update) the Parquet dataset from every run file")
    build.add_argument("--out", type=Path, required=True, help="the dataset folder")
    build.add_argument("--site", action="append", help="only this site (repeatable)")
    build.add_argument("--runs", type=Path, default=Path("output"), help="folder of run files (OUTPUT_DIR)")
    build.add_argument("--no-stories", dest="stories", action="store_false",
                       help="do not group the same story across sites (story_id, story_first stay null)")
    build.set_defaults(run=run_build)

    verify = sub.add_parser("verify", help="check a built dataset against its manifest, schema, runs and state")
    verify.add_argument("dir", type=Path)
    verify.add_argument("--runs", type=Path, default=Path("output"))
    verify.add_argument("--state", type=Path, help="the state store (default: <runs>/state/state.sqlite3)")
    verify.add_argument("--redis-url", help="compare with a distributed crawl's state in Redis (with --state-name)")
    verify.add_argument("--state-name", help="the crawl's STATE_NAME (default the crawl name), with --redis-url")
    verify.add_argument("--max-problems", type=int, default=20)
    verify.set_defaults(run=run_verify)

    gaps = sub.add_parser("gaps", help="ids between a site's lowest and highest that no run wrote nor found missing")
    gaps.add_argument("--site", required=True)
    gaps.add_argument("--runs", type=Path, default=Path("output"))
    gaps.set_defaults(run=run_gaps)


def run_build(args: argparse.Namespace) -> int:
    from newscrawl.dataset.build import build  # lazy: pyarrow (see the top)

    started = time.perf_counter()
    try:
        result = build(args.out, args.runs, args.site, group_stories=args.stories)
    except BuildError as exc:
        print(f"newscrawl dataset build: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    except OSError as exc:  # DatasetWriteError: nothing published, the previous dataset unchanged
        print(f"newscrawl dataset build: {exc}", file=sys.stderr)
        return exit_codes.WRITE_FAILED
    dead_parts = warn_of_dead_parts("build", args.runs, exclude=args.out)
    for line in topic_lines(result.topics):
        print(f"newscrawl dataset build: {line}", file=sys.stderr)
    print(json.dumps({"out": str(args.out), "full": result.full, "run_files_read": result.files_read,
                      "lines_read": result.lines_read, "invalid_lines": result.invalid_lines,
                      "partitions_written": len(result.partitions_written),
                      "partitions_removed": len(result.partitions_removed), "rows": result.rows,
                      "parts_of_dead_runs": dead_parts, "topics": result.topics, "stories": result.stories,
                      "seconds": round(time.perf_counter() - started, 2)}), flush=True)
    return 0


def topic_lines(topics: dict) -> list[str]:
    """What a person reads of the topics: how many articles have none, every word the mapping does not
    know (one line per site and kind), and the articles a reparse would give a topic."""
    if not topics.get("no_topic"):
        return []
    lines = [f"{topics['no_topic']} of {topics['no_topic'] + topics['with_topic']} articles have no topic"]
    for site, kinds in topics["unmapped"].items():
        for kind, words in kinds.items():
            lines.append(f"{site}: {kind} words the topic mapping does not know (newscrawl/sites/topics.py or the "
                         "site's profile): " + ", ".join(f"«{word}» {n}" for word, n in words.items()))
    if topics["mapped_since"]:
        lines.append(f"{topics['mapped_since']} articles have no topic though their words map now (written "
                     "before the mapping knew them): reparse their archive to fill it")
    return lines


def warn_of_dead_parts(command: str, runs: Path, exclude: Path | None = None) -> list[str]:
    """One warning line per `.part` file under `runs` whose run is gone (its lines are in no run
    file yet, so not in the dataset); their paths relative to `runs`."""
    from newscrawl.dataset.runs import parts_of_dead_runs

    named = []
    for part, lines in parts_of_dead_runs(runs, exclude=exclude):
        relative = part.relative_to(runs).as_posix()
        print(f"newscrawl dataset {command}: warning: {relative}: left by a run that is gone: {lines} lines not "
              "in the dataset (the next crawl with this OUTPUT_DIR finalizes it; build again then)", file=sys.stderr)
        named.append(relative)
    return named


def run_verify(args: argparse.Namespace) -> int:
    from newscrawl.dataset.verify import distributed_crawls, verify  # lazy: pyarrow (see the top)

    state = args.state or args.runs / "state" / "state.sqlite3"
    if bool(args.redis_url) != bool(args.state_name):
        print("newscrawl dataset verify: give --redis-url and --state-name together", file=sys.stderr)
        return exit_codes.USAGE
    redis_keys = redis_state_keys(args.redis_url, args.state_name) if args.redis_url else None
    if isinstance(redis_keys, int):
        return redis_keys
    problems, notes = verify(args.dir, args.runs, state, state_keys=redis_keys,
                             state_where=f"the state {args.state_name!r} in Redis")
    if not args.redis_url:
        for crawl, state_name in distributed_crawls(args.runs).items():
            notes.append(f"the run files under {args.runs} include the workers' of the distributed crawl {crawl!r} "
                         f"(its state is in Redis): compare with --redis-url URL --state-name {state_name}")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in problems[: args.max_problems]:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    if len(problems) > args.max_problems:
        print(f"... and {len(problems) - args.max_problems} more", file=sys.stderr)
    print("dataset verified" if not problems else f"{len(problems)} problem(s)", file=sys.stderr)
    return 0 if not problems else 1


def redis_state_keys(url: str, state_name: str) -> dict[str, set[int]] | int:
    """The articles of a distributed crawl's state in Redis (site -> ids), or the exit code when
    Redis cannot be read (one line said)."""
    from newscrawl.distributed import CrawlKeys, connect
    from newscrawl.distributed.state import RedisStateStore

    try:
        server = connect(url)
        server.ping()  # at once: the guard would wait for Redis up to a minute
        store = RedisStateStore(server, CrawlKeys(state_name), state_name)
        try:
            return store.article_keys()
        finally:
            store.close()
    except Exception as exc:  # noqa: BLE001 - any failure to read Redis is the same answer
        print(f"newscrawl dataset verify: cannot read the state {state_name!r} in Redis at {url}: {exc}",
              file=sys.stderr)
        return exit_codes.STATE_FAILED


def run_gaps(args: argparse.Namespace) -> int:
    from newscrawl.dataset.gaps import gaps, ids_argument  # lazy: pyarrow (see the top)

    result = gaps(args.runs, args.site)
    if result.lowest is None:
        print(f"newscrawl dataset gaps: no run under {args.runs} wrote an article of {args.site}", file=sys.stderr)
        return exit_codes.USAGE
    print(f"{args.site}: ids {result.lowest}-{result.highest}: {result.written} written, "
          f"{result.missing} found missing, {result.count} in no run", file=sys.stderr)
    warn_of_dead_parts("gaps", args.runs)  # ids in no run may be in these
    spec = ids_argument(result.ranges)
    if spec:
        print(f"refetch them with: scrapy crawl {args.site} -a mode=ids -a ids=<the line below>", file=sys.stderr)
        print(spec)
    return 0
