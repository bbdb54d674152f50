"""What a build is asked to do and where it says so: BuildOptions, the console/log-file Logger.

Light on purpose (standard library only, rich on demand): the command line reads it before it knows whether the
build has anything to do (unchanged.py), and loading data or building the pydantic models would cost more than an
unchanged rebuild may take.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out: Path
    only: tuple[str, ...] = ()
    year: int | None = None
    jobs: int = 1
    quiet: bool = True
    force: bool = False
    log: Path | None = None
    notes: bool = True  # 提示 lines on stderr; --quiet: none (errors only), the log still has them
    issue: bool = True  # record the 期号/发文字号 printed (a publish); a preview's private build issues none


class Logger:
    """Progress on a terminal (rich), silent with --quiet or in CI; optional log file for scheduled runs."""

    def __init__(self, quiet: bool, log: Path | None):
        self.log = log
        self.console = None
        if not quiet:
            from rich.console import Console

            self.console = Console(stderr=True)

    def info(self, msg: str) -> None:
        if self.console:
            self.console.print(msg, markup=False, highlight=False)
        append_log(self.log, msg)


def append_log(log: Path | None, msg: str) -> None:
    if log:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(time.strftime("%Y-%m-%d %H:%M:%S ") + msg + "\n")
