"""Publishing as a transaction: out/ holds the old complete set or the new one, never a mix.

The model is SQLite's rollback journal. Documents are staged in `out/.reportgen-publish/stage/`; before any
file in out/ changes, a journal listing every target (and whether it existed) is written; each old file is
moved aside into `old/` (a file held open by Word or WPS fails here, before anything new is in place), then
the new files and the manifest are moved in; deleting the journal is the commit. Any failure or interrupt
before the commit rolls back; a publish killed outright is rolled back by `recover` at the next start.
The work folder is removed afterwards, so a failed build leaves out/ byte-identical.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generators.errors import InputError, Problem, ReportgenError, shown
from generators.fsutil import atomic_write, inside, safe_relative

WORK = ".reportgen-publish"
JOURNAL = "journal.json"
MANIFEST = "manifest.json"
RETRIES = 10  # a file held for a moment by antivirus or a sync tool: retry before giving up
RETRY_PAUSE = 0.2

# Seams for fault-injection tests: every rename of the publish goes through _move, every pause through _sleep.
_move: Callable[[Path, Path], None] = os.replace
_sleep: Callable[[float], None] = time.sleep


def work_dir(out: Path) -> Path:
    return out / WORK


def stage_dir(out: Path) -> Path:
    """A fresh, empty staging folder inside out/ (same file system: every move is a rename)."""
    stage = work_dir(out) / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def discard(out: Path) -> None:
    """Remove the work folder (after a commit, a rollback or a failed build) — unless a journal is in it: then a
    rollback did not finish, and the old files in it are needed by `recover`."""
    if (work_dir(out) / JOURNAL).exists():
        shutil.rmtree(work_dir(out) / "stage", ignore_errors=True)
        return
    shutil.rmtree(work_dir(out), ignore_errors=True)


@dataclass
class Plan:
    """What one publish does: files to put (from the stage) and files to remove, plus the new manifest."""

    put: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    manifest: dict | None = field(default_factory=dict)  # None: the top-level manifest.json is left as it is

    def targets(self) -> list[str]:
        return sorted(set(self.put) | set(self.remove)) + ([MANIFEST] if self.manifest is not None else [])


class Locked(InputError):
    """A file in out/ is held by another program (Word, WPS, a viewer): nothing was changed."""


def replace_retrying(src: Path, dst: Path, rel: str, out: Path) -> None:
    """os.replace, retried while the file is held; a file still held, or a failing disk, is a clear error."""
    for attempt in range(RETRIES):
        try:
            _move(src, dst)
            return
        except PermissionError:
            if attempt == RETRIES - 1:
                raise Locked(Problem(
                    shown(out / rel), message="文件正被其他程序打开或占用，无法替换（file is open in another program）",
                    expected="请先在 Word/WPS/PowerPoint 或阅读器中关闭该文件，再重试；输出文件夹未作任何改动")) from None
            _sleep(RETRY_PAUSE)
        except OSError as exc:
            raise ReportgenError(f"写入 {shown(out / rel)} 失败（{exc.strerror or exc}）；输出文件夹已恢复原样，"
                                 "请检查磁盘空间和权限后重试") from None


def publish(out: Path, stage: Path, plan: Plan) -> None:
    """Move the staged files into out/ and write the manifest, all or nothing."""
    for rel in plan.put + plan.remove:
        if safe_relative(rel) != rel or not inside((out / rel).parent, out) or (out / rel).is_symlink():
            raise InputError(Problem(shown(out / rel), message="输出位置指向输出文件夹之外（符号链接或不安全的文件名），已拒绝",
                                     expected="输出文件夹内的普通文件和文件夹", found=rel))
    staged_manifest = stage / MANIFEST
    if plan.manifest is not None:
        atomic_write(staged_manifest, json.dumps(plan.manifest, ensure_ascii=False, indent=2) + "\n")
    targets = plan.targets()
    journal = {"targets": {rel: (out / rel).is_file() for rel in targets}}
    atomic_write(work_dir(out) / JOURNAL, json.dumps(journal, ensure_ascii=False, indent=1))
    old = work_dir(out) / "old"
    try:
        for rel in targets:  # 1. every old file aside: a locked one stops us here, nothing new is in place
            if journal["targets"][rel]:
                (old / rel).parent.mkdir(parents=True, exist_ok=True)
                replace_retrying(out / rel, old / rel, rel, out)
        for rel in plan.put:  # 2. the new set in
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            replace_retrying(stage / rel, out / rel, rel, out)
        if plan.manifest is not None:
            replace_retrying(staged_manifest, out / MANIFEST, MANIFEST, out)
    except BaseException:  # an error, Ctrl+C or SIGTERM (raised as SystemExit): put the old set back
        rollback(out)
        raise
    (work_dir(out) / JOURNAL).unlink()  # the commit point
    discard(out)
    _drop_empty_dirs(out, plan.remove)


def rollback(out: Path) -> bool:
    """Undo a publish that has a journal: the old files back, the new ones gone. True if there was one."""
    path = work_dir(out) / JOURNAL
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        targets = dict(journal["targets"])
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        targets = {}  # a journal cut short by a crash was written before any file moved
    old = work_dir(out) / "old"
    for rel, existed in targets.items():
        if safe_relative(rel) != rel:
            continue
        if existed:
            if (old / rel).is_file():
                os.replace(old / rel, out / rel)
        else:
            with contextlib.suppress(FileNotFoundError):
                (out / rel).unlink()
    path.unlink()
    discard(out)
    return True


def recover(out: Path) -> str | None:
    """At the start of a build (under the lock): finish off a publish that was killed. Returns a note or None."""
    if not work_dir(out).exists():
        return None
    if rollback(out):
        return "上次生成在替换文件时被中断，已恢复为中断前的完整文档（previous publish was rolled back）。"
    discard(out)  # a stage left by a build killed before publishing: out/ itself was never touched
    return None


def _drop_empty_dirs(out: Path, removed: list[str]) -> None:
    for rel in removed:
        parent = (out / rel).parent
        while parent != out:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
