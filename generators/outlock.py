"""One build at a time per output folder: an OS file lock that dies with its holder, with the holder's pid."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

from generators.errors import ReportgenError


def lock_path(locks: Path, out: Path) -> Path:
    """The lock of an output folder lives in the project's build/locks/, never inside out/ (out/ stays as built)."""
    key = hashlib.sha256(str(out.resolve()).encode("utf-8")).hexdigest()[:16]
    return locks / f"out-{key}.lock"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def output_lock(path: Path, out: Path, say: Callable[[str], None], timeout: float = 600) -> Iterator[None]:
    """Hold the lock for `out` (waiting, and saying so, while another build holds it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+b")  # noqa: SIM115 - held for the whole build; not inherited by spawned workers
    try:
        start, told = time.monotonic(), False
        while True:
            try:
                _try_lock(fh)
                break
            except OSError:
                if not told:
                    print(f"另一个生成任务正在写入 {out}，等待其完成……", file=sys.stderr)
                    told = True
                if time.monotonic() - start > timeout:
                    raise ReportgenError(f"等待 {out} 的写入锁超时（{int(timeout)} 秒）；另一个生成任务仍在运行") from None
                time.sleep(0.2)
        def tell(msg: str) -> None:
            print(msg, file=sys.stderr)
            say(msg)

        _note_dead_holder(fh, tell)
        yield
    finally:
        with contextlib.suppress(OSError):
            fh.seek(0)
            fh.truncate()
            fh.flush()
            _unlock(fh)
        fh.close()


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = 30) -> Iterator[None]:
    """A short OS lock on `path` between processes (a build's child and the page's server both record numbers):
    waits quietly up to `timeout` seconds; freed by the OS when its holder dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        start = time.monotonic()
        while True:
            try:
                _try_lock(fh)
                break
            except OSError:
                if time.monotonic() - start > timeout:
                    raise ReportgenError(f"等待锁 {path.name} 超时（{int(timeout)} 秒）") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                _unlock(fh)


def _note_dead_holder(fh, say: Callable[[str], None]) -> None:
    """The OS freed the lock of a killed build; say so, then record ourselves as the holder."""
    fh.seek(0)
    text = fh.read().decode("ascii", "replace").strip()
    if text.isdigit() and int(text) != os.getpid() and not _alive(int(text)):
        say(f"注意：上一个生成任务（进程 {text}）已意外结束，已接管写入锁。")
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()).encode("ascii"))
    fh.flush()


def _try_lock(fh) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fh) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
