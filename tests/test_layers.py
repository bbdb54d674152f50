"""The layers hold: imports flow one way, each format library lives in one place, modules and functions stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PKG = ROOT / "generators"
# The import graph covers our code: the package and the tools (run as scripts; `tools/` is not a package, so a
# tool may also import a sibling by its bare name, as tools/bench.py imports bench_web).
SCANNED = ("generators", "tools")
# Each format library may be imported only inside its one home (a module or a package folder).
LIBRARY_HOME = {
    "pptx": "generators/writers/pptx",
    "docx": "generators/writers/docx",
    "reportlab": "generators/writers/pdf",
    "svglib": "generators/writers/pdf",
    "matplotlib": "generators/charts",
    "openpyxl": "generators/yearly",
}


def _modules() -> dict[str, Path]:
    mods = {}
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods[".".join(parts)] = path
    return mods


MODULES = _modules()
PACKAGE = {m: p for m, p in MODULES.items() if m.split(".")[0] == "generators"}  # tools/ may use any library


def _within(module: str, home: str) -> bool:
    dotted = home.replace("/", ".")
    return module == dotted or module.startswith(dotted + ".")


def _absolute(node: ast.ImportFrom, name: str, path: Path) -> str:
    """The absolute module a `from … import` reads from (relative imports resolved against the importer)."""
    if not node.level:
        return node.module or ""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    parts = package.split(".")
    base = parts[: len(parts) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _ours(module: str, importer: str) -> str | None:
    """`module` as one of MODULES (a tool's bare sibling import resolved inside tools/), or None if not ours."""
    if module in MODULES:
        return module
    if importer.startswith("tools."):
        sibling = importer.rpartition(".")[0] + "." + module
        if sibling in MODULES:
            return sibling
    return None


def import_edges(name: str, path: Path) -> list[tuple[str, int]]:
    """Every module of ours that `name` imports, with the line: any depth (inside functions, `if TYPE_CHECKING:`
    and `try:` blocks too). `from a import b` is an edge to the module a.b when b is a module, else to a."""
    edges = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, name, path)
            for a in node.names:
                sub = f"{base}.{a.name}"
                targets.append(sub if _ours(sub, name) else base)
        edges += [(m, node.lineno) for t in targets if (m := _ours(t, name)) is not None and m != name]
    return edges


