"""Running document jobs, serially or in worker processes that report errors exactly as a serial run does.

A parallel build has a crew of worker processes, each fed one run of jobs at a time over its own pipe. The
first worker starts with the build, before the main process has read anything (`early_crew`): it loads the
project on its own, beside the main process's loading and checks, so both cores work from the start; it then
takes the longest job. The others start when the jobs are handed out. On Linux, from a single-threaded main
process, workers are forked: the later ones start at once with the main process's libraries, dataset, theme
and fonts already loaded (nothing is imported or parsed twice). Elsewhere they are started with `forkserver`
(POSIX) or `spawn` (Windows) and build their own `Project`. A forked worker lets go of its copy of the output
lock at start, so a killed build never leaves a worker holding it; every worker watches the main process and
exits when it is gone. Nothing a worker writes is published unless the main process's checks all pass.
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
from dataclasses import dataclass
from multiprocessing import connection as mp_connection
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Callable, Iterator

from generators import products as R
from generators.errors import InputError, Problem, ReportgenError
from generators.project import Project
from generators.unchanged import Inputs, inputs

if TYPE_CHECKING:
    from generators.buildlog import BuildOptions

Job = tuple[str, "str | None", str]  # product name, item, output name
# How one job ended, as plain data that crosses process boundaries:
# ("ok", output name) | ("input", [Problem]) | ("error", (message, exit code)) | ("internal", text)
Outcome = tuple[str, Any]


def build_job(project: Project, job: Job, stage: Path) -> str:
    """One document: data → Document → file in the stage folder."""
    from generators.writing import locate_in_data, write_document  # not at the top: a build's first worker
    # starts before the main process has imported the loader and the writers

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
    """The per-process project of a worker: inherited when forked, else built at its start."""

    project: Project | None = None


def _worker_main(conn: Connection, root: str, year: int | None, parent: int, preload: tuple[str, ...]) -> None:
    """A worker's life: set up, load what its jobs will read, then run each message until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the main process's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the build's SIGTERM handler
    project = _Worker.project
    if project is not None and project.root == Path(root) and project.year_asked == year:
        _release_inherited_locks(project.locks)
    else:
        project = _Worker.project = Project(Path(root), year)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if preload:  # the early worker: what the main process checks (fonts, templates) it does not check again
        project.verify = False
        _preload(project, preload)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the main process is gone or done
        if message is None:
            return
        kind, payload, stage = message
        if kind == "prepare":
            _prepare_in_worker(payload)
            conn.send(("prepared", None))
        else:
            conn.send(("done", [_run_in_worker(job, stage) for job in payload]))


def _preload(project: Project, names: tuple[str, ...]) -> None:
    """What the jobs of these products read, loaded before the first arrives (an early worker does this beside
    the main process). Best effort: whatever fails here is reported by the main process or the job itself."""
    with contextlib.suppress(Exception):
        project.dataset  # noqa: B018 - loaded and kept on the project
        project.env  # noqa: B018 - loaded and kept on the project
        for name in names:
            load = getattr(R.get(name).writer_module(), "load", None)  # a writer's libraries, imported ahead
            if load is not None:
                load()


def _release_inherited_locks(locks: Path) -> None:
    """A forked worker holds copies of the main process's descriptors, the output lock among them: point each
    lock descriptor at /dev/null (the number stays valid, the lock is the main process's alone)."""
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.is_dir():
        return
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


def _run_in_worker(job: Job, stage: str) -> Outcome:
    """Errors travel back as plain data: located problems stay located, nothing is lost with the process."""
    try:
        assert _Worker.project is not None, "set at the worker's start"
        return "ok", build_job(_Worker.project, job, Path(stage))
    except InputError as exc:
        return "input", list(exc.problems)
    except ReportgenError as exc:
        return "error", (str(exc), exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - reported by the main process as an internal error
        return "internal", f"{type(exc).__name__}: {exc}"


def _prepare_in_worker(name: str) -> None:
    """The product's `warmup` (products.Product): caches what its longest job will read, taken from the other
    end so the two processes meet in the middle. Best effort: the job itself reports any problem."""
    if _Worker.project is not None:
        with contextlib.suppress(Exception):
            R.get(name).warm_up(_Worker.project.env)


# ---- main side --------------------------------------------------------------------------------------

class _Member:
    """One worker process and the main process's end of its pipe."""

    def __init__(self, ctx: Any, project: Project, preload: tuple[str, ...]) -> None:  # typeshed's BaseContext names no Process
        self.conn, theirs = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, daemon=True,
                                args=(theirs, str(project.root), project.year_asked, os.getpid(), preload))
        self.proc.start()
        theirs.close()
        self.run: list[int] | None = None  # the job positions it is building now ([] while it prepares)

    def give(self, run: list[int], jobs: list[Job], stage: Path) -> None:
        self.run = run
        self._send(("jobs", [jobs[i] for i in run], str(stage)))

    def help(self, job: Job, stage: Path) -> None:
        self.run = []
        self._send(("prepare", job[0], str(stage)))

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self.conn.send(message)
        except OSError:  # it died before it could listen (killed while loading)
            raise ReportgenError(_DIED) from None

    def ask_to_stop(self) -> None:
        """An idle worker is told to leave; one still busy (or still loading) is ended at once: it holds no lock,
        writes only to the stage and writes its caches whole or not at all."""
        if self.run is None:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.proc.join(timeout=0.05)
        if self.proc.is_alive():
            self.proc.terminate()

    def wait_gone(self) -> None:
        self.proc.join(timeout=5)
        if self.proc.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
            self.proc.kill()
            self.proc.join()
        self.conn.close()


