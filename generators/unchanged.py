"""A rebuild with nothing to do, answered from file stats alone: before data/ is read or a model is imported.

A build whose chosen documents are all up to date when it ends (it published them, or found nothing to do) leaves a
stamp in build/cache/: the stats (size, modification time, inode) of every input file and of the
generator's code, taken before the build read any of them, the stats of every file in the output folder after it
published, and the lines a build with nothing to do says. The next build with the same options whose stats all
agree says those lines and stops. Anything else goes the whole way, which decides again: a file touched, added
or removed; a publish left half done; a stamp missing, unreadable or written by other options; `--force`.

Like the digest cache (project.DigestCache), this trusts that a file whose size and modification time are unchanged
is unchanged (the change time is not used: hard-linking a file elsewhere, as a scratch copy does, changes it). A file changed within RACY_NS of the snapshot is not trusted: its next change could fall in the same
clock tick (git's "racily clean" rule), so no stamp is written then. Standard library only, on purpose.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from generators import __version__
from generators.buildlog import BuildOptions, Logger
from generators.fsutil import atomic_write

STAMP = "unchanged.json"
INPUTS = ("data", "templates", "assets")
WORK = ".reportgen-publish"  # publish.WORK: a publish in progress or left half done (publish imports heavier code)
RACY_NS = 3_000_000_000  # FAT keeps times to 2 s; a coarse clock ticks in milliseconds
KEEP = 16  # stamps kept (one per set of options: --out, --only, --year)


def _stats(folder: Path, into: "hashlib._Hash", suffix: str = "") -> int:
    """Feed (relative path, size, mtime, inode) of every file under `folder` into `into`, in a fixed order;
    returns the newest time seen (ns), 0 for none. A linked file is stated through its link, as the build reads it;
    a linked folder inside is not followed but refused (OSError): such a project always goes the whole way."""
    newest = 0
    for top, dirs, files in os.walk(folder):
        if any(os.path.islink(os.path.join(top, d)) for d in dirs):
            raise OSError(f"linked folder under {top}")
        dirs.sort()
        for name in sorted(files):
            if suffix and not name.endswith(suffix):
                continue
            path = os.path.join(top, name)
            st = os.stat(path)
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            into.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
            newest = max(newest, st.st_mtime_ns)
    return newest


@dataclass(frozen=True)
class Inputs:
    """The stats of the inputs and the code, and when they were taken."""

    digest: str  # "" when they could not all be stated (a file went meanwhile, a linked folder)
    newest_ns: int
    taken_ns: int

    @property
    def settled(self) -> bool:
        """All stated, and none changed so lately that a second change could hide in the same clock tick."""
        return bool(self.digest) and self.newest_ns < self.taken_ns - RACY_NS


def inputs(root: Path) -> Inputs:
    taken = time.time_ns()
    h = hashlib.sha256(f"{__version__}|{sys.version}\n".encode())
    newest = 0
    try:
        for name in INPUTS:
            h.update(f"[{name}]\n".encode())
            newest = max(newest, _stats(root / name, h))
        h.update(b"[code]\n")
        newest = max(newest, _stats(Path(__file__).parent, h, ".py"))
    except OSError:
        return Inputs("", newest, taken)
    return Inputs(h.hexdigest(), newest, taken)


def outputs(out: Path) -> str | None:
    """The stats of every file in the output folder; None while a publish is in progress or was left half done
    (the whole way must finish it off first: publish.recover)."""
    if os.path.lexists(out / WORK):
        return None
    h = hashlib.sha256()
    _stats(out, h)
    return h.hexdigest()


def _key(opts: BuildOptions) -> str:
    """The options a no-op's lines depend on; the working folder too, as paths are said relative to it."""
    return json.dumps([str(opts.root.resolve()), str(opts.out.resolve()), sorted(opts.only), opts.year, opts.issue,
                       str(Path.cwd().resolve())], ensure_ascii=False)


def _stamp_file(root: Path) -> Path:
    return root.resolve() / "build" / "cache" / STAMP


def _read(root: Path) -> dict:
    try:
        raw = json.loads(_stamp_file(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def remember(opts: BuildOptions, before: Inputs, lines: list[str]) -> None:
    """After a build that left every chosen document up to date (under the output lock): the stamp for `opts`."""
    if not before.settled:
        return
    try:
        out = outputs(opts.out.resolve())
    except OSError:  # a file went while it was stated: no stamp, the next build goes the whole way
        return
    if out is None:
        return
    stamps = {k: v for k, v in _read(opts.root).items() if k != _key(opts)}
    stamps[_key(opts)] = {"inputs": before.digest, "outputs": out, "say": lines}
    try:
        atomic_write(_stamp_file(opts.root), json.dumps(dict(list(stamps.items())[-KEEP:]), ensure_ascii=False))
    except OSError:
        pass  # a stamp that cannot be written only costs time


def replay(opts: BuildOptions) -> bool:
    """True when nothing changed since a build with these options left everything up to date: what that build
    would say is said (console and log), and nothing else is done."""
    if opts.force:
        return False
    stamp = _read(opts.root).get(_key(opts))
    if not isinstance(stamp, dict) or not isinstance(stamp.get("say"), list):
        return False
    try:
        if stamp.get("outputs") != outputs(opts.out.resolve()) or stamp.get("inputs") != inputs(opts.root).digest:
            return False
    except OSError:  # an output went while it was stated: something is changing, go the whole way
        return False
    logger = Logger(opts.quiet, opts.log)
    for line in stamp["say"]:
        logger.info(str(line))
    return True