def _imports(path: Path, name: str) -> set[str]:
    """Every module a file imports (absolute names), at any depth, ours or a library's."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, name, path)
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES}
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, dict[str, int]]:
    """module → {imported module: first line}, for every module given."""
    graph: dict[str, dict[str, int]] = {}
    for m, p in modules.items():
        deps: dict[str, int] = {}
        for dep, line in import_edges(m, p):
            deps.setdefault(dep, line)
        graph[m] = deps
    return graph


def find_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Each strongly connected group of more than one module (Tarjan): every cycle is inside one of them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def _said(graph: dict[str, dict[str, int]], group: list[str]) -> str:
    inside = set(group)
    return "; ".join(f"{m} → {d} (line {line})" for m in group for d, line in sorted(graph[m].items()) if d in inside)


def they_have_no_import_cycles():
    """No cycle of any kind in generators/ or tools/: top-level, function-local or type-only imports alike."""
    graph = import_graph(MODULES)
    cycles = find_cycles(graph)
    assert not cycles, "\n".join(_said(graph, g) for g in cycles)


def it_finds_a_cycle_added_through_a_lazy_or_type_only_import(tmp_path: Path):
    """The cycle check itself: a function-local import and a TYPE_CHECKING import each close a cycle."""
    pkg = tmp_path / "generators"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from generators import b\n")
    (pkg / "b.py").write_text("def f():\n    from generators.c import g\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from generators.a import A\n")
    (pkg / "d.py").write_text("from . import a\n")
    modules = {f"generators.{p.stem}" if p.stem != "__init__" else "generators": p for p in pkg.glob("*.py")}
    global MODULES
    saved, MODULES = MODULES, modules
    try:
        graph = import_graph(modules)
    finally:
        MODULES = saved
    assert find_cycles(graph) == [["generators.a", "generators.b", "generators.c"]]
    assert graph["generators.d"] == {"generators.a": 1}


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("generators.load")])
def it_keeps_the_data_layer_free_of_documents_and_writers(module: str):
    bad = {i for i in _imports(MODULES[module], module)
           if i.startswith(("generators.model", "generators.writers", "generators.documents"))}
    assert not bad, bad


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("generators.writers")])
def it_keeps_writers_away_from_the_data_layer(module: str):
    bad = {i for i in _imports(MODULES[module], module) if i.startswith("generators.load")}
    assert not bad, bad


@pytest.mark.parametrize("library, home", sorted(LIBRARY_HOME.items()))
def it_imports_each_format_library_in_one_place(library: str, home: str):
    outside = sorted(m for m, p in PACKAGE.items() if not _within(m, home)
                     and any(i == library or i.startswith(library + ".") for i in _imports(p, m)))
    assert not outside, f"{library} imported outside {home}: {outside}"


def it_keeps_modules_under_500_lines():
    long = {m: n for m, p in PACKAGE.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, long


def it_keeps_functions_under_60_lines():
    long = {}
    for m, p in PACKAGE.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > 60:
                    long[f"{m}.{node.name}"] = n
    assert not long, long


# String constants equal to a product name outside the registry, each with why it may stay. Entries marked
# "registry" are product facts still spelled out beside their use, to move into the registry entry.
NAMED_ELSEWHERE = {
    ("generators.documents.deck", "deck"): "the builder's Document.kind and the stem of the text file its entry declares",
    ("generators.documents.summary", "summary"): "the builder's Document.kind and the stem of the text file its entry declares",
    ("generators.documents.factsheet", "factsheet"): "the builder's Document.kind and the stem of the text file its entry declares",
    ("generators.load.dataset", "briefings"): "the data/briefings folder the loader reads",
    ("generators.web.service", "briefings"): "registry: the briefing product and its data/briefings folder",
}


def _product_strings() -> dict[tuple[str, str], list[int]]:
    from generators import products

    names = set(products.names())
    found: dict[tuple[str, str], list[int]] = {}
    for m, p in PACKAGE.items():
        if m == "generators.products":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
                found.setdefault((m, node.value), []).append(node.lineno)
    return found


def it_declares_every_product_in_the_registry_only():
    """No string constant outside the registry is a product name (compared, looked up, listed or keyed by)."""
    offenders = {f"{m}:{lines} {v!r}" for (m, v), lines in _product_strings().items() if (m, v) not in NAMED_ELSEWHERE}
    assert not offenders, sorted(offenders)


def it_keeps_the_list_of_names_spelled_elsewhere_current():
    """An entry whose string is gone is removed from NAMED_ELSEWHERE, so the list only shrinks."""
    stale = set(NAMED_ELSEWHERE) - set(_product_strings())
    assert not stale, sorted(stale)


def _from_generators_imports() -> list[tuple[str, str, str]]:
    """(where, module, name) of every `from generators… import name` in generators/, tools/ and tests/, at any
    depth: lazy imports run only on their path, so a stale name would otherwise fail only there."""
    out = []
    files = {**MODULES, **{f"tests.{p.stem}": p for p in sorted((ROOT / "tests").glob("*.py"))}}
    for m, p in files.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = _absolute(node, m, p)
                if base == "generators" or base.startswith("generators."):
                    out += [(f"{p.relative_to(ROOT)}:{node.lineno}", base, a.name) for a in node.names]
    return out


def it_resolves_every_name_imported_from_generators():
    import importlib
    import importlib.util

    missing = []
    for where, module, name in _from_generators_imports():
        mod = importlib.import_module(module)
        if name != "*" and not hasattr(mod, name) and importlib.util.find_spec(f"{module}.{name}") is None:
            missing.append(f"{where}: from {module} import {name}")
    assert not missing, missing
