"""The dataset card: DIR/README.md in the Hugging Face card format (YAML front matter with configs,
data_files, features, language fa) and a chart of articles per month per site, both from the
manifest alone (an incremental build re-reads no partition to write them)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from newscrawl.dataset.schema import hf_features

CHART = "articles_per_month.png"


def _yaml(value, indent: int = 0) -> list[str]:
    """Block-style YAML of dicts, lists and scalars; scalars as JSON (which YAML reads as they are)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines += _yaml(item, indent + 2)
            else:
                lines.append(f"{pad}{key}: {json.dumps(item, ensure_ascii=False)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                first, *rest = _yaml(item, indent + 2)
                lines.append(f"{pad}- {first.lstrip()}")
                lines += rest
            else:
                lines.append(f"{pad}- {json.dumps(item, ensure_ascii=False)}")
    return lines


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def per_site_month(manifest: dict, table: str = "latest") -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for entry in manifest["files"].values():
        if entry["table"] == table:
            out.setdefault(entry["site"], Counter())[entry["month"]] += entry["rows"]
    return out


def write_chart(path: Path, counts: dict[str, Counter]) -> None:
    # The object API, not pyplot: no GUI backend, a third of the import time.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    dated = sorted({m for c in counts.values() for m in c if m != "unknown"})
    fig = Figure(figsize=(10, 4), dpi=100)
    ax = fig.subplots()
    if dated:
        months = _months(dated[0], dated[-1])  # every month, so that a month with none shows as 0
        for site in sorted(counts):
            ax.plot(range(len(months)), [counts[site].get(m, 0) for m in months], marker=".", label=site)
        step = max(1, len(months) // 12)
        ax.set_xticks(range(0, len(months), step), months[::step], rotation=45, ha="right")
        ax.legend()
    ax.set_title("Articles per month of publication, per site (latest versions)")
    ax.set_ylabel("articles")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    # No timestamp in the PNG: the same dataset gives the same bytes.
    fig.savefig(path, metadata={"Software": None})


def _totals(manifest: dict, table: str = "latest") -> dict:
    total: dict = {"rows": 0, "filled": Counter(), "parser_versions": Counter(), "first": None, "last": None}
    for entry in manifest["files"].values():
        if entry["table"] != table:
            continue
        stats = entry["stats"]
        total["rows"] += stats["rows"]
        total["filled"].update(stats["filled"])
        total["parser_versions"].update(stats["parser_versions"])
        for bound, key, pick in (("first", "first_published", min), ("last", "last_published", max)):
            values = [v for v in (total[bound], stats[key]) if v]
            total[bound] = pick(values) if values else None
    return total


def card_text(manifest: dict) -> str:
    features = hf_features()
    rows = manifest["rows"]
    configs = [{"config_name": "default", "default": True,
                "data_files": [{"split": "train", "path": "latest/*/*.parquet"}]}]
    info = [{"config_name": "default", "features": features,
             "splits": [{"name": "train", "num_examples": rows["latest"]}]}]
    if rows["versions"]:  # a config with no file would not load
        configs.append({"config_name": "versions", "data_files": [{"split": "train", "path": "versions/*/*.parquet"}]})
        info.append({"config_name": "versions", "features": features,
                     "splits": [{"name": "train", "num_examples": rows["versions"]}]})
    front = {
        "language": ["fa"],
        "pretty_name": "newscrawl: Persian news articles (IranSamaneh sites)",
        "tags": ["news", "persian"],
        "configs": configs,
        "dataset_info": info,
    }
    total = _totals(manifest)
    counts = per_site_month(manifest)
    versions = per_site_month(manifest, "versions")
    lines = ["---", *_yaml(front), "---", "",
             "# newscrawl: Persian news articles", "",
             "Articles of Persian news sites of the IranSamaneh CMS, crawled by newscrawl: one row per "
             "article (`default`, its latest version by `crawled_at`) and every earlier distinct version "
             "of a refreshed article (`versions`). Parquet, zstd, partitioned by site and month of "
             "publication (`latest/<site>/<YYYY-MM>.parquet`). `published_at` is a timestamp in "
             "Asia/Tehran, `crawled_at` in UTC.", "",
             "```python",
             "from datasets import load_dataset",
             "articles = load_dataset(\"parquet\", data_dir=\"latest\", split=\"train\")",
             "```", "",
             "## Counts", "",
             "| site | articles | earlier versions | months | first published | last published |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    for site in sorted(counts):
        entries = [e for e in manifest["files"].values() if e["table"] == "latest" and e["site"] == site]
        first = min((e["stats"]["first_published"] for e in entries if e["stats"]["first_published"]), default=None)
        last = max((e["stats"]["last_published"] for e in entries if e["stats"]["last_published"]), default=None)
        lines.append(f"| {site} | {sum(counts[site].values())} | {sum(versions.get(site, Counter()).values())} "
                     f"| {len(counts[site])} | {first} | {last} |")
    lines += ["", f"Total: {total['rows']} articles, published {total['first']} to {total['last']} (UTC).", "",
              f"![Articles per month per site]({CHART})", "",
              "## Field coverage (share of articles where the field is not empty)", "",
              "| field | filled |", "| --- | ---: |"]
    for feature in features:
        name = feature["name"]
        share = total["filled"].get(name, 0) / total["rows"] if total["rows"] else 0
        lines.append(f"| {name} | {share:.1%} |")
    lines += ["", "## Parser releases", "", "| parser_version | articles |", "| --- | ---: |"]
    for release, count in sorted(total["parser_versions"].items()):
        lines.append(f"| {release} | {count} |")
    lines += ["", "## Files", "",
              f"{len(manifest['files'])} Parquet files from {len(manifest.get('runs', {}))} run files; "
              "row counts and SHA-256 checksums in `manifest.json`; `python -m newscrawl dataset verify DIR` "
              "checks them.", ""]
    return "\n".join(lines)


def chart_data(manifest: dict) -> dict:
    """What the chart shows; the chart is drawn again only when this changed."""
    return {site: dict(sorted(months.items())) for site, months in sorted(per_site_month(manifest).items())}


def write_card(out: Path, manifest: dict, chart: bool = True) -> None:
    if chart or not (out / CHART).exists():
        write_chart(out / CHART, per_site_month(manifest))
    (out / "README.md").write_text(card_text(manifest), encoding="utf-8")
