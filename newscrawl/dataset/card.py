"""The dataset card: DIR/README.md in the Hugging Face card format (YAML front matter with configs,
data_files, features, language fa, license) and a chart of articles per month per site, both from the
manifest alone (an incremental build re-reads no partition to write them).

The card says what a new user must know before using the data: the source sites with their article
counts and crawl periods, the license and terms (the sites' text is theirs, not ours), publication
ranges in Tehran time beside UTC, every field (FIELD_DOCS: one row per column, a test holds them
equal), the topics, and articles per day per site as a text chart.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from newscrawl.dataset.schema import dataset_schema, hf_features
from newscrawl.sites import PROFILES
from newscrawl.sites.topics import TOPICS
from newscrawl.text.jalali import TEHRAN

CHART = "articles_per_month.png"
DAY_CHART_MONTHS = 24  # the text chart of articles per day shows each site's last months with articles
_BARS = " ▁▂▃▄▅▆▇█"

# One row of the card's field table per column, in the schema's order (tests/test_dataset.py holds
# these keys equal to the columns: a new field gets its row here).
FIELD_DOCS: dict[str, str] = {
    "site": "the site's name in newscrawl (its profile), as `python -m newscrawl sites` lists it; the sources "
            "table names it",
    "news_id": "the article's id on its site («کد خبر»); (`site`, `news_id`) is the key",
    "url": "the canonical article URL on the real site, without slug",
    "title": "the headline",
    "supertitle": "the line above the headline («روتیتر»); null when the page has none",
    "lead": "the summary under the headline («لید»)",
    "body": "the article text, paragraphs separated by a blank line; captions, widgets and the site's "
            "boilerplate left out",
    "published_at": "publication instant, a timestamp in Asia/Tehran",
    "published_at_jalali": "the same instant as Tehran's Jalali wall-clock time, `1401-09-26T08:28:00` "
                           "(the page's own text is `published_raw`)",
    "published_raw": "the page's date text, unchanged",
    "service": "the site's section («سرویس») as the page names it",
    "category": "the site's subsection as the page names it",
    "tags": "the article's tags («برچسب‌ها»)",
    "lead_image": "URL of the lead image",
    "images": "images of the body in reading order, each with its caption",
    "related": "the articles the page links as related (id and headline)",
    "comments": "readers' comments the page shows: author, date, text, the comment replied to",
    "short_url": "the site's short link for the article",
    "crawled_at": "when the page was fetched, a timestamp in UTC",
    "schema_version": "the version of the row's schema (1)",
    "parser_version": "the parser release and markup generation that read the page",
    "videos": "URLs of the videos in the body",
    "topic": "one of the topics of «Topics», derived from `service` and `category` by a family-wide mapping; "
             "null when none maps (a photo or video section, an unknown word)",
    "blocks": "the body, images and videos in reading order, each {type, text, url, caption}; type is paragraph, "
              "heading, list_item, quote, table_row, image or video; `body` is the text of the blocks that have "
              "one, joined by a blank line; null in rows built from lines written before it existed",
    "story_id": "`site/news_id` of the earliest article of this article's story: near-duplicate articles across "
                "sites (MinHash LSH over 5-word shingles of the folded body, Jaccard ≥ 0.5) share it; null when "
                "the build ran with --no-stories",
    "story_first": "true on the earliest article of its story (by published instant, then site, then news_id) "
                   "in `default`; `WHERE story_first` keeps one article per story",
}

TERMS = """\
- **The text is the publishers', not ours.** Every article, headline, caption, comment and image link
  in this dataset was published by the site named in its `site` column (the sources table above). Its
  copyright stays with that site and its authors. newscrawl's authors grant **no license** to it; the
  card's `license: unknown` says exactly that.
- **What is known.** By default newscrawl fetches the sites' public web pages only, obeying each
  site's robots.txt, at a limited rate, with a user agent that names this crawler, and reads no login,
  paywall or private page. This card is built from the run files and cannot tell whether every run
  kept those defaults (a run can change them with `-s`, or read saved pages or a local mirror instead
  of the site): whoever publishes the dataset should say so here. newscrawl holds no agreement with
  any of these sites and has not recorded their terms of use.
- **What you must check before you use it.** Each site's own terms of use and copyright notice
  (usually in its footer or an «درباره ما» / «قوانین» page), and the law that applies to you: copyright,
  text-and-data-mining exceptions, and the rules of the place you publish a derived work or a model.
  Redistributing the text itself, as opposed to research on it, is where the terms matter most.
- **Personal data.** `comments` hold readers' names as they signed them; remove the column if your use
  does not need it.
