"""Every site's health in one view (`python -m newscrawl board`): per site its last run (outcome and
cause), the articles of the last day and week and per day, the empty-field shares and the sources
that filled the date and the id in the last day's runs, the drift verdict's state and the failed
pages; the sites that need a person first. Built from the run reports under OUTPUT_DIR
(newscrawl.dataset.reports: only the newest of each site and the last day's are read), the state
store (StateBackend.articles_per_hour and bad_pages) and the drift history (newscrawl.state.drift).
Also the `runs` listing (`python -m newscrawl runs --since 1d`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl import exit_codes
from newscrawl import stats as stat
from newscrawl.dataset.reports import ReportFile, read_report, report_files
from newscrawl.items import utc_stamp
from newscrawl.run.answers import network_cause_named
from newscrawl.state.drift import STATE_FILE, DriftHistory

CHART_DAYS = 14
MANY_FAILED_PAGES = 10   # quarantined pages tried in the last week from which a site needs a person
STALE_HOURS = 25.0       # no run for longer than this: the site's schedule may have stopped
SHOWN_FAILED = 3         # failed pages named per site (the page, the table names none)
SOURCE_FIELDS = {"date": "published_at", "id": "news_id"}
FAILED_RUN = "last run failed: "
OFFLINE_MODE = "files"  # a run that reads saved pages, not the site
_CODE_NAMES = {code: name for name, code in vars(exit_codes).items()
               if name.isupper() and isinstance(code, int) and name != "CAUSES"}
_SINCE = re.compile(r"(\d+)([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def code_name(code: int) -> str:
    """`3` -> `DRIFT` (newscrawl.exit_codes)."""
    return _CODE_NAMES.get(code, "EXIT")


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`30m`, `6h`, `1d`, `2w` back from now, or a UTC date (`2026-12-01`) or stamp; ValueError else."""
    now = now or datetime.now(UTC)
    found = _SINCE.fullmatch(text.strip())
    if found:
        return now - timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since {text!r}: give a span (30m, 6h, 1d, 2w) or a UTC date (2026-12-01)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _stamp(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def _first_answer(detail: object) -> str:
    """What the first failed page of a cause got, in a person's words, with its host:
    `: connection refused (www.example.ir)`, `: 403 Forbidden (www.example.ir, and 2 more pages)`."""
    pages = detail.get("pages") if isinstance(detail, dict) else None
    if not isinstance(pages, dict) or not pages:
        return ""
    url, answer = next(iter(pages.items()))
    answer = str(answer)
    more = f", and {len(pages) - 1} more page{'s' if len(pages) > 2 else ''}" if len(pages) > 1 else ""
    return f": {network_cause_named(answer) or answer} ({urlsplit(url).netloc or url}{more})"


@dataclass
class Run:
    """One run, from its report."""
    site: str
    mode: str
    started: datetime
    duration: float
    exit_code: int
    outcome: str          # "ok", or the causes and their reasons in one line
    written: int
    failed: int           # pages that gave no article: fetch failed or quarantined
    path: Path
    causes: dict = field(default_factory=dict)  # the report's outcome: cause -> detail, most serious first
    # what the board sums over the last day's runs (only these: not the report, kept by the thousand)
    seen: int = 0
    empty: dict[str, int] = field(default_factory=dict)            # field -> articles with it empty
    sources: dict[str, dict[str, int]] = field(default_factory=dict)  # "date"/"id" -> source -> articles

    @classmethod
    def of(cls, found: ReportFile, report: dict) -> Run:
        started = _stamp(report.get("stats", {}).get("start_time")) or found.started
        causes = report.get("outcome") or {}
        ended = report.get("finish_reason") or "finished"
        reasons = [(f"{c}: " if len(causes) > 1 else "") + exit_codes.reason_of(d) + _first_answer(d)
                   for c, d in causes.items()]
        outcome = ("; ".join(reasons)
                   or ("ok" if ended == "finished" else f"ended: {ended}"))
        stats, sources = report.get("stats") or {}, report.get("field_sources") or {}
        return cls(report["spider"], report.get("mode") or "-", started, report.get("duration_seconds") or 0.0,
                   report["exit_code"], outcome, report.get("items_written", 0),
                   len(report.get("failed") or {}) + report.get("quarantined", 0), found.path, causes,
                   stats.get(stat.SEEN, 0), {f: stats.get(stat.EMPTY(f), 0) for f in stat.WATCHED_FIELDS},
                   {label: dict(sources.get(name) or {}) for label, name in SOURCE_FIELDS.items()})

    @property
    def short(self) -> str:
        """`5 REFUSED`, or `ok`."""
        return f"{self.exit_code} {code_name(self.exit_code)}" if self.exit_code else self.outcome

    @property
    def cause(self) -> str:
        """`exit 5 REFUSED: robots.txt ...`, or `ok`."""
        return f"exit {self.exit_code} {code_name(self.exit_code)}: {self.outcome}" if self.exit_code else self.outcome


def runs_since(output_dir: str | Path, since: datetime, sites: set[str] | None = None) -> list[Run]:
    """The runs that started since `since`, newest first."""
    found = []
    for file in report_files(output_dir, since):
        report = read_report(file.path)
        if report is not None and (sites is None or report["spider"] in sites):
            found.append(Run.of(file, report))
    return found


@dataclass
class SiteHealth:
    site: str
    last: Run | None = None
    last_day_runs: int = 0
    articles_day: int = 0
    articles_week: int = 0
    per_day: list[tuple[str, int]] = field(default_factory=list)  # the chart's days, oldest first
    seen: int = 0                   # articles seen by the last day's runs (the shares' base)
    empty_share: dict[str, float] = field(default_factory=dict)
    sources: dict[str, dict[str, int]] = field(default_factory=dict)  # "date"/"id" -> source -> articles
    drift: str = "no runs"
    drifting: bool = False
    bad: dict[str, int] = field(default_factory=dict)  # outcome -> pages tried in the last week
    bad_shown: list[tuple[int, str, str]] = field(default_factory=list)  # (news id, outcome, reason)
    attention: list[str] = field(default_factory=list)  # why a person should look; none: all is well
    rank: int = 99                  # the most serious reason's rank (lower first)


def _needs(health: SiteHealth, rank: int, why: str) -> None:
    health.attention.append(why)
    health.rank = min(health.rank, rank)


def _judge(health: SiteHealth, now: datetime, many_failed: int, stale_hours: float) -> None:
    """The reasons a person should look at the site, most serious first."""
    last = health.last
    if last is None:
        _needs(health, 20, "no run found")
        return
    causes = list(exit_codes.CAUSES)
    if last.exit_code:
        present = [c for c in causes if last.causes.get(c)]
        _needs(health, causes.index(present[0]) if present else len(causes), FAILED_RUN + last.cause)
    if health.drifting and not last.causes.get("drift"):
        _needs(health, 10, f"drift: {health.drift}")
    if health.bad.get("quarantined", 0) >= many_failed:
        _needs(health, 11, f"{health.bad['quarantined']} pages quarantined in the last week")
    age = now - last.started
    if age > timedelta(hours=stale_hours):
        _needs(health, 12, f"no run for {age.total_seconds() / 3600:.0f} h")


def _add_day_runs(health: SiteHealth, runs: list[Run]) -> None:
    """Empty-field shares and the date's and id's sources over the runs (article counts, summed)."""
    empty: dict[str, int] = {}
    for run in runs:
        health.seen += run.seen
        for name, n in run.empty.items():
            empty[name] = empty.get(name, 0) + n
        for label, counts in run.sources.items():
            for source, n in counts.items():
                summed = health.sources.setdefault(label, {})
                summed[source] = summed.get(source, 0) + n
    if health.seen:
        health.empty_share = {name: n / health.seen for name, n in empty.items()}


def _drift_state(health: SiteHealth, history: DriftHistory | None, settings) -> None:
    last = health.last
    alarm = last.causes.get("drift") if last else None
    if alarm:
        health.drift, health.drifting = "ALARM: " + exit_codes.reason_of(alarm), True
        return
    if history is None:  # runs without their state (another STATE_DIR, a demo's own): nothing to judge by
        if last is not None:
            health.drift = "no state store"
        return
    limits = {f: float(v) for f, v in settings.getdict("DRIFT_MAX_EMPTY_SHARE").items()}
    minimum, hours = settings.getint("DRIFT_MIN_ARTICLES"), settings.getfloat("DRIFT_WINDOW_HOURS")
    window = history.window(health.site, minimum, hours)
    runs = "run" if len(window.runs) == 1 else f"{len(window.runs)} runs"
    if window.seen < minimum:
        health.drift = f"too few to judge ({window.seen} of {minimum} articles in {hours:g} h)"
        return
    shares = window.empty_shares(limits)
    over = {f: s for f, s in shares.items() if s > limits[f]}
    if over:
        health.drift = (", ".join(f"{f} empty on {s:.0%}" for f, s in over.items())
                        + f" (the last {runs}: {window.seen} articles)")
        health.drifting = True
    else:
        health.drift = f"ok (the last {runs}: {window.seen} articles)"


def board(settings, sites: set[str] | None = None, now: datetime | None = None,
          many_failed: int = MANY_FAILED_PAGES, stale_hours: float = STALE_HOURS) -> list[SiteHealth]:
    """Every site's health (or those of `sites`), the sites that need a person first (the most
    serious reason first, then by name), then the rest by name."""
    from scrapy.utils.misc import load_object

    from newscrawl.run.store import open_store  # layer 2, and Scrapy: only when the board is built
    from newscrawl.state.sqlite import StateStore

    now = now or datetime.now(UTC)
    output_dir = Path(settings["OUTPUT_DIR"])
    day_ago, week_ago = now - timedelta(days=1), now - timedelta(days=7)
    healths: dict[str, SiteHealth] = {}

    def health_of(site: str) -> SiteHealth:
        if site not in healths:
            healths[site] = SiteHealth(site)
        return healths[site]

    # The reports: the last day's, and each site's newest (an older one only where the site has not
    # run for a day: only its folder is walked back).
    files = report_files(output_dir, day_ago) if output_dir.is_dir() else []
    recent = {file.folder for file in files}
    quiet = sorted(d.name for d in output_dir.iterdir() if d.is_dir() and not d.name.startswith(".")
                   and d.name not in recent) if output_dir.is_dir() else []
    newest_done: set[str] = set()
    offline: dict[str, Run] = {}  # each site's newest replay of saved pages
    day_runs: dict[str, list[Run]] = {}
    for file in files + report_files(output_dir, folders=quiet):
        if file.folder in newest_done and file.started < day_ago:
            continue
        report = read_report(file.path)
        if report is None or (sites is not None and report["spider"] not in sites):
            continue
        run = Run.of(file, report)
        health = health_of(run.site)
        # A site is judged on its newest run that asked the site: a replay of saved pages (mode=files)
        # says nothing of whether it answers; it is the last run only where there is no other.
        if run.mode == OFFLINE_MODE:
            offline.setdefault(run.site, run)
        elif health.last is None:
            health.last = run
            newest_done.add(file.folder)
        if file.started >= day_ago:
            day_runs.setdefault(run.site, []).append(run)

    for site, run in offline.items():
        if healths[site].last is None:
            healths[site].last = run

    # The state store: articles per day, failed pages; the drift history beside it.
    state_file = Path(settings["STATE_DIR"]) / STATE_FILE
    sqlite = load_object(settings["STATE_BACKEND"]) is StateStore
    chart_start = (now - timedelta(days=CHART_DAYS - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    chart_days = [f"{chart_start + timedelta(days=i):%Y-%m-%d}" for i in range(CHART_DAYS)]
    if not sqlite or state_file.exists():
        store = open_store(settings)
        try:
            per_hour = store.articles_per_hour(utc_stamp(min(chart_start, week_ago)))
            bad = store.bad_pages(utc_stamp(week_ago))
        finally:
            store.close()
        for site, hours in per_hour.items():
            if sites is None or site in sites:
                health = health_of(site)
                health.articles_day = sum(n for h, n in hours.items() if h >= f"{day_ago:%Y-%m-%dT%H}")
                health.articles_week = sum(n for h, n in hours.items() if h >= f"{week_ago:%Y-%m-%dT%H}")
                days: dict[str, int] = {}
                for hour, n in hours.items():
                    days[hour[:10]] = days.get(hour[:10], 0) + n
                health.per_day = [(day, days.get(day, 0)) for day in chart_days]
        for site, news_id, outcome, reason, _tried in bad:
            if sites is None or site in sites:
                health = health_of(site)
                health.bad[outcome] = health.bad.get(outcome, 0) + 1
                if len(health.bad_shown) < SHOWN_FAILED and outcome == "quarantined":
                    health.bad_shown.append((news_id, outcome, reason))
    for site in sites or ():
        health_of(site)
    history = DriftHistory(state_file) if state_file.exists() else None
    try:
        for health in healths.values():
            health.per_day = health.per_day or [(day, 0) for day in chart_days]
            _add_day_runs(health, day_runs.get(health.site, []))
            health.last_day_runs = len(day_runs.get(health.site, []))
            _drift_state(health, history, settings)
            _judge(health, now, many_failed, stale_hours)
    finally:
        if history is not None:
            history.close()
    return sorted(healths.values(), key=lambda h: (not h.attention, h.rank if h.attention else 0, h.site))


# -- the terminal ---------------------------------------------------------------------------------

def ago(when: datetime, now: datetime) -> str:
    seconds = max(0, (now - when).total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit} ago"
    return f"{seconds:.0f}s ago"


def shares_text(shares: dict[str, float], fields=stat.WATCHED_FIELDS, least: float = 0.005) -> str:
    """The fields that came out empty, biggest share first: `lead_image 32%, tags 26%`."""
    named = sorted(((f, s) for f, s in shares.items() if f in fields and s >= least), key=lambda fs: -fs[1])
    return ", ".join(f"{f} {s:.0%}" for f, s in named) or ("none" if shares else "-")


def sources_text(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return ", ".join(f"{src} {n / total:.0%}" for src, n in sorted(counts.items(), key=lambda kv: -kv[1])) or "-"


def spark(values: list[int]) -> str:
    """Articles per day as block letters, one a day (`▁▃▇`): the terminal's chart."""
    top = max(values, default=0)
    return "".join(" " if not v else "▁▂▃▄▅▆▇█"[min(7, v * 8 // (top + 1))] for v in values)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _columns(health: SiteHealth, now: datetime) -> list[str]:
    last = health.last
    return [health.site, f"{last.mode} {ago(last.started, now)}" if last else "never", last.short if last else "-",
            str(health.articles_day), str(health.articles_week), spark([n for _, n in health.per_day]),
            shares_text(health.empty_share), sources_text(health.sources.get("date", {})),
            sources_text(health.sources.get("id", {})), str(health.bad.get("quarantined", 0)), health.drift]


# (title, width, right-aligned) of the table's columns; the last one takes what is left
_TABLE = [("SITE", 12, False), ("LAST RUN", 15, False), ("OUTCOME", 20, False), ("DAY", 5, True),
          ("WEEK", 6, True), (f"{CHART_DAYS} DAYS", CHART_DAYS, False), ("EMPTY (LAST DAY)", 24, False),
          ("DATE FROM", 16, False), ("ID FROM", 14, False), ("FAILED", 6, True), ("DRIFT", 0, False)]


def _line(mark: str, cells: list[str]) -> str:
    parts = []
    for (_, size, right), text in zip(_TABLE, cells, strict=True):
        text = _cut(text, size) if size else text
        parts.append(text.rjust(size) if right else text.ljust(size))
    return mark + " ".join(parts)


def table(healths: list[SiteHealth], now: datetime, width: int = 0) -> str:
    """One line a site (the reasons a person should look below it, ↳), those needing a person first
    and marked `!`; lines cut to `width` (0: not cut)."""
    lines = [_line("  ", [title for title, _, _ in _TABLE])]
    for health in healths:
        lines.append(_line("! " if health.attention else "  ", _columns(health, now)))
        lines.extend(f"    ↳ {why}" for why in health.attention)
    attention = sum(1 for h in healths if h.attention)
    lines = [_cut(line, width) for line in lines] if width else lines
    lines.append(f"{len(healths)} sites, {attention} need a person" + (" (marked !, first)" if attention else ""))
    return "\n".join(lines)


def runs_table(runs: list[Run]) -> str:
    """One line a run, newest first; a failed run's cause on the line below it."""
    lines = [f"{'SITE':<14} {'MODE':<8} {'STARTED (UTC)':<19} {'TOOK':>8} {'OUTCOME':<20} {'WRITTEN':>7} "
             f"{'FAILED':>6}  REPORT"]
    for run in runs:
        lines.append(f"{_cut(run.site, 14):<14} {_cut(run.mode, 8):<8} {run.started:%Y-%m-%d %H:%M:%S} "
                     f"{run.duration:>7.1f}s {_cut(run.short, 20):<20} {run.written:>7} {run.failed:>6}  {run.path}")
        if run.exit_code or run.outcome != "ok":
            lines.append(f"    ↳ {run.cause}")
    return "\n".join(lines)
