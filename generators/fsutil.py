"""File-system rules shared by every command: atomic writes, which files are noise, paths kept inside a folder."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path, PurePosixPath

# Office / LibreOffice / editor lock and temp files, and folder clutter: opening a file is not a change.
_IGNORED_PREFIXES = ("~", ".~lock", ".#")
_IGNORED_SUFFIXES = ("~", ".swp", ".tmp", ".part")
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep"}
_IGNORED_DIRS = {"__pycache__"}

# Names Windows refuses as files whatever the extension (CON.docx is as bad as CON).
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def ignored(name: str) -> bool:
    """True for lock files, editor backups and OS clutter: never an input, never a reason to rebuild."""
    return (name.startswith(_IGNORED_PREFIXES) or name.endswith(_IGNORED_SUFFIXES) or name in _IGNORED_NAMES)


def ignored_dir(name: str) -> bool:
    return name in _IGNORED_DIRS or name.startswith(".")


def files_under(path: Path, pattern: str = "**/*") -> list[Path]:
    """Input files under a folder (or the file itself), sorted, without the noise `ignored` names."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob(pattern)
                  if p.is_file() and not any(ignored_dir(part) for part in p.relative_to(path).parts[:-1])
                  and not ignored(p.name))


def atomic_write(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    """Write `data` to a temp file beside `path`, fsync it, then os.replace it over `path`.

    Text is encoded as is (no newline translation). The temp file, `.NAME.XXXXXXXX.tmp` in the same
    folder (so os.replace never crosses file systems; build and import skip `*.tmp`), is removed when
    anything fails; the OSError then propagates for the caller to word. The folder is created if missing.
    The file gets the permissions a plain write would give: the old file's mode, else 0o666 less umask.
    """
    raw = data.encode(encoding) if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    fd, tmp = open_temp(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            if mode is not None:
                os.chmod(tmp, mode)
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def open_temp(path: Path) -> tuple[int, Path]:
    """A new temp file `.NAME.XXXXXXXX.tmp` beside `path`, opened for writing with the permissions a plain
    write gives (0o666 less umask, unlike tempfile.mkstemp's 0o600): (fd, path). The caller removes it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def safe_relative(rel: str) -> str | None:
    """A relative path with / that cannot leave its folder, normalised; None for anything else."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel or ":" in rel:
        return None
    p = PurePosixPath(rel)
    if p.is_absolute() or any(part in ("", ".", "..") for part in p.parts):
        return None
    if any(part.split(".")[0].upper() in WINDOWS_RESERVED for part in p.parts):
        return None
    return p.as_posix()


def inside(path: Path, folder: Path) -> bool:
    """True when `path` (resolved, symlinks followed) is `folder` or lies under it."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
