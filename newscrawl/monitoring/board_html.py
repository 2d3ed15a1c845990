"""The board as one self-contained HTML page: inline CSS and inline SVG only (no script, font, style
sheet or image fetched from anywhere), UTF-8, the Persian names and reasons marked `lang="fa"` /
`dir="auto"` so that they render right to left inside the left-to-right table. One row a site, the
sites that need a person first (marked, with their reasons); a bar per day of articles written."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from newscrawl.monitoring.board import (
    CHART_DAYS,
    FAILED_RUN,
    SiteHealth,
    ago,
    code_name,
    shares_text,
    sources_text,
)
from newscrawl.sites.profiles import PROFILES

_STYLE = """
body{font:12px/1.3 system-ui,"DejaVu Sans","Noto Sans","Noto Naskh Arabic",sans-serif;margin:10px;color:#1b1f24}
h1{font-size:17px;margin:0 0 2px}
p.summary{margin:0 0 8px;color:#444}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{padding:2px 5px;border-bottom:1px solid #e3e6ea;vertical-align:middle;text-align:left;white-space:nowrap;
overflow:hidden;text-overflow:ellipsis}
th{position:sticky;top:0;background:#f3f5f7;font-weight:600;border-bottom:2px solid #c9ced4;white-space:normal;
vertical-align:bottom}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.attention td{background:#fff1ee}
tr.attention td:first-child{border-left:4px solid #c62828}
tr.ok td:first-child{border-left:4px solid #2e7d32}
.site{font-weight:600}
.fa{font-weight:normal;color:#555;margin-left:4px}
.why{color:#b71c1c}
.bad{color:#b71c1c;font-weight:600}
.good{color:#1b5e20}
.dim{color:#777}
svg.chart{display:block}
"""
# (title, width in px) of the columns; the site's reasons take what is left
_COLUMNS = [("Site", 0), ("Last run", 160), ("Outcome", 250), ("Day", 40), ("Week", 48),
            (f"Articles per day ({CHART_DAYS} d)", 100), ("Empty fields (last day)", 160), ("Date from", 100),
            ("Id from", 95), ("Drift", 125), ("Failed pages (week)", 135)]
_NUMERIC = ' class="n"'


def _bdi(text: str) -> str:
    """Text that may be Persian (a reason, a page's words): its own direction inside the row."""
    return f'<bdi dir="auto">{escape(text)}</bdi>'


def chart(per_day: list[tuple[str, int]], width: int = 5 * CHART_DAYS, height: int = 22) -> str:
    """Articles per day as an inline SVG bar chart, oldest day left; each bar says its day and count."""
    top = max((n for _, n in per_day), default=0)
    step = width / max(1, len(per_day))
    bars = []
    for i, (day, n) in enumerate(per_day):
        h = 0 if not top else max(1.0, (height - 2) * n / top)
        bars.append(f'<rect x="{i * step:.1f}" y="{height - h:.1f}" width="{step - 1:.1f}" height="{h:.1f}" '
                    f'fill="{"#1565c0" if n else "#ccc"}"><title>{day}: {n} articles</title></rect>')
    total = sum(n for _, n in per_day)
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="articles per day, last {len(per_day)} days: '
            f'{total}"><line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" stroke="#bbb"/>'
            + "".join(bars) + "</svg>")


def _td(text: str, title: str = "", css: str = "", raw: bool = False) -> str:
    """A one-line cell; what does not fit shows whole as the cell's tooltip."""
    attributes = (f' class="{css}"' if css else "") + (f' title="{escape(title, quote=True)}"' if title else "")
    return f"<td{attributes}>{text if raw else _bdi(text)}</td>"


def _site_cell(health: SiteHealth) -> str:
    profile = PROFILES.get(health.site)
    persian = (f' <span class="fa" lang="fa" dir="rtl">{escape(profile.display_name)}</span>'
               if profile and profile.display_name else "")
    # the last run's failure is the outcome's column; the other reasons are said here
    why = "; ".join(r for r in health.attention if not r.startswith(FAILED_RUN))
    return _td(f'<span class="site">{escape(health.site)}</span>{persian}'
               + (f' <span class="why">{_bdi(why)}</span>' if why else ""), why, raw=True)


def _last_run_cells(health: SiteHealth, now: datetime) -> str:
    last = health.last
    if last is None:
        return _td("never", css="dim") + _td("-", css="dim")
    when = (f"{last.mode} {ago(last.started, now)}, {last.written} written",
            f"{last.started:%Y-%m-%d %H:%M:%S} UTC, {last.duration:.1f} s; report {last.path}")
    if last.exit_code:
        outcome = (f'<span class="bad">{last.exit_code} {code_name(last.exit_code)}</span> {_bdi(last.outcome)}',
                   f"exit {last.exit_code} {code_name(last.exit_code)}: {last.outcome}")
        return _td(*when) + _td(*outcome, raw=True)
    return _td(*when) + _td(last.outcome, last.outcome, css="good")


def _failed_cell(health: SiteHealth) -> str:
    if not health.bad:
        return _td("0", css="dim")
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(health.bad.items()))
    shown = "\n".join(f"{news_id}: {reason}" for news_id, _outcome, reason in health.bad_shown)
    return _td(counts, shown, css="bad" if health.bad.get("quarantined") else "dim")


def _row(health: SiteHealth, now: datetime) -> str:
    kind = "attention" if health.attention else "ok"
    unjudged = health.drift.startswith(("too few", "no runs", "no state store"))
    drift_class = "bad" if health.drifting else "dim" if unjudged else "good"
    basis = (f"over {health.seen} articles of {health.last_day_runs} runs" if health.seen
             else "no articles in the last day")
    return (f'<tr id="site-{escape(health.site)}" class="{kind}" data-site="{escape(health.site)}">'
            + _site_cell(health) + _last_run_cells(health, now)
            + _td(str(health.articles_day), css="n") + _td(str(health.articles_week), css="n")
            + _td(chart(health.per_day), raw=True)
            + _td(shares_text(health.empty_share), basis)
            + _td(sources_text(health.sources.get("date", {})), "the sources that filled published_at")
            + _td(sources_text(health.sources.get("id", {})), "the sources that filled news_id")
            + _td("too few to judge" if health.drift.startswith("too few") else health.drift, health.drift,
                  css=drift_class)
            + _failed_cell(health) + "</tr>")


def page(healths: list[SiteHealth], now: datetime, output_dir: Path) -> str:
    attention = sum(1 for h in healths if h.attention)
    head = "<tr>" + "".join(f"<th{_NUMERIC if title in ('Day', 'Week') else ''}>{title}</th>"
                            for title, _ in _COLUMNS) + "</tr>"
    columns = "".join(f'<col style="width:{width}px">' if width else "<col>" for _, width in _COLUMNS)
    return ("<!DOCTYPE html>\n"
            '<html lang="en" dir="ltr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>newscrawl board: {attention} of {len(healths)} sites need a person</title>"
            f"<style>{_STYLE}</style></head><body>"
            f"<h1>newscrawl board</h1><p class=\"summary\"><b>{len(healths)} sites</b>, "
            f'<span class="{"bad" if attention else "good"}">{attention} need a person</span> (listed first). '
            f"Built {now:%Y-%m-%d %H:%M} UTC from {escape(str(output_dir))}; days are UTC days; "
            "hover a cell for all of it.</p>"
            f"<table><colgroup>{columns}</colgroup><thead>{head}</thead><tbody>"
            + "".join(_row(h, now) for h in healths)
            + "</tbody></table></body></html>\n")