_DIED = "生成文档的子进程意外退出（可能是内存不足或被系统终止）；输出文件夹未改动，请重试"


class Crew:
    """The worker processes of one build: the early one, started before anything is loaded, and the others."""

    def __init__(self, project: Project, size: int, preload: tuple[str, ...]) -> None:
        self.project, self.size, self.preload = project, size, preload
        self.members: list[_Member] = []

    def grow(self, count: int) -> None:
        """Start workers up to `count` (forked now: they inherit all the main process has loaded)."""
        method = start_method()
        ctx = _context(method)
        _Worker.project = self.project if method == "fork" else None  # what a forked worker inherits
        if method == "fork":  # what the workers inherit is never scanned by their collector, so its pages stay shared
            gc.freeze()
        try:
            while len(self.members) < count:  # only the early one loads ahead: the others inherit what is loaded
                self.members.append(_Member(ctx, self.project, () if self.members else self.preload))
        finally:
            _Worker.project = None
            gc.unfreeze()

    def begin(self, jobs: list[Job], stage: Path) -> None:
        """Hand the longest run to the early worker now, before the main process's last checks (what it builds
        stays in the stage, published only when those pass)."""
        if self.members and jobs and self.members[0].run is None:
            self.members[0].give(_chains(jobs)[0], jobs, stage)

    def busy(self) -> bool:
        """Has a worker been given work (the early worker its run, by `begin`)?"""
        return any(m.run is not None for m in self.members)

    def stop(self) -> None:
        """Every worker asked to stop (or ended) first, then each waited for: a second Ctrl+C meanwhile leaves
        none running."""
        members, self.members = self.members, []
        for member in members:
            member.ask_to_stop()
        for member in members:
            member.wait_gone()


@dataclass
class Head:
    """What a build starts with, before anything is read: the inputs' stats, the project, its chosen products
    and the crew whose first worker is already loading them."""

    before: Inputs
    project: Project
    chosen: list[R.Product]
    crew: Crew | None


@contextlib.contextmanager
def starting(opts: BuildOptions) -> Iterator[Head]:
    """Begin a build: the stats of its inputs before any is read (the unchanged-rebuild stamp, if all ends up to
    date), its project, and its first worker started before this process imports the loader and the writers;
    the worker is stopped on leaving. Then the input files are hashed in a thread while the data loads."""
    before = inputs(opts.root)
    project = Project.open(opts.root, opts.year)
    chosen = R.choose(opts.only)
    with early_crew(project, opts.jobs, chosen) as crew:
        project.digests.prefetch([f for p in chosen for f in project.inputs(p)])  # after the fork: no thread in it
        yield Head(before, project, chosen, crew)


@contextlib.contextmanager
def early_crew(project: Project, workers: int, products: list[R.Product]) -> Iterator[Crew | None]:
    """A crew whose first worker starts now, to load the project beside the main process; stopped on leaving,
    whatever happens (nothing built, a refused input, Ctrl+C)."""
    if workers <= 1:
        yield None
        return
    first = [products[i].name for i in R.by_priority([p.name for p in products])][:1]
    crew = Crew(project, workers, tuple(first))  # what the longest job reads: its writer's libraries
    try:
        crew.grow(1)
        yield crew
    finally:
        crew.stop()


def run_jobs(project: Project, jobs: list[Job], stage: Path, say: Callable[[str], None],
             crew: Crew | None = None) -> dict[str, list[str]]:
    """Build every job into `stage` (by `crew` when there is one: a parallel build); returns product name →
    output names. Raises like a serial run."""
    results: dict[str, list[str]] = {}
    outcomes: list[Outcome]
    if crew is not None and (crew.busy() or len(jobs) > 1):  # busy: it already holds the longest run (begin)
        outcomes = _parallel(crew, jobs, stage, say)
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


def _parallel(crew: Crew, jobs: list[Job], stage: Path, say: Callable[[str], None]) -> list[Outcome]:
    """Hand the runs out to whichever worker is free, the first (the longest) to the one started first; a
    worker started now first helps the longest job (its writer's `prepare`) on a build with a cache."""
    project = crew.project
    runs = _chains(jobs)
    crew.begin(jobs, stage)  # unless it was given its run already
    helps = project.cache_dir is not None and bool(R.get(jobs[runs[0][0]][0]).warmup)
    crew.grow(min(crew.size, len(runs) + (1 if helps else 0)))
    members = list(crew.members)
    queue = [r for r in runs if r != members[0].run]
    done: dict[int, Outcome] = {}
    shown_upto = 0
    try:
        for n, member in enumerate(members[1:]):
            if n == 0 and helps:
                member.help(jobs[runs[0][0]], stage)
            elif queue:
                member.give(queue.pop(0), jobs, stage)
        while any(m.run is not None for m in members):
            busy = {m.conn: m for m in members if m.run is not None}
            for conn in mp_connection.wait(list(busy)):
                member = busy[conn]  # wait() returns the connections it was given
                try:
                    kind, value = member.conn.recv()
                except (EOFError, OSError):
                    raise ReportgenError(_DIED) from None
                if kind == "done":
                    assert member.run is not None
                    done.update(zip(member.run, value, strict=True))
                member.run = None
                if queue:
                    member.give(queue.pop(0), jobs, stage)
            while shown_upto in done:  # in the jobs' order, whoever finished first
                if done[shown_upto][0] == "ok":
                    say(f"✓ {jobs[shown_upto][2]}")
                shown_upto += 1
        return [done[i] for i in range(len(jobs))]
    except BaseException:
        crew.stop()  # a job's error, Ctrl+C or SIGTERM: the others are not waited for
        raise


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

