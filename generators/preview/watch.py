"""The watcher: poll data/, templates/, assets/ and rebuild (and re-preview) the products whose inputs changed."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generators import build as B
from generators import products as R
from generators.fsutil import ignored, ignored_dir
from generators.preview.run import PreviewOptions, needs_soffice, run_preview
from generators.preview.tools import find_soffice, say
from generators.project import Project

WATCHED = ("data", "templates", "assets")
Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """mtime and size of every input file under data/, templates/, assets/ (relative paths with /)."""
    snap: Snapshot = {}
    for top in WATCHED:
        for dirpath, dirnames, files in os.walk(root / top, followlinks=True):
            dirnames[:] = sorted(d for d in dirnames if not ignored_dir(d))
            for name in files:
                if ignored(name):
                    continue
                p = Path(dirpath) / name
                try:
                    st = p.stat()
                except OSError:  # removed while we looked
                    continue
                snap[p.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return snap


def changed_files(before: Snapshot, after: Snapshot) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def inputs_by_product(root: Path, products: list[R.Product]) -> dict[str, set[str]]:
    """The files whose change rebuilds each product: its inputs, and for the briefings the number register too
    (not hashed as a file: a briefing's hash holds its own number; a staff edit of it may change that number)."""
    from generators.numbering import FILE

    project = Project(root)
    return {p.name: {f.relative_to(project.root).as_posix() for f in project.inputs(p)}
            | ({f"data/{FILE}"} if p.kind == "briefing" else set()) for p in products}


def affected(changed: set[str], before: dict[str, set[str]], now: dict[str, set[str]]) -> list[str]:
    """Products with a changed input; a deleted file counts for the products that had it."""
    return [p for p in now if changed & (now[p] | before.get(p, set()))]


@dataclass(frozen=True)
class WatchOptions:
    root: Path
    out: Path
    only: tuple[str, ...] = ()
    year: int | None = None
    interval: float = 1.0
    preview: Path | None = None  # also re-preview changed documents into this folder
    max_cycles: int | None = None  # tests: stop after this many polls
    quiet: bool = False


def watch(opts: WatchOptions, report: Callable[[BaseException], None],
          sleep: Callable[[float], None] = time.sleep) -> int:
    """Poll the inputs; rebuild (and re-preview) the products whose inputs changed. Returns the rebuild count.

    Errors in the inputs are handed to `report` and watching goes on; Ctrl+C (KeyboardInterrupt) ends it.
    Every cycle builds with a new Project, so nothing loaded before a change is reused after it.
    """
    root = Project.open(opts.root).root
    products = R.choose(opts.only)
    from generators.outfolder import claim

    claim(root, opts.out, "--out", create=False)  # refused now (exit 2), not after the first change
    if opts.preview is not None:
        claim(root, opts.preview, "--preview-out", create=False)
    if opts.preview is not None and needs_soffice(products):  # fail now, not after the first change
        find_soffice()
    snap, inputs = snapshot(root), inputs_by_product(root, products)
    say(f"监视 {'、'.join(t + '/' for t in WATCHED)}（每 {opts.interval:g} 秒检查一次；按 Ctrl+C 结束）。"
        f"文档：{'、'.join(p.name for p in products)}；输出：{opts.out}" + (f"；预览：{opts.preview}" if opts.preview else ""))
    _cycle(opts, [p.name for p in products], report)  # bring everything up to date first (skips what already is)
    rebuilds = cycles = 0
    while opts.max_cycles is None or cycles < opts.max_cycles:
        sleep(opts.interval)
        cycles += 1
        now = snapshot(root)
        if now == snap:
            continue
        now = _settle(root, now, sleep, min(opts.interval, 0.5))
        changed, snap = changed_files(snap, now), now
        new_inputs = inputs_by_product(root, products)
        todo, inputs = affected(changed, inputs, new_inputs), new_inputs
        names = sorted(changed)
        shown = "、".join(names[:5]) + (f" 等 {len(names)} 个文件" if len(names) > 5 else "")
        if not todo:
            say(f"{time.strftime('%H:%M:%S')} {shown} 有变化，不影响任何文档。")
            continue
        say(f"{time.strftime('%H:%M:%S')} {shown} 有变化 → 重新生成：{'、'.join(todo)}")
        rebuilds += 1
        _cycle(opts, todo, report)
    return rebuilds


def _settle(root: Path, snap: Snapshot, sleep: Callable[[float], None], pause: float) -> Snapshot:
    """Wait until a save has finished (two equal snapshots), at most a few pauses."""
    for _ in range(10):
        sleep(pause)
        again = snapshot(root)
        if again == snap:
            break
        snap = again
    return snap


def _cycle(opts: WatchOptions, products: list[str], report: Callable[[BaseException], None]) -> bool:
    """Build (then preview) `products`; any error is reported and swallowed so that watching goes on."""
    start = time.monotonic()
    try:
        B.run_build(B.BuildOptions(root=opts.root, out=opts.out, only=tuple(products), year=opts.year,
                                   quiet=opts.quiet))
        if opts.preview is not None:
            made = run_preview(PreviewOptions(root=opts.root, out=opts.preview, only=tuple(products),
                                              year=opts.year, quiet=opts.quiet))
            changed = [d for d in made if not d.reused]
            if changed:
                say("预览已更新：" + "、".join(str(d.sheet) for d in changed))
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - a watcher reports and keeps watching
        report(exc)
        say("继续监视；改正后保存即可重新生成。")
        return False
    say(f"{time.strftime('%H:%M:%S')} 完成（{time.monotonic() - start:.1f} 秒）。")
    return True