"""


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
    # Fixed margins that fit the rotated month labels and six-digit counts: tight_layout measures
    # every label by drawing the figure once more, a third of the chart's time in every rebuild.
    fig.subplots_adjust(left=0.08, right=0.99, top=0.92, bottom=0.2)
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


def tehran_and_utc(instant: str | None) -> str:
    """An ISO instant as «2024-03-20 10:00 Tehran (06:30 UTC)»; «-» for none."""
    if not instant:
        return "-"
    moment = datetime.fromisoformat(instant)
    local, utc = moment.astimezone(TEHRAN), moment.astimezone(UTC)
    same_day = local.date() == utc.date()
    return (f"{local:%Y-%m-%d %H:%M} Tehran ({utc:%H:%M} UTC)" if same_day
            else f"{local:%Y-%m-%d %H:%M} Tehran ({utc:%Y-%m-%d %H:%M} UTC)")


def _utc_day(instant: str | None) -> str:
    return datetime.fromisoformat(instant).astimezone(UTC).strftime("%Y-%m-%d") if instant else "-"


def per_site_totals(manifest: dict, table: str = "latest") -> dict[str, dict]:
    """Per site: the merged statistics of its partitions (rows, ranges, days, topics)."""
    out: dict[str, dict] = {}
    for entry in manifest["files"].values():
        if entry["table"] != table:
            continue
        stats = entry["stats"]
        site = out.setdefault(entry["site"], {"rows": 0, "days": Counter(), "topics": Counter(),
                                              "first_published": None, "last_published": None,
                                              "first_crawled": None, "last_crawled": None})
        site["rows"] += stats["rows"]
        site["days"].update(stats.get("days", {}))
        site["topics"].update(stats.get("topics", {}))
        for bound, pick in (("first_published", min), ("last_published", max), ("first_crawled", min),
                            ("last_crawled", max)):
            values = [v for v in (site[bound], stats.get(bound)) if v]
            site[bound] = pick(values) if values else None
    return dict(sorted(out.items()))


def day_chart(days: Counter, months: int = DAY_CHART_MONTHS) -> list[str]:
    """Articles per day as text: one line per month (its last `months` with articles), one bar per
    day of the month (▁ to █, scaled to the busiest day shown; a space: none), the month's total."""
    by_month: dict[str, dict[int, int]] = {}
    for day, count in days.items():
        by_month.setdefault(day[:7], {})[int(day[8:10])] = count
    shown = sorted(by_month)[-months:]
    if not shown:
        return []
    top = max(max(by_month[m].values()) for m in shown)
    lines = []
    for month in shown:
        year, number = map(int, month.split("-"))
        length = ((date(year + number // 12, number % 12 + 1, 1)) - date(year, number, 1)).days
        bars = "".join(_BARS[-(-by_month[month].get(d, 0) * (len(_BARS) - 1) // top)] for d in range(1, length + 1))
        lines.append(f"{month} |{bars:<31}| {sum(by_month[month].values())}")
    return [f"busiest day shown: {top} articles (█); one column per day of the month", "", "```", *lines, "```"]


def card_text(manifest: dict) -> str:
    features = hf_features()
    rows = manifest["rows"]
    configs = [{"config_name": "default", "default": True,
                "data_files": [{"split": "train", "path": "latest/*/*.parquet"}]}]
    # No `splits` here: datasets wants their byte sizes as it would hold them (not the Parquet's), and
    # warns on splits without; the counts are in the card's text and manifest.json.
    info = [{"config_name": "default", "features": features}]
    if rows["versions"]:  # a config with no file would not load
        configs.append({"config_name": "versions", "data_files": [{"split": "train", "path": "versions/*/*.parquet"}]})
        info.append({"config_name": "versions", "features": features})
    front = {
        "language": ["fa"],
        "license": "unknown",
        "pretty_name": "newscrawl: Persian news articles (IranSamaneh sites)",
        "tags": ["news", "persian"],
        "task_categories": ["text-classification", "text-generation"],
        "configs": configs,
        "dataset_info": info,
    }
    total = _totals(manifest)
    sites = per_site_totals(manifest)
    versions = per_site_month(manifest, "versions")
    lines = ["---", *_yaml(front), "---", "",
             "# newscrawl: Persian news articles", "",
             "Articles of Persian news sites of the IranSamaneh CMS, crawled by newscrawl: one row per "
             "article (`default`, its latest version by `crawled_at`) and every earlier distinct version "
             "of a refreshed article (`versions`). Parquet, zstd, partitioned by site and month of "
             "publication (`latest/<site>/<YYYY-MM>.parquet`). `published_at` is a timestamp in "
             "Asia/Tehran, `crawled_at` in UTC. **The text is the publishers': read «License and terms» "
             "before you use it.**", "",
             "```python",
             "from datasets import load_dataset",
             "articles = load_dataset(\"parquet\", data_dir=\"latest\", split=\"train\")",
             "```", "",
             "## Source sites", "",
             f"{total['rows']} articles from {len(sites)} sites, published "
             f"{tehran_and_utc(total['first'])} to {tehran_and_utc(total['last'])}.", "",
             "| site | name | address | articles | earlier versions | crawled (UTC) | first published | "
             "last published |",
             "| --- | --- | --- | ---: | ---: | --- | --- | --- |"]
    for site, info_ in sites.items():
        profile = PROFILES.get(site)
        name = profile.display_name if profile is not None else ""
        address = profile.base_url if profile is not None else ""
        lines.append(f"| {site} | {name} | {address} | {info_['rows']} "
                     f"| {sum(versions.get(site, Counter()).values())} "
                     f"| {_utc_day(info_['first_crawled'])} to {_utc_day(info_['last_crawled'])} "
                     f"| {tehran_and_utc(info_['first_published'])} | {tehran_and_utc(info_['last_published'])} |")
    lines += ["", "Crawled: the first and last fetch of the articles in the dataset (their latest versions). "
              "Tehran time is Asia/Tehran (+03:30; +04:30 in summer until 2022).", "",
              "## License and terms", "", TERMS, "## Topics", "",
              "`topic` is one taxonomy across the sites: each site's services and categories («سیاسی», "
              "«بین الملل», numeric section ids) mapped to one of these topics (newscrawl/sites/topics.py).", "",
              "| topic | what it covers | articles | share |", "| --- | --- | ---: | ---: |"]
    topics: Counter = Counter()
    for info_ in sites.values():
        topics.update(info_["topics"])
    for topic in TOPICS:
        count = topics.get(topic.name, 0)
        lines.append(f"| {topic.name} | {topic.definition} | {count} | {_share(count, total['rows'])} |")
    lines.append(f"| (null) | no topic maps: a photo or video section, the front page, a word the mapping does "
                 f"not know yet | {topics.get('none', 0)} | {_share(topics.get('none', 0), total['rows'])} |")
    lines += _stories_section(manifest.get("stories"))
    lines += ["", f"![Articles per month per site]({CHART})", "",
              "## Fields", "", "| field | type | filled | description |", "| --- | --- | ---: | --- |"]
    for column in dataset_schema():
        share = _share(total["filled"].get(column.name, 0), total["rows"])
        lines.append(f"| {column.name} | {column.type} | {share} | {FIELD_DOCS.get(column.name, '')} |")
    lines += ["", "## Articles per day, per site", "",
              f"Days in Tehran time, each site's last {DAY_CHART_MONTHS} months with articles (the chart "
              "above has every month).", ""]
    for site, info_ in sites.items():
        lines += [f"### {site}", "", *day_chart(info_["days"]), ""]
    lines += ["## Parser releases", "", "| parser_version | articles |", "| --- | ---: |"]
    for release, count in sorted(total["parser_versions"].items()):
        lines.append(f"| {release} | {count} |")
    lines += ["", "## Files", "",
              f"{len(manifest['files'])} Parquet files from {len(manifest.get('runs', {}))} run files; "
              "row counts and SHA-256 checksums in `manifest.json`; `python -m newscrawl dataset verify DIR` "
              "checks them.", ""]
    return "\n".join(lines)


def _stories_section(stories: dict | None) -> list[str]:
    """The card's «Stories» section: how many stories the articles make, and how the build grouped them."""
    lines = ["", "## Stories", ""]
    if not stories:
        return [*lines, "This build did not group articles into stories (`dataset build --no-stories`): "
                "`story_id` and `story_first` are null."]
    return [*lines, f"{stories['articles']} articles make {stories['stories']} stories; "
            f"{stories['articles_in_shared_stories']} articles share their story with another article (the "
            "same agency copy republished by several sites, with edits). `WHERE story_first` keeps one "
            "article per story. Near-duplicates are found by MinHash with LSH over word shingles of the "
            f"normalized body ({stories['parameters']}); a different write-up of the same event is a story "
            "of its own."]


def _share(count: int, total: int) -> str:
    return f"{count / total:.1%}" if total else "0.0%"


def chart_data(manifest: dict) -> dict:
    """What the chart shows; the chart is drawn again only when this changed."""
    return {site: dict(sorted(months.items())) for site, months in sorted(per_site_month(manifest).items())}


def write_card(out: Path, manifest: dict, chart: bool = True) -> None:
    if chart or not (out / CHART).exists():
        write_chart(out / CHART, per_site_month(manifest))
    (out / "README.md").write_text(card_text(manifest), encoding="utf-8")
