"""Replace a file atomically: readers see the old bytes or the new ones, never a half-written file."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def atomic_write(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    """Write `data` to a temp file beside `path`, fsync it, then os.replace it over `path`.

    Text is encoded as is (no newline translation). The temp file, `.NAME.XXXXXXXX.tmp` in the same
    folder (so os.replace never crosses file systems; build and import skip `*.tmp`), is removed when
    anything fails; the OSError then propagates for the caller to word. The folder must exist.
    The file gets the permissions a plain write would give: the old file's mode, else 0o666 less umask.
    """
    raw = data.encode(encoding) if isinstance(data, str) else data
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
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
