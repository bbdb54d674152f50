"""PDF writer (ReportLab): A4 print layout, CJK line breaking, subset TrueType fonts, vector charts, outline."""

from __future__ import annotations

from pathlib import Path

from generators import model as M
from generators.writers import WriterEnv
from generators.writers.pdf.document import SummaryWriter

__all__ = ["check", "write"]


def check(doc: M.Document, env: WriterEnv) -> None:
    """Everything `write` does (fonts, charts, layout of every page) in memory; no file written."""
    SummaryWriter(doc, env).build()


def write(doc: M.Document, env: WriterEnv, dest: Path) -> None:
    dest.write_bytes(SummaryWriter(doc, env).build())
