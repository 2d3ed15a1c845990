"""The house: every module of the package sits in one layer, and imports only from its own layer or
the ones below it, imports inside functions included (that is where cycles hide). No import cycle
among the package's modules at all. README "How it works" draws the same layers.

    6 entry points      commands/, scrapy_commands/, __main__
    5 test site         mirror/
    4 plug-ins, offline distributed/, replay/
    3 Scrapy components spiders/, middlewares/, pipelines/, extensions/, monitoring/, logs
    2 one run           run/
    1 knowledge, storage sites/, state/, output/, dataset/
    0 contracts         settings, items, exceptions, exit_codes, stats, text/, schema/
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "newscrawl"

LAYERS: dict[str, int] = {
    "newscrawl": 0, "settings": 0, "items": 0, "exceptions": 0, "exit_codes": 0, "stats": 0, "text": 0,
    "schema": 0,
    "sites": 1, "state": 1, "output": 1, "dataset": 1,
    "run": 2,
    "spiders": 3, "middlewares": 3, "pipelines": 3, "extensions": 3, "monitoring": 3, "logs": 3,
    "distributed": 4, "replay": 4,
    "mirror": 5,
    "commands": 6, "scrapy_commands": 6, "__main__": 6,
}
MAX_LOOSE_MODULES = 8


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules `name` imports, anywhere in the file (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            wanted = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            # `from pkg import sub` imports the module pkg.sub; `from pkg import name` runs pkg itself,
            # even when pkg is the importing module's own package (a cycle through its __init__)
            wanted = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in wanted:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target.startswith("newscrawl") and target != name:
                targets.add(target)
    return targets


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def layer_of(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else LAYERS["newscrawl"]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_layer():
    unplaced = sorted({name.split(".")[1] for name in modules() if "." in name} - set(LAYERS))
    assert not unplaced, f"give these a layer in LAYERS (and README 'How it works'): {unplaced}"


def test_no_import_cycle_among_the_package_modules():
    assert cycles(graph()) == []


def test_imports_point_to_the_same_layer_or_below():
    upward = sorted(f"{source} (layer {layer_of(source)}) imports {target} (layer {layer_of(target)})"
                    for source, targets in graph().items() for target in targets
                    if layer_of(target) > layer_of(source))
    assert upward == []


def test_the_checks_see_imports_inside_functions_and_relative_ones(tmp_path, monkeypatch):
    package = tmp_path / "newscrawl"
    (package / "sites").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sites" / "__init__.py").write_text("def f():\n    from newscrawl.run import thing\n")
    (package / "run.py").write_text("from .sites import f\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    edges = graph()
    assert edges["newscrawl.sites"] == {"newscrawl.run"} and edges["newscrawl.run"] == {"newscrawl.sites"}
    assert cycles(edges) == [["newscrawl.run", "newscrawl.sites"]]


def test_the_checks_see_a_module_importing_a_name_from_its_own_package(tmp_path, monkeypatch):
    package = tmp_path / "newscrawl"
    (package / "sites" / "cms").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sites" / "__init__.py").write_text("from newscrawl.sites.cms import article\nPROFILES = {}\n")
    (package / "sites" / "cms" / "__init__.py").write_text("")
    (package / "sites" / "cms" / "article.py").write_text(
        "from newscrawl.sites.cms import markup\n\ndef f():\n    from newscrawl.sites import PROFILES\n")
    (package / "sites" / "cms" / "markup.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    edges = graph()
    assert edges["newscrawl.sites.cms.article"] == {"newscrawl.sites.cms.markup", "newscrawl.sites"}
    assert cycles(edges) == [["newscrawl.sites", "newscrawl.sites.cms.article"]]


def test_few_modules_stay_loose_at_the_top():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert len(loose) <= MAX_LOOSE_MODULES, loose
