"""Many sites in one run: `python -m newscrawl crawl --sites ...` on a mirror that serves a family root
(one folder per site) as a loopback HTTP proxy (-s MIRROR_PROXY=). Each site ends as if crawled alone
(its run file, report, exit code); one that fails fails alone; the run exits with the most serious code."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newscrawl import exit_codes
from newscrawl.exceptions import BadArgument
from newscrawl.items import exported
from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import FIRST_ID, SYNTH_UNREAD, synthesize_family
from newscrawl.sites import PROFILES, parse_page
from newscrawl.sites.groups import groups, resolve_sites
from tests.conftest import MIRROR_SETTINGS, read_jsonl, run

ARTICLES = 4
READABLE = [name for name in PROFILES if name not in SYNTH_UNREAD]
SITES = READABLE[:23]           # 20 that answer, and:
MISSING = SITES[20]             # its folder is missing: the proxy answers 502 (unreachable, exit 4)
REFUSING = SITES[21]            # its feed answers 403 (refused, exit 5: the more serious)
FORBIDDEN = SITES[22]           # its own robots.txt forbids everything (refused, exit 5)
SERVED = [s for s in SITES if s != MISSING]


def crawl_sites(tmp: Path, sites: str, *extra: str, proxy: str | None = None, timeout: int = 300):
    command = ["-m", "newscrawl", "crawl", "--sites", sites]
    for setting in (*MIRROR_SETTINGS, f"OUTPUT_DIR={tmp / 'output'}", "RETRY_BACKOFF_BASE=0.05",
                    *([f"MIRROR_PROXY={proxy}"] if proxy else [])):
        command += ["-s", setting]
    return run(*command, *extra, timeout=timeout)


@pytest.fixture(scope="module")
def family(tmp_path_factory):
    root = tmp_path_factory.mktemp("family")
    synthesize_family(root, SERVED, ARTICLES)
    (root / FORBIDDEN / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    faults = {f"{REFUSING}:/fa/rss/allnews": {"status": 403}}
    with running_mirror(root, faults=faults) as server:
        yield root, server


@pytest.fixture(scope="module")
def sweep(family, tmp_path_factory):
    root, server = family
    tmp = tmp_path_factory.mktemp("sweep")
    process = crawl_sites(tmp, ",".join(SITES), proxy=server.base_url)
    return process, tmp / "output", server


def site_files(output: Path, site: str, suffix: str) -> list[Path]:
    return sorted(p for p in (output / site).glob(f"*/*{suffix}")
                  if suffix != ".jsonl" or not p.name.endswith(".quarantine.jsonl"))


def test_every_site_answering_writes_its_own_articles_under_its_real_host(sweep):
    process, output, _ = sweep
    ok = [s for s in SITES if s not in (MISSING, REFUSING, FORBIDDEN)]
    for site in ok:
        (run_file,) = site_files(output, site, ".jsonl")
        items = read_jsonl(run_file)
        assert sorted(i["news_id"] for i in items) == list(range(FIRST_ID, FIRST_ID + ARTICLES)), site
        assert {i["site"] for i in items} == {site}
        # the URLs name the real site (its scheme and host), never the mirror
        assert all(i["url"] == f"{PROFILES[site].base_url}/fa/news/{i['news_id']}" for i in items), site
        (report,) = site_files(output, site, ".report.json")
        summary = json.loads(report.read_text(encoding="utf-8"))
        assert summary["spider"] == site and summary["exit_code"] == 0 and summary["items_written"] == ARTICLES


def test_each_site_asks_its_own_robots_txt_through_the_proxy(sweep):
    _, _, server = sweep
    for site in SERVED:
        assert server.requests[f"{site}:/robots.txt"] == 1, site
        # a site's robots.txt forbidding the feed keeps that site's feed from being asked, no other's
        assert (server.requests[f"{site}:/fa/rss/allnews"] >= 1) is (site != FORBIDDEN), site


def test_failing_sites_fail_alone_and_the_most_serious_code_wins(sweep):
    process, output, _ = sweep
    assert process.returncode == exit_codes.REFUSED, process.stderr[-3000:]
    lines = process.stderr.strip().splitlines()
    summary = lines[lines.index(next(line for line in lines if line.startswith("newscrawl crawl: 23 sites"))):]
    first, last = summary[0], summary[-1]
    assert f"{MISSING} (4)" in first and f"{REFUSING} (5)" in first and f"{FORBIDDEN} (5)" in first
    assert "20 ok" in first
    assert last.startswith("newscrawl crawl: exit code 5 (3 of 23 sites failed") and MISSING in last
    assert any(line.startswith(f"  {MISSING}: exit 4, failed: unreachable") for line in summary)
    assert any(line.startswith(f"  {REFUSING}: exit 5, failed: refused") for line in summary)
    # each site obeys its own robots.txt: only that site is refused by it
    assert any(line.startswith(f"  {FORBIDDEN}: exit 5, failed: refused") for line in summary)
    (combined,) = (output / "sweeps").glob("*/*.json")
    assert last.endswith(str(combined))
    report = json.loads(combined.read_text(encoding="utf-8"))
    assert report["exit_code"] == 5 and report["failed"] == {MISSING: 4, REFUSING: 5, FORBIDDEN: 5}
    assert set(report["by_site"]) == set(SITES)
    for entry in report["by_site"].values():
        assert Path(entry["report"]).is_file()
        assert json.loads(Path(entry["report"]).read_text(encoding="utf-8"))["exit_code"] == entry["exit_code"]
    assert report["by_site"][SITES[0]]["items_written"] == ARTICLES
    for site in (MISSING, REFUSING, FORBIDDEN):
        assert not site_files(output, site, ".jsonl")
    forbidden = json.loads(Path(report["by_site"][FORBIDDEN]["report"]).read_text(encoding="utf-8"))
    assert "robots.txt" in json.dumps(forbidden["outcome"]["refused"]["pages"])


def test_a_site_that_hangs_stops_at_its_time_limit_and_slows_no_other(family, tmp_path):
    root, _ = family
    slow, quick = SERVED[0], SERVED[1:4]
    answer = 60  # far beyond what the run takes on a loaded machine (20 s was not: the run took 20.7 s)
    with running_mirror(root, faults={f"{slow}:/fa/rss/allnews": {"delay": answer}}) as server:
        started = time.monotonic()
        process = crawl_sites(tmp_path, ",".join([slow, *quick]), "-s", "CLOSESPIDER_TIMEOUT=3",
                              "-s", "DOWNLOAD_TIMEOUT=30", proxy=server.base_url)
        elapsed = time.monotonic() - started
    report = json.loads(next((tmp_path / "output" / "sweeps").glob("*/*.json")).read_text(encoding="utf-8"))
    assert report["by_site"][slow]["finish_reason"] == "closespider_timeout"
    assert report["by_site"][slow]["outcome"] == "stopped at its time limit"
    assert f"3 ok, 1 stopped at their time limit: {slow}" in process.stderr
    for site in quick:
        entry = report["by_site"][site]
        assert (entry["outcome"], entry["items_written"]) == ("ok", ARTICLES), entry
        assert entry["finish_reason"] == "finished"
    assert any(line.startswith(f"  {slow}: ") for line in process.stderr.splitlines())
    assert elapsed < answer  # the slow answer was not waited for


@pytest.mark.parametrize(("args", "says"), [
    (["--sites", "tabnak,yjc", "-a", "mode=sitemap"], "mode"),
    (["--sites", "tabnak,yjc", "-a", "days"], "-a takes NAME=VALUE"),
    (["--sites", "tabnak,nosuchsite"], "'nosuchsite' is neither a site nor a group"),
    (["--sites", "tabnak", "-s", "MIRROR_PROXY=http://10.1.2.3:8080"], "not a loopback proxy"),
    (["--sites", "tabnak,yjc", "-a", "base_url=http://127.0.0.1:8000"], "-a base_url names one site's address"),
])
def test_bad_arguments_for_the_set_are_one_line_and_nothing_is_crawled(tmp_path, args, says):
    process = run("-m", "newscrawl", "crawl", *args, "-s", f"OUTPUT_DIR={tmp_path / 'output'}")
    assert process.returncode == exit_codes.USAGE
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newscrawl crawl: ") and says in lines[0], process.stderr
    assert not (tmp_path / "output").exists()


def test_a_site_refusing_one_argument_refuses_the_run_naming_it(tmp_path):
    """-a service_id=<a name> is a service name of some sites only: the run is refused before any starts."""
    named = next(p for p in PROFILES.values() if p.archive.service_ids)
    other = next(p.name for p in PROFILES.values() if not p.archive.service_ids)
    service = named.archive.service_ids[0][0]
    process = run("-m", "newscrawl", "crawl", "--sites", f"{named.name},{other}", "-a", "mode=archive",
                  "-a", f"service_id={service}", "-s", f"OUTPUT_DIR={tmp_path / 'output'}")
    assert process.returncode == exit_codes.USAGE, process.stderr
    assert len(process.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "output").exists()


def test_the_family_mirror_picks_the_folder_by_host_and_answers_502_for_a_site_it_lacks(family):
    _, server = family
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.base_url}))
    for site in SERVED[:3]:
        host = PROFILES[site].base_url.split("://")[1]
        with opener.open(f"http://{host}/fa/rss/allnews", timeout=10) as response:
            assert f"{PROFILES[site].base_url}/fa/news/{FIRST_ID}".encode() in response.read()
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"http://{PROFILES[MISSING].base_url.split('://')[1]}/fa/rss/allnews", timeout=10)
    assert answer.value.code == 502


def test_exit_codes_rank_by_seriousness():
    assert exit_codes.most_serious([0, 3, 9, 4]) == 4
    assert exit_codes.most_serious([3, 5, 4, 8]) == 5
    assert exit_codes.most_serious([5, 1]) == 1
    assert exit_codes.most_serious([5, 130, 6]) == 6
    assert exit_codes.most_serious([7, 6]) == 6
    assert exit_codes.most_serious([9, 3, 0]) == 9
    assert exit_codes.most_serious([8, 9]) == 8
    assert exit_codes.most_serious([]) == 0
    assert set(exit_codes.SERIOUSNESS) >= {v for k, v in vars(exit_codes).items()
                                           if k.isupper() and isinstance(v, int) and v != exit_codes.USAGE}


def test_groups_come_from_the_profiles_markup_patterns():
    found = groups()
    assert found["all"] == sorted(PROFILES)
    assert found["toolbar"] == sorted(p.name for p in PROFILES.values() if p.pattern == "toolbar")
    assert all(len(sites) > 1 for sites in found.values())
    assert not set(found) & set(PROFILES) - {"all"}  # a group never shadows a site
    assert resolve_sites("yjc,meta-date,yjc")[0] == "yjc" and len(resolve_sites("yjc,meta-date,yjc")) == 1 + len(
        found["meta-date"])
    with pytest.raises(BadArgument, match="did you mean tabnak"):
        resolve_sites("tabank")


def test_synth_unread_names_exactly_the_sites_whose_reader_misses_the_synthetic_pages(tmp_path):
    synthesize_family(tmp_path, ["asriran"], 4)
    pages = sorted((tmp_path / "asriran" / "news").glob("*.html"))
    unread = set()
    for name, profile in PROFILES.items():
        for page in pages:
            item = exported(parse_page(page.read_text(encoding="utf-8"), f"{profile.base_url}/fa/news/{page.stem}",
                                       site=profile))
            if not all(item[field] for field in ("title", "body", "published_at")):
                unread.add(name)
    assert unread == set(SYNTH_UNREAD)


def test_synth_writes_a_family_root_of_n_sites(tmp_path):
    process = run("-m", "newscrawl", "synth", str(tmp_path / "root"), "--articles", "2", "--sites", "3")
    assert process.returncode == 0, process.stderr
    assert sorted(p.name for p in (tmp_path / "root").iterdir()) == sorted(READABLE[:3])
    feed = (tmp_path / "root" / READABLE[1] / "rss" / "allnews.xml").read_text(encoding="utf-8")
    assert f"{PROFILES[READABLE[1]].base_url}/fa/news/{FIRST_ID}" in feed


def test_seed_seeds_a_set_of_sites_one_crawl_each_or_nothing_on_a_bad_argument(redis_server):
    from newscrawl.distributed import CrawlKeys

    url = redis_server.url
    bad = run("-m", "newscrawl", "seed", "family", "--redis-url", url, "--sites", "tabnak,yjc", "-a", "mode=nosuch")
    assert bad.returncode == exit_codes.USAGE and len(bad.stderr.strip().splitlines()) == 1
    assert not redis_server.client().keys("newscrawl:*")  # nothing seeded
    process = run("-m", "newscrawl", "seed", "family", "--redis-url", url, "--sites", "tabnak,yjc",
                  "-a", "mode=ids", "-a", "ids=10-12")
    assert process.returncode == 0, process.stderr
    lines = [json.loads(line) for line in process.stdout.splitlines()]
    assert [(line["crawl"], line["site"], line["seeded"]) for line in lines] == [("family-tabnak", "tabnak", 3),
                                                                                  ("family-yjc", "yjc", 3)]
    server = redis_server.client()
    assert server.hget(CrawlKeys("family-yjc").meta, "spider") == "yjc"
    assert server.lrange(CrawlKeys("family-tabnak").spans, 0, -1) == ["10 12"] and lines[0]["pending"] == 3


def test_sites_groups_lists_each_group_with_its_sites():
    process = run("-m", "newscrawl", "sites", "--groups")
    assert process.returncode == 0
    lines = process.stdout.splitlines()
    assert lines[0] == f"all  ({len(PROFILES)})  every registered site"
    assert f"toolbar  ({len(groups()['toolbar'])})  " + ", ".join(groups()["toolbar"]) in lines


def test_each_site_keeps_its_job_under_the_jobdir_and_a_busy_one_skips_only_that_site(family, tmp_path):
    import os

    from newscrawl.extensions.recovery import claim_jobdir

    _, server = family
    held, free = SERVED[0], SERVED[1]
    jobs = tmp_path / "jobs"
    fd, _ = claim_jobdir(jobs / held)  # another live run (this test process) holds that site's job
    try:
        process = crawl_sites(tmp_path, f"{held},{free}", "-s", f"JOBDIR={jobs}", proxy=server.base_url)
    finally:
        os.close(fd)
    assert process.returncode == exit_codes.BUSY, process.stderr[-2000:]
    report = json.loads(next((tmp_path / "output" / "sweeps").glob("*/*.json")).read_text(encoding="utf-8"))
    assert report["by_site"][held]["outcome"] == "skipped" and report["by_site"][held]["exit_code"] == 8
    assert report["by_site"][free]["items_written"] == ARTICLES
    assert "cleared" in process.stderr and f"JOBDIR {jobs / free} cleared" in process.stderr
    assert not site_files(tmp_path / "output", held, ".jsonl")


def test_a_family_site_gets_the_feeds_its_profile_reads(tmp_path):
    (odd,) = [p.name for p in PROFILES.values() if p.feeds != ("allnews",)][:1]
    synthesize_family(tmp_path, [odd], 2)
    assert sorted(p.name for p in (tmp_path / odd / "rss").iterdir()) == sorted(
        f"{feed.replace('/', '-')}.xml" for feed in PROFILES[odd].feeds)


def test_a_run_of_many_sites_listens_on_no_port_even_when_telnet_is_asked(family, tmp_path):
    """Telnet would take a port per crawler (50 in Scrapy's range): off in a run of many sites."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT
    from tests.test_listening_sockets import listening_ports

    root, _ = family
    sites = SERVED[:5]
    with running_mirror(root, faults={"/fa/news/*": {"delay": 0.3}}) as server:
        command = [sys.executable, "-m", "newscrawl", "crawl", "--sites", ",".join(sites)]
        for setting in (*MIRROR_SETTINGS, f"OUTPUT_DIR={tmp_path / 'output'}", f"MIRROR_PROXY={server.base_url}",
                        "TELNETCONSOLE_ENABLED=1", "CONCURRENT_REQUESTS_PER_DOMAIN=1"):
            command += ["-s", setting]
        env = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="newscrawl.settings")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True)
        seen: set[int] = set()
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            seen |= listening_ports(process.pid)
            time.sleep(0.05)
        log = process.communicate()[1]
    assert process.returncode == 0, log[-3000:]
    assert seen == set() and "Telnet console listening" not in log
    report = json.loads(next((tmp_path / "output" / "sweeps").glob("*/*.json")).read_text(encoding="utf-8"))
    assert sum(entry["items_written"] for entry in report["by_site"].values()) == len(sites) * ARTICLES
