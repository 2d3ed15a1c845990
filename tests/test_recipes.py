"""The README's scheduled-run recipes, run as they are written (cron lines through sh, the systemd
unit's ExecStart in its WorkingDirectory), night after night against the mirror.

Each recipe line is taken from README.md itself; the only changes are the checkout folder
(/srv/newscrawl becomes a test folder holding the project's scrapy.cfg and a link to this venv), the
family of sites (`--sites all` becomes the sites the mirror serves) and the mirror's proxy and speed
settings added right after it. The recipes crawl every site in one run: the mirror serves a family
root (one folder per site) as a loopback proxy (-s MIRROR_PROXY=)."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.mirror.faults import Faults
from newscrawl.mirror.server import running_mirror
from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.replay.fixtures import FIXTURES_DIR
from tests.conftest import MIRROR_SETTINGS, ROOT, read_jsonl, run_files

README = (ROOT / "README.md").read_text(encoding="utf-8")
CHECKOUT = "/srv/newscrawl"
FAMILY = ("asriran", "tabnak")  # the sites of the test's family: asriran's files are checked night by night
ALL_SITES = "crawl --sites all"
FIRST_NIGHT, SECOND_NIGHT, THIRD_NIGHT = 30, 36, 60
FAILING = FIRST_ID + 5  # fails for good on the first night only


def code_block(language: str, heading: str) -> str:
    section = README[README.index(f"### {heading}\n"):]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


def cron_line(mode: str) -> str:
    [line] = [line for line in code_block("cron", "cron").splitlines()
              if re.match(r"^(\S+\s+){5}cd ", line) and f"-a mode={mode}" in line]
    return re.split(r"\s+", line, maxsplit=5)[5]


def unit_setting(unit: str, name: str) -> str:
    block = code_block("ini", "systemd")
    unit_text = block[block.index(f"# /etc/systemd/system/{unit}\n"):]
    return re.search(rf"^{name}=(.*)$", unit_text, re.M).group(1)


def on_mirror(command: str, proxy: str, workdir: Path) -> str:
    assert ALL_SITES in command, command
    extra = " ".join([f"-s MIRROR_PROXY={proxy}", *(f"-s {s}" for s in MIRROR_SETTINGS)])
    command = command.replace(ALL_SITES, f"crawl --sites {','.join(FAMILY)} {extra}", 1)
    return command.replace(CHECKOUT, str(workdir))


@pytest.fixture
def checkout(tmp_path) -> Path:
    """What /srv/newscrawl holds: the project's scrapy.cfg, its .venv and an output/ folder."""
    workdir = tmp_path / "srv"
    workdir.mkdir()
    shutil.copy(ROOT / "scrapy.cfg", workdir)
    (workdir / ".venv").symlink_to(Path(sys.prefix))
    (workdir / "output").mkdir()
    return workdir


# As cron and systemd run it: the checkout's scrapy.cfg names the settings; the code is this checkout's.
ENV = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")},
       "PYTHONPATH": str(ROOT)}


class Site:
    """One mirror of the family's sites (a proxy, as the real sites are reached) whose pages change
    from night to night: each site of FAMILY gets the night's pages."""

    def __init__(self, folder: Path):
        self.folder = folder
        for site in FAMILY:
            (self.folder / site).mkdir(parents=True)

    def __enter__(self):
        self._running = running_mirror(self.folder)
        self.mirror = self._running.__enter__()
        return self

    def __exit__(self, *exc):
        return self._running.__exit__(*exc)

    def night(self, pages: Path, faults=None) -> str:
        for site in FAMILY:
            shutil.copytree(pages, self.folder / site, dirs_exist_ok=True)
        self.mirror.faults = Faults(faults)  # a bare path: every site's
        return self.mirror.base_url


def cron_night(workdir: Path, base_url: str) -> subprocess.CompletedProcess:
    command = on_mirror(cron_line("archive"), base_url, workdir)
    return subprocess.run(["sh", "-c", command], cwd=workdir, env=ENV, capture_output=True, text=True, timeout=300)


