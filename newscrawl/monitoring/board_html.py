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
    SiteHealth,
    ago,
    code_name,
    shares_text,
    sources_text,
)
from newscrawl.sites.profiles import PROFILES

_STYLE = """
body{font:13px/1.35 system-ui,"DejaVu Sans","Noto Sans","Noto Naskh Arabic",sans-serif;margin:12px;color:#1b1f24}
h1{font-size:18px;margin:0 0 4px}
p.summary{margin:0 0 10px;color:#444}
table{border-collapse:collapse;width:100%}
th,td{padding:3px 6px;border-bottom:1px solid #e3e6ea;vertical-align:top;text-align:left}
th{position:sticky;top:0;background:#f3f5f7;font-weight:600;white-space:nowrap;border-bottom:2px solid #c9ced4}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.attention td{background:#fff4f2}
tr.attention td:first-child{border-left:4px solid #c62828}
tr.ok td:first-child{border-left:4px solid #2e7d32}
.site{font-weight:600;white-space:nowrap}
.fa{font-weight:normal;color:#555;margin-left:4px}
.bad{color:#b71c1c;font-weight:600}
.warn{color:#8a5300}
.good{color:#1b5e20}
.dim{color:#777}
ul.why{margin:2px 0 0;padding-left:16px;color:#b71c1c}
.path{font-size:11px;color:#777;word-break:break-all}
svg.chart{display:block}
"""


def _bdi(text: str) -> str:
    """Text that may be Persian (a reason, a page's words): its own direction inside the row."""
    return f'<bdi dir="auto">{escape(text)}</bdi>'


def chart(per_day: list[tuple[str, int]], width: int = 3 * CHART_DAYS + 2 * CHART_DAYS, height: int = 26) -> str:
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


def _site_cell(health: SiteHealth) -> str:
    profile = PROFILES.get(health.site)
    persian = (f'<span class="fa" lang="fa" dir="rtl">{escape(profile.display_name)}</span>'
               if profile and profile.display_name else "")
    why = "".join(f"<li>{_bdi(reason)}</li>" for reason in health.attention)
    return (f'<td><span class="site">{escape(health.site)}</span>{persian}'
            + (f'<ul class="why">{why}</ul>' if why else "") + "</td>")


def _last_run_cells(health: SiteHealth, now: datetime) -> str:
    last = health.last
    if last is None:
        return '<td class="dim">never</td><td class="dim">-</td>'
    when = (f'{escape(last.mode)} {ago(last.started, now)}<br><span class="dim">{last.started:%Y-%m-%d %H:%M} UTC, '
            f'{last.duration:.0f} s, {last.written} written</span><div class="path">{escape(str(last.path))}</div>')
    if last.exit_code:
        outcome = (f'<span class="bad">exit {last.exit_code} {code_name(last.exit_code)}</span><br>'
                   f'{_bdi(last.outcome)}')
    else:
        outcome = f'<span class="good">{escape(last.outcome)}</span>'
    return f"<td>{when}</td><td>{outcome}</td>"


def _failed_cell(health: SiteHealth) -> str:
    if not health.bad:
        return '<td class="n dim">0</td>'
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(health.bad.items()))
    shown = "".join(f"<li>{news_id}: {_bdi(reason)}</li>" for news_id, _outcome, reason in health.bad_shown)
    return (f'<td><span class="{"bad" if health.bad.get("quarantined") else "dim"}">{counts}</span>'
            + (f'<ul class="dim">{shown}</ul>' if shown else "") + "</td>")


def _row(health: SiteHealth, now: datetime) -> str:
    kind = "attention" if health.attention else "ok"
    drift_class = "bad" if health.drifting else "dim" if health.drift.startswith(("too few", "no runs")) else "good"
    empty = shares_text(health.empty_share)
    basis = f"{health.seen} articles, {health.last_day_runs} runs" if health.seen else "no articles in the last day"
    return (f'<tr id="site-{escape(health.site)}" class="{kind}" data-site="{escape(health.site)}">'
            + _site_cell(health) + _last_run_cells(health, now)
            + f'<td class="n">{health.articles_day}</td><td class="n">{health.articles_week}</td>'
            + f"<td>{chart(health.per_day)}</td>"
            + f'<td>{escape(empty)}<div class="dim">{basis}</div></td>'
            + f"<td>{escape(sources_text(health.sources.get('date', {})))}</td>"
            + f"<td>{escape(sources_text(health.sources.get('id', {})))}</td>"
            + f'<td class="{drift_class}">{_bdi(health.drift)}</td>'
            + _failed_cell(health) + "</tr>")


def page(healths: list[SiteHealth], now: datetime, output_dir: Path) -> str:
    attention = sum(1 for h in healths if h.attention)
    head = ("<tr><th>Site</th><th>Last run</th><th>Outcome</th><th>Day</th><th>Week</th>"
            f"<th>Articles per day ({CHART_DAYS} d)</th><th>Empty fields (last day)</th><th>Date from</th>"
            "<th>Id from</th><th>Drift</th><th>Failed pages (week)</th></tr>")
    return ("<!DOCTYPE html>\n"
            '<html lang="en" dir="ltr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>newscrawl board: {attention} of {len(healths)} sites need a person</title>"
            f"<style>{_STYLE}</style></head><body>"
            f"<h1>newscrawl board</h1><p class=\"summary\"><b>{len(healths)} sites</b>, "
            f'<span class="{"bad" if attention else "good"}">{attention} need a person</span> (listed first). '
            f"Built {now:%Y-%m-%d %H:%M} UTC from {escape(str(output_dir))}; days are UTC days.</p>"
            f"<table><thead>{head}</thead><tbody>"
            + "".join(_row(h, now) for h in healths)
            + "</tbody></table></body></html>\n")
