"""Running document jobs, serially or in worker processes that report errors exactly as a serial run does.

Workers are started with `forkserver` (POSIX) or `spawn` (Windows): they do not inherit the output lock, so a
killed build never leaves a worker holding it. Each worker builds its own `Project` once (pool initializer)
and watches the main process: when the main process is gone, the worker exits.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from generators import products as R
from generators.errors import InputError, Problem, ReportgenError
from generators.project import Project

Job = tuple[str, "str | None", str]  # product name, item, output name


def build_job(project: Project, job: Job, stage: Path) -> str:
    """One document: data → Document → file in the stage folder."""
    from generators.build import write_document

    name, item, rel = job
    product = R.get(name)
    doc = product.make(project, item)
    if product.output_name(doc.name) != rel:
        raise AssertionError(f"{name}: document name {doc.name!r} does not match the planned {rel!r}")
    write_document(doc, project.env, stage / rel)
    return rel


# ---- worker side ------------------------------------------------------------------------------------

class _Worker:
    """The per-process project of a pool worker (set once by the initializer)."""

    project: Project | None = None


def _init_worker(root: str, year: int | None, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the main process's to handle
    _Worker.project = Project(Path(root), year)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    from generators.outlock import _alive

    while _alive(parent):
        time.sleep(0.5)
    os._exit(1)


def _run_in_worker(job: Job, stage: str) -> tuple[str, object]:
    """Errors travel back as plain data: located problems stay located, nothing becomes BrokenProcessPool."""
    try:
        return "ok", build_job(_Worker.project, job, Path(stage))
    except InputError as exc:
        return "input", list(exc.problems)
    except ReportgenError as exc:
        return "error", (str(exc), exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - reported by the main process as an internal error
        return "internal", f"{type(exc).__name__}: {exc}"


# ---- main side --------------------------------------------------------------------------------------

def run_jobs(project: Project, jobs: list[Job], stage: Path, workers: int,
             say: Callable[[str], None]) -> dict[str, list[str]]:
    """Build every job into `stage`; returns product name → output names. Raises like a serial run."""
    results: dict[str, list[str]] = {}
    if workers > 1 and len(jobs) > 1:
        outcomes = _parallel(project, jobs, stage, workers, say)
    else:
        outcomes = []
        for job in jobs:
            outcomes.append(("ok", build_job(project, job, stage)))
            say(f"✓ {job[2]}")
    problems: list[Problem] = []
    for job, (status, value) in zip(jobs, outcomes):
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


def _context():
    if os.name == "nt":  # pragma: no cover - Windows
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["generators.workers", "generators.build"])
    return ctx


def _parallel(project: Project, jobs: list[Job], stage: Path, workers: int,
              say: Callable[[str], None]) -> list[tuple[str, object]]:
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=_context(),
                               initializer=_init_worker,
                               initargs=(str(project.root), project.year_asked, os.getpid()))
    previous = _on_sigterm()
    try:
        futures = [pool.submit(_run_in_worker, job, str(stage)) for job in jobs]
        outcomes = []
        for job, fut in zip(jobs, futures):
            outcomes.append(fut.result())
            if outcomes[-1][0] == "ok":
                say(f"✓ {job[2]}")
        pool.shutdown(wait=True)
        return outcomes
    except BrokenProcessPool:
        raise ReportgenError("生成文档的子进程意外退出（可能是内存不足或被系统终止）；输出文件夹未改动，请重试") from None
    finally:
        _stop(pool)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _on_sigterm():
    """SIGTERM becomes SystemExit in the main thread, so the pool is stopped and out/ rolled back like Ctrl+C."""
    if threading.current_thread() is not threading.main_thread() or sys.platform == "win32":
        return None

    def handler(signum, _frame):
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, handler)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now (they hold no lock and write only to the stage)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        if proc.is_alive():
            proc.terminate()
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.join(timeout=5)
