"""The layers hold: imports flow one way, each format library lives in one place, modules and functions stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PKG = ROOT / "generators"
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
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _imports(path: Path, name: str) -> set[str]:
    """Every module a file imports (absolute names), at any depth — lazy imports inside functions count too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES}
    return found


def _top_level_imports(path: Path) -> set[str]:
    """Imports executed when the module is imported (not inside functions or TYPE_CHECKING blocks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
    return {m for m in found if m in MODULES}


def _within(module: str, home: str) -> bool:
    dotted = home.replace("/", ".")
    return module == dotted or module.startswith(dotted + ".")


def they_have_no_import_cycles():
    graph = {m: _top_level_imports(p) - {m} for m, p in MODULES.items()}
    for m in list(graph):  # importing a.b.c runs a and a.b first: an edge to the package is no cycle by itself
        graph[m] = {d for d in graph[m] if not m.startswith(d + ".")}
    seen, stack, cycles = set(), [], []

    def visit(node: str) -> None:
        if node in stack:
            cycles.append(stack[stack.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            visit(dep)
        stack.pop()

    for m in sorted(graph):
        visit(m)
    assert not cycles, cycles


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
    outside = sorted(m for m, p in MODULES.items() if not _within(m, home)
                     and any(i == library or i.startswith(library + ".") for i in _imports(p, m)))
    assert not outside, f"{library} imported outside {home}: {outside}"


def it_keeps_modules_under_500_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, long


def it_keeps_functions_under_60_lines():
    long = {}
    for m, p in MODULES.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > 60:
                    long[f"{m}.{node.name}"] = n
    assert not long, long


def it_declares_every_product_in_the_registry_only():
    """No code outside the registry compares a product name as a string."""
    from generators import products

    names = set(products.names())
    offenders = []
    for m, p in MODULES.items():
        if m == "generators.products":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                consts = [c for c in [node.left, *node.comparators] if isinstance(c, ast.Constant)]
                if any(c.value in names for c in consts):
                    offenders.append(f"{m}:{node.lineno}")
    assert not offenders, offenders
