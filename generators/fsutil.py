"""Replace a file atomically: readers see the old bytes or the new ones, never a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    """Write `data` to a temp file beside `path`, fsync it, then os.replace it over `path`.

    Text is encoded as is (no newline translation). The temp file, `.NAME.XXXXXXXX.tmp` in the same
    folder (so os.replace never crosses file systems; build and import skip `*.tmp`), is removed when
    anything fails; the OSError then propagates for the caller to word. The folder must exist.
    """
    raw = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