def systemd_night(workdir: Path, base_url: str) -> subprocess.CompletedProcess:
    unit = "newscrawl-archive.service"
    assert unit_setting(unit, "WorkingDirectory") == CHECKOUT
    command = shlex.split(on_mirror(unit_setting(unit, "ExecStart"), base_url, workdir))
    return subprocess.run(command, cwd=workdir, env=ENV, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The site on the first night, on the second with six new articles, on the third with more."""
    root = tmp_path_factory.mktemp("nights")
    for name, articles in (("first", FIRST_NIGHT), ("second", SECOND_NIGHT), ("third", THIRD_NIGHT)):
        synthesize(root / name, articles, seed=11)
    return root / "first", root / "second", root / "third"


def written_ids(path: Path) -> list[int]:
    return sorted(item["news_id"] for item in read_jsonl(path))


def assert_two_nights(workdir: Path):
    """The first two nights' files and reports (a third night may follow)."""
    jobdir = workdir / "output" / "jobs" / "archive" / "asriran"  # each site's job under the JOBDIR given
    night_one, night_two = run_files(workdir)[:2]
    assert written_ids(night_one) == [i for i in range(FIRST_ID, FIRST_ID + FIRST_NIGHT) if i != FAILING]
    # the second night: the six new articles and the page that failed the first night
    assert written_ids(night_two) == sorted([FAILING, *range(FIRST_ID + FIRST_NIGHT, FIRST_ID + SECOND_NIGHT)])
    first, second = reports(workdir)[:2]
    assert list(first["failed"]) == [str(FAILING)] and second["failed"] == {}
    assert first["stats"]["newscrawl/jobdir_cleared"] >= 1 and second["stats"]["newscrawl/jobdir_cleared"] >= 1
    assert sorted(p.name for p in jobdir.iterdir()) == []  # cleared once the job finished


def reports(workdir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((workdir / "output" / "asriran").glob("*/*.report.json"))]


def test_the_cron_recipe_crawls_every_night_and_mails_only_a_failure(sites, checkout, tmp_path):
    first_site, second_site, third_site = sites
    with Site(tmp_path / "site") as site:
        first = cron_night(checkout, site.night(first_site, faults={f"/fa/news/{FAILING}": {"status": 500}}))
        second = cron_night(checkout, site.night(second_site))
        # A night the site lost its markup: cron gets output to mail, with the exit code and the summary.
        third = cron_night(checkout, site.night(third_site, faults={"/fa/news/*": {"lose_body": True}}))
    assert first.returncode == 0 and first.stdout == "", first.stdout  # nothing printed: no mail
    assert second.returncode == 0 and second.stdout == "", second.stdout
    assert_two_nights(checkout)
    assert third.returncode == 0  # the shell line itself: the mail is the signal
    assert third.stdout.startswith("newscrawl archive: exit code 3\n"), third.stdout
    # the mail's last lines: the summary naming each failed site, why, and its report
    last = third.stdout.strip().splitlines()[-1]
    assert last.startswith("newscrawl crawl: exit code 3 (2 of 2 sites failed: asriran (3), tabnak (3))"), last
    assert "  asriran: exit 3, failed: drift: " in third.stdout and "report: " in third.stdout


def test_the_systemd_recipe_crawls_every_night_and_fails_the_unit_on_drift(sites, checkout, tmp_path):
    first_site, second_site, third_site = sites
    assert unit_setting("newscrawl-archive.service", "OnFailure") == "newscrawl-alert@%n.service"
    with Site(tmp_path / "site") as site:
        first = systemd_night(checkout, site.night(first_site, faults={f"/fa/news/{FAILING}": {"status": 500}}))
        second = systemd_night(checkout, site.night(second_site))
        third = systemd_night(checkout, site.night(third_site, faults={"/fa/news/*": {"lose_body": True}}))
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert_two_nights(checkout)
    assert third.returncode == 3  # the unit fails: OnFailure= runs


def test_the_cron_rss_line_prints_nothing_when_all_is_well(checkout, tmp_path):
    family = tmp_path / "family"
    family.mkdir()
    for site in FAMILY:
        (family / site).symlink_to(FIXTURES_DIR / site)
    with running_mirror(family) as mirror:
        command = on_mirror(cron_line("rss"), mirror.base_url, checkout)
        result = subprocess.run(["sh", "-c", command], cwd=checkout, env=ENV, capture_output=True, text=True,
                                timeout=300)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    [articles] = run_files(checkout)
    assert len(read_jsonl(articles)) == 16
    assert len(list((checkout / "output" / "tabnak").glob("*/*.report.json"))) == 1
    log = (checkout / "output" / "rss.log").read_text(encoding="utf-8")
    assert "Run finished" in log and log.strip().splitlines()[-1].startswith("newscrawl crawl: exit code 0")
