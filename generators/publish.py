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
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from generators.errors import InputError, Problem, ReportgenError, shown
from generators.fsutil import atomic_write, safe_relative
from generators.outfolder import Escape, is_safe, made_here, make_dir, remove_file, remove_made, within

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
    """A fresh, empty staging folder inside out/ (same file system: every move is a rename).

    The work folder is ours only when we made it (outfolder's marker, reached without a link): a folder or a
    link of that name made by someone else is refused, never written through or deleted."""
    work = within(out, WORK)
    if work.exists() or work.is_symlink():
        if not made_here(work):
            raise Escape(Problem(shown(work), message="输出文件夹中已有同名的文件夹、文件或符号链接，不是本程序建立的，已拒绝（未改动任何文件）",
                                 expected=f"请移走或删除 {WORK} 后重试"))
        remove_made(out, f"{WORK}/stage")
    stage = make_dir(out, f"{WORK}/stage")
    return stage


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl+C and SIGTERM wait until the block is done, then take effect: a rollback or a cleanup cut short by a
    second interrupt would leave the work folder, or half the old files, behind. Python's handlers are swapped
    for one that notes the signal (a blocked mask would not do: the signal may reach another thread, and Python
    runs its handler in the main thread anyway). Only the main thread can set handlers; elsewhere, as before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(sig)
        if handler is not None:  # None: set outside Python, could not be put back
            previous[sig] = handler
            signal.signal(sig, lambda signum, _frame: noted.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if noted:
            signal.raise_signal(noted[0])  # now: Ctrl+C or SIGTERM as it would have been


def discard(out: Path) -> None:
    """Remove the work folder (after a commit, a rollback or a failed build) — unless a journal is in it: then a
    rollback did not finish, and the old files in it are needed by `recover`. Only a work folder we made goes."""
    with interrupts_held():
        if not made_here(work_dir(out)):
            return
        if (work_dir(out) / JOURNAL).exists():
            remove_made(out, f"{WORK}/stage")
            return
        remove_made(out, WORK)


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
        if safe_relative(rel) != rel or not is_safe(out, rel):
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
                make_dir(out, Path(WORK, "old", rel).parent)
                replace_retrying(within(out, rel), old / rel, rel, out)
        for rel in plan.put:  # 2. the new set in
            if Path(rel).parent.parts:
                make_dir(out, Path(rel).parent, mark=False)  # a document folder: no marker beside the files
            replace_retrying(stage / rel, within(out, rel), rel, out)
        if plan.manifest is not None:
            replace_retrying(staged_manifest, out / MANIFEST, MANIFEST, out)
    except BaseException:  # an error, Ctrl+C or SIGTERM (raised as SystemExit): put the old set back
        with interrupts_held():
            rollback(out)
        raise
    with interrupts_held():  # committed: the work folder goes too, whatever arrives meanwhile
        (work_dir(out) / JOURNAL).unlink()  # the commit point
        discard(out)
        _drop_empty_dirs(out, plan.remove)


def rollback(out: Path) -> bool:
    """Undo a publish that has a journal: the old files back, the new ones gone. True if there was one."""
    path = work_dir(out) / JOURNAL
    if not made_here(work_dir(out)) or not is_safe(out, f"{WORK}/{JOURNAL}"):
        return False  # a journal we did not write (planted, or behind a link) is never acted on
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        targets = dict(journal["targets"])
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        targets = {}  # a journal cut short by a crash was written before any file moved
    old = work_dir(out) / "old"
    for rel, existed in targets.items():
        if safe_relative(rel) != rel or not is_safe(out, rel):
            continue  # a journal naming a place through a link (or outside): nothing there is touched
        if existed:
            if is_safe(out, f"{WORK}/old/{rel}") and (old / rel).is_file():
                os.replace(old / rel, out / rel)
        else:
            remove_file(out, rel)
    path.unlink()
    discard(out)
    return True


def recover(out: Path) -> str | None:
    """At the start of a build (under the lock): finish off a publish that was killed. Returns a note or None."""
    if not work_dir(out).exists() or not made_here(work_dir(out)):
        return None  # not ours: stage_dir refuses it with a message when a build needs the name
    if rollback(out):
        return "上次生成在替换文件时被中断，已恢复为中断前的完整文档（previous publish was rolled back）。"
    discard(out)  # a stage left by a build killed before publishing: out/ itself was never touched
    return None


def _drop_empty_dirs(out: Path, removed: list[str]) -> None:
    for rel in removed:
        parent = (out / rel).parent
        while parent != out and is_safe(out, parent.relative_to(out)):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
