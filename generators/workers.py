"""Running document jobs, serially or in worker processes that report errors exactly as a serial run does.

On Linux, from a single-threaded main process, workers are forked: they start at once with the main process's
libraries, dataset, theme and fonts already loaded (nothing is imported or parsed twice). Elsewhere they are
started with `forkserver` (POSIX) or `spawn` (Windows) and build their own `Project` (pool initializer). A
forked worker lets go of its copy of the output lock at start, so a killed build never leaves a worker holding
it; every worker watches the main process and exits when it is gone. The longest jobs are handed out first.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path
from types import FrameType
from typing import Any, Callable, Iterator

from generators import products as R
from generators.errors import InputError, Problem, ReportgenError
from generators.project import Project
from generators.writing import locate_in_data, write_document

Job = tuple[str, "str | None", str]  # product name, item, output name
# How one job ended, as plain data that crosses process boundaries:
# ("ok", output name) | ("input", [Problem]) | ("error", (message, exit code)) | ("internal", text)
Outcome = tuple[str, Any]


def build_job(project: Project, job: Job, stage: Path) -> str:
    """One document: data → Document → file in the stage folder."""
    name, item, rel = job
    product = R.get(name)
    doc = product.make(project, item)
    if product.output_name(doc.name, Path(rel).suffix) != rel:
        raise AssertionError(f"{name}: document name {doc.name!r} does not match the planned {rel!r}")
    try:
        write_document(doc, project.env, stage / rel)
    except InputError as exc:
        raise InputError([locate_in_data(project.dataset, p) for p in exc.problems]) from None
    return rel


# ---- worker side ------------------------------------------------------------------------------------

class _Worker:
    """The per-process project of a pool worker: inherited when forked, else built by the initializer."""

    project: Project | None = None


def _init_worker(root: str, year: int | None, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the main process's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the build's SIGTERM handler
    project = _Worker.project
    if project is not None and project.root == Path(root) and project.year_asked == year:
        _release_inherited_locks(project.locks)
    else:
        _Worker.project = Project(Path(root), year)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _release_inherited_locks(locks: Path) -> None:
    """A forked worker holds copies of the main process's descriptors, the output lock among them: point each
    lock descriptor at /dev/null (the number stays valid, the lock is the main process's alone)."""
    fd_dir = Path("/proc/self/fd")
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        for entry in list(fd_dir.iterdir()):
            try:
                target = Path(os.readlink(entry))
            except OSError:
                continue
            if target.parent == locks and int(entry.name) != null:
                os.dup2(null, int(entry.name))
    finally:
        os.close(null)


def _watch_parent(parent: int) -> None:
    from generators.outlock import _alive

    while _alive(parent):
        time.sleep(0.5)
    os._exit(1)


def _run_chain_in_worker(jobs: list[Job], stage: str) -> list[Outcome]:
    """Several jobs one after another in one worker (see `_chains`)."""
    return [_run_in_worker(job, stage) for job in jobs]


def _run_in_worker(job: Job, stage: str) -> Outcome:
    """Errors travel back as plain data: located problems stay located, nothing becomes BrokenProcessPool."""
    try:
        assert _Worker.project is not None, "set by the pool initializer"
        return "ok", build_job(_Worker.project, job, Path(stage))
    except InputError as exc:
        return "input", list(exc.problems)
    except ReportgenError as exc:
        return "error", (str(exc), exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - reported by the main process as an internal error
        return "internal", f"{type(exc).__name__}: {exc}"


def _prepare_in_worker(name: str, item: str | None) -> None:
    """The product's writer `prepare(env, doc)`, if any: caches what the job will read (parsed fonts, drawn
    charts), taken from the other end so the two processes meet in the middle. Best effort: the job itself
    reports any problem."""
    product = R.get(name)
    prepare = getattr(product.writer_module(), "prepare", None)  # the first format's (the longest job)
    if prepare is not None and _Worker.project is not None:
        with contextlib.suppress(Exception):
            prepare(_Worker.project.env, product.make(_Worker.project, item))


# ---- main side --------------------------------------------------------------------------------------

def run_jobs(project: Project, jobs: list[Job], stage: Path, workers: int,
             say: Callable[[str], None]) -> dict[str, list[str]]:
    """Build every job into `stage`; returns product name → output names. Raises like a serial run."""
    results: dict[str, list[str]] = {}
    outcomes: list[Outcome]
    if workers > 1 and len(jobs) > 1:
        outcomes = _parallel(project, jobs, stage, workers, say)
    else:
        outcomes = []
        for job in jobs:
            outcomes.append(("ok", build_job(project, job, stage)))
            say(f"✓ {job[2]}")
    problems: list[Problem] = []
    for job, (status, value) in zip(jobs, outcomes, strict=True):
        if status == "ok":
            results.setdefault(job[0], []).append(value)
        elif status == "input":
            problems += value
        elif status == "error":
            raise ReportgenError(value[0])
        else:
            raise RuntimeError(value)
    if problems:
        raise InputError(problems)
    return results


def start_method() -> str:
    """fork where it is safe and the workers can find /proc/self/fd (Linux, no other thread running), else
    forkserver (POSIX) or spawn (Windows). REPORTGEN_START_METHOD overrides it (for measuring)."""
    asked = os.environ.get("REPORTGEN_START_METHOD", "")
    if asked in multiprocessing.get_all_start_methods():
        return asked
    if os.name == "nt":  # pragma: no cover - Windows
        return "spawn"
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "forkserver"


def _context(method: str) -> BaseContext:
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["generators.workers", "generators.build"])
    return ctx


def _chains(jobs: list[Job]) -> list[list[int]]:
    """Positions of `jobs` in the order they are handed out, as runs for one worker each. The jobs that take
    longest start first (the registry's priority), so the PDF never runs alone at the end; the longest job's
    worker then also takes the other products' jobs in its format, so that writer's setup in a process (the
    PDF's five CJK fonts registered) is paid once, not in both workers. A product's own many documents (100
    briefings) are still spread over every worker."""
    order = R.by_priority([j[0] for j in jobs])
    if not order:
        return []
    name, _, rel = jobs[order[0]]
    suffix = Path(rel).suffix
    follow = [i for i in order[1:] if jobs[i][0] != name and Path(jobs[i][2]).suffix == suffix]
    return [[order[0], *follow]] + [[i] for i in order[1:] if i not in follow]


def _parallel(project: Project, jobs: list[Job], stage: Path, workers: int,
              say: Callable[[str], None]) -> list[Outcome]:
    method = start_method()
    _Worker.project = project if method == "fork" else None  # what a forked worker inherits
    if method == "fork":  # what the workers inherit is never scanned by their collector, so its pages stay shared
        gc.freeze()
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=_context(method),
                               initializer=_init_worker,
                               initargs=(str(project.root), project.year_asked, os.getpid()))
    try:
        futures = {}
        for chain in _chains(jobs):
            future = pool.submit(_run_chain_in_worker, [jobs[i] for i in chain], str(stage))
            futures.update({i: (future, n) for n, i in enumerate(chain)})
            if len(futures) == len(chain) and len(jobs) > len(chain) and project.cache_dir is not None:
                first = jobs[chain[0]]
                pool.submit(_prepare_in_worker, first[0], first[1])  # a free worker helps the longest job
        outcomes = []
        for i, job in enumerate(jobs):
            future, n = futures[i]
            outcomes.append(future.result()[n])
            if outcomes[-1][0] == "ok":
                say(f"✓ {job[2]}")
        pool.shutdown(wait=True)
        return outcomes
    except BrokenProcessPool:
        raise ReportgenError("生成文档的子进程意外退出（可能是内存不足或被系统终止）；输出文件夹未改动，请重试") from None
    finally:
        _Worker.project = None
        _stop(pool)
        gc.unfreeze()


@contextlib.contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """While building, SIGTERM (a scheduler stopping the job) becomes SystemExit in the main thread, so workers
    are stopped, a publish is rolled back and the work folder removed, exactly as for Ctrl+C."""
    if threading.current_thread() is not threading.main_thread() or sys.platform == "win32":
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        print("收到终止信号（SIGTERM），已停止生成；输出文件夹保持原样。", file=sys.stderr)
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now (they hold no lock and write only to the stage)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(timeout=5)
