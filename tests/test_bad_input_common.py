"""Shared helpers of the bad-input suites: break one file, run the CLI in-process, assert a clean located refusal."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tests.conftest import ROOT, run_cli, tree_digest

Mutation = Callable[[Path], None]
# Phrases of English parser/validator messages that must never reach the user.
ENGLISH = re.compile(r"Traceback|Input should|Field required|Extra inputs|but found|expected <|while (parsing|scanning)|"
                     r"mapping values|could not|Invalid (value|statement)|Unterminated|Value error|line \d+|column \d+|"
                     r"Error:|Exception|unacceptable character|special characters", re.I)
LOCATED = re.compile(r"第\d+行|字段“")


@dataclass(frozen=True)
class Case:
    """One way of breaking an input: what to do, which file the message must name, and the words it must say."""

    id: str
    mutate: Mutation
    file: str
    words: tuple[str, ...] = ()
    needle: str | None = None  # text on the faulty line: the message must name that line
    command: tuple[str, ...] = ("check",)
    absent: tuple[str, ...] = field(default=())  # text that must not be echoed (e.g. a symlink target's content)
    located: bool = True  # False: the fault is the whole file (too big, a folder), so the file is the location


def edit(rel: str, old: str, new: str, count: int = 1) -> Mutation:
    def mutate(root: Path) -> None:
        p = root / rel
        text = p.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        replace(p, text.replace(old, new, count).encode("utf-8"))
    return mutate


def append(rel: str, text: str) -> Mutation:
    def mutate(root: Path) -> None:
        p = root / rel
        replace(p, p.read_bytes() + text.encode("utf-8"))
    return mutate


def write(rel: str, data: bytes | str) -> Mutation:
    def mutate(root: Path) -> None:
        replace(root / rel, data.encode("utf-8") if isinstance(data, str) else data)
    return mutate


def replace(path: Path, data: bytes) -> None:
    """Write a new file in place of `path` (never into it: asset files are hard links to the repository's)."""
    if path.is_symlink() or path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def both(*mutations: Mutation) -> Mutation:
    def mutate(root: Path) -> None:
        for m in mutations:
            m(root)
    return mutate


def line_of(root: Path, rel: str, needle: str) -> int:
    for n, line in enumerate((root / rel).read_text(encoding="utf-8", errors="replace").split("\n"), 1):
        if needle in line:
            return n
    raise AssertionError((rel, needle))


def _outside(project: Path) -> tuple[list[str], list[str]]:
    return sorted(os.listdir(project.parent)), sorted(p for p in os.listdir(ROOT) if not p.startswith("."))


def assert_refused(project: Path, case: Case) -> str:
    """Apply the case, run its command; exit 2, Chinese, file and location named, nothing changed; returns stderr."""
    out = project / "out"
    (out / "keep.txt").write_text("之前的输出", encoding="utf-8")
    (out / "manifest.json").write_text('{"files": {}}', encoding="utf-8")
    case.mutate(project)
    before = tree_digest(out), tree_digest(project / "data"), _outside(project)
    args = [*case.command, "--root", str(project)]
    if case.command[0] == "build":
        args += ["--out", str(out), "--quiet", "--jobs", "1"]
    res = run_cli(*args)
    err = res.err
    assert res.code == 2, (res.code, err, res.out)
    assert "Traceback" not in err and not ENGLISH.search(err), err
    assert re.search(r"[\u4e00-\u9fff]", err), err
    assert case.file in err, (case.file, err)
    if case.located:
        assert LOCATED.search(err), err
    if case.needle is not None:
        assert f"第{line_of(project, case.file, case.needle)}行" in err, (case.needle, err)
    for w in case.words:
        assert w in err, (w, err)
    for w in case.absent:
        assert w not in err, (w, err)
    assert (tree_digest(out), tree_digest(project / "data"), _outside(project)) == before
    return err


def ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]
