"""A dataset is published whole or not at all: each build writes a new generation beside the one
readers see, and switches to it in one atomic step.

    DIR/.generations/<n>/latest/..., versions/..., manifest.json, README.md, articles_per_month.png
    DIR/.current -> .generations/<n>          the published generation: switched by one rename
    DIR/latest -> .current/latest             fixed links, made once: the paths the README names
    DIR/versions, DIR/manifest.json, DIR/README.md, DIR/articles_per_month.png   the same way

A build stages `.generations/<n>.building/` (the partitions it does not rewrite are hard links to the
published generation's files, so a generation costs only what changed), syncs what it wrote, renames
it to `.generations/<n>` and replaces `.current`. A reader who follows `DIR/latest` sees the old
generation or the new one, never a mix, and no temp file: everything unfinished is under a hidden
folder, which loaders skip (pyarrow, pandas, DuckDB globs, Hugging Face `datasets`). A build that is
killed or fails leaves its staging folder, removed by the next build; the generation before the
published one is kept for readers that listed its files just before a switch; older ones go.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from newscrawl.dataset.card import CHART

logger = logging.getLogger(__name__)
GENERATIONS = ".generations"
CURRENT = ".current"
STAGING = ".building"
PUBLISHED = ("latest", "versions", "manifest.json", "README.md", CHART)
_GENERATION = re.compile(r"\d+")


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(source, target)


class Generations:
    def __init__(self, out: Path):
        self.out = Path(out)
        self.root = self.out / GENERATIONS

    def numbers(self) -> list[int]:
        if not self.root.is_dir():
            return []
        return sorted(int(p.name) for p in self.root.iterdir() if _GENERATION.fullmatch(p.name) and p.is_dir())

    def current(self) -> Path | None:
        """The published generation's folder (None before the first build)."""
        pointer = self.out / CURRENT
        if not pointer.is_symlink():
            return None
        return self.out / os.readlink(pointer)

    def prepare(self) -> None:
        """Before a build: remove what killed builds left (their staging folders), and move a dataset
        built before generations existed (real folders in DIR) into the first generation."""
        if self.root.is_dir():
            for stale in self.root.glob(f"*{STAGING}"):
                shutil.rmtree(stale, ignore_errors=True)
            for stale in self.out.glob(f"{CURRENT}.*"):
                stale.unlink(missing_ok=True)
        legacy = [name for name in PUBLISHED if (self.out / name).exists() and not (self.out / name).is_symlink()]
        if legacy and self.current() is None:
            first = self.root / "0"
            first.mkdir(parents=True, exist_ok=True)
            for name in legacy:  # once, not atomic: the layout before generations had no better
                os.replace(self.out / name, first / name)
            for table in ("latest", "versions"):
                (first / table).mkdir(exist_ok=True)
            self._switch(first)
            logger.warning("The dataset's %s moved into %s: each build now publishes a whole dataset in one "
                           "step", ", ".join(legacy), first)

    def stage(self, keep: Iterable[str]) -> Path:
        """A new staging folder holding the published generation's files named in `keep` (paths
        relative to the generation), as hard links."""
        number = max(self.numbers(), default=0) + 1
        stage = self.root / f"{number}{STAGING}"
        stage.mkdir(parents=True)
        for table in ("latest", "versions"):  # there, even empty: DIR/latest and DIR/versions lead somewhere
            (stage / table).mkdir()
        current = self.current()
        if current is not None:
            for relative in keep:
                if (current / relative).exists():
                    _link_or_copy(current / relative, stage / relative)
        return stage

    def publish(self, stage: Path, written: Iterable[Path]) -> Path:
        """Make `stage` the published generation: sync the files written (`written`, hard links
        need not be) and the folders, rename it, switch `.current` in one rename, drop old ones."""
        for path in written:
            _fsync(path)
        for folder in sorted({p.parent for p in stage.rglob("*") if p.is_file()} | {stage}):
            _fsync(folder, directory=True)
        final = stage.with_name(stage.name.removesuffix(STAGING))
        os.replace(stage, final)
        _fsync(self.root, directory=True)
        previous = self.current()
        self._switch(final)
        self._prune(keep={final.name, previous.name if previous is not None else final.name})
        return final

    def abandon(self, stage: Path | None) -> None:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)

    def _switch(self, generation: Path) -> None:
        pointer = self.out / CURRENT
        new = self.out / f"{CURRENT}.new"
        new.unlink(missing_ok=True)
        new.symlink_to(generation.relative_to(self.out))
        os.replace(new, pointer)  # the one step readers see
        for name in PUBLISHED:  # fixed links through .current, made once
            link = self.out / name
            if not link.is_symlink():
                link.symlink_to(Path(CURRENT) / name)
        _fsync(self.out, directory=True)

    def _prune(self, keep: set[str]) -> None:
        for number in self.numbers():
            if str(number) not in keep:
                shutil.rmtree(self.root / str(number), ignore_errors=True)
