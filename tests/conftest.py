"""Shared fixtures: a throw-away copy of the project, and the CLI run in-process."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Result:
    """Run `reportgen ARGS` in this process; returns exit code and captured output."""
    from generators.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["reportgen", *args]
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session", autouse=True)
def _assets_untouched():
    """The `project` fixture shares asset files with the repository by hard links: prove no test wrote into one."""
    before = tree_digest(ROOT / "assets")
    yield
    assert tree_digest(ROOT / "assets") == before, "a test wrote into a hard-linked asset of the repository"


@pytest.fixture(scope="session", autouse=True)
def _data_untouched():
    """No test writes into the repository's data/ (a one-off briefing records its 期号 in its project's register:
    tests that make one give it a project of its own)."""
    before = tree_digest(ROOT / "data")
    yield
    assert tree_digest(ROOT / "data") == before, "a test wrote into the repository's data/"


@pytest.fixture(scope="session")
def scratch_root(tmp_path_factory) -> Path:
    """One copy of the project for the tests of a session that only read it, or add to its register."""
    return _copy_project(tmp_path_factory.mktemp("scratch"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of data/ and templates/ that a test may break; assets/ links to a hard-linked copy inside the project
    (symlinks out of the project are refused; copying the fonts for every test would be slow).
    Asset files are shared with the repository: a test replaces one by unlinking it first, never writes into it."""
    return _copy_project(tmp_path)


def _copy_project(tmp_path: Path) -> Path:
    dst = tmp_path / "proj"
    dst.mkdir()
    shutil.copytree(ROOT / "data", dst / "data")
    shutil.copytree(ROOT / "templates", dst / "templates")
    shutil.copytree(ROOT / "assets", dst / ".assets", copy_function=_link_or_copy)
    (dst / "assets").symlink_to(".assets", target_is_directory=True)
    (dst / "out").mkdir()
    return dst


def link_tree(src: Path, dst: Path) -> None:
    """A copy of a folder whose files are hard links (never write into one: unlink it first)."""
    shutil.copytree(src, dst, copy_function=_link_or_copy)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder with its sha256: to prove a failed run changed nothing."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def shipped():
    """The shipped project (read-only) as one Project context for the whole session."""
    return _shipped()


@pytest.fixture(scope="session")
def dataset(shipped):
    return shipped.dataset


@pytest.fixture(scope="session")
def env(shipped):
    return shipped.env


def make_doc(name: str, item: str | None = None, project=None):
    """The Document the registry's product `name` makes (from the shipped project unless one is given)."""
    from generators import products

    return products.get(name).make(project or _shipped(), item)


_SHIPPED: list = []


def _shipped():
    from generators.project import Project

    if not _SHIPPED:
        _SHIPPED.append(Project(ROOT))
    return _SHIPPED[0]


def all_documents(project=None):
    """(product name, item, Document) for every document of every product."""
    from generators import products

    project = project or _shipped()
    return [(p.name, item, p.make(project, item)) for p in products.PRODUCTS.values() for item in p.items(project.dataset)]


def make_designed(project: Path, name: str = "economy") -> None:
    """One shipped briefing of the project copy in the designed look (专题), whose styles follow theme.toml (the
    简报 and 公文 keep GB/T 9704's fonts and black text)."""
    path = project / "data" / "briefings" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "preset: 简报" in text
    path.write_text(text.replace("preset: 简报", "preset: 专题"), encoding="utf-8")
