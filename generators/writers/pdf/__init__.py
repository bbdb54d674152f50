"""PDF writer (ReportLab): A4 print layout, CJK line breaking, subset TrueType fonts, vector charts, outline."""

from __future__ import annotations

from pathlib import Path

from generators import model as M
from generators.writers import WriterEnv
from generators.writers.pdf.document import SummaryWriter
from generators.writers.pdf.sheet import SheetWriter

__all__ = ["check", "prepare", "write"]


def _writer(doc: M.Document, env: WriterEnv) -> SummaryWriter | SheetWriter:
    """The page plan the document asks for: a book (cover, contents, chapters) or a one-page sheet."""
    return SheetWriter(doc, env) if doc.layout == "sheet" else SummaryWriter(doc, env)


def check(doc: M.Document, env: WriterEnv) -> None:
    """Everything `write` does (fonts, charts, layout of every page) in memory; no file written."""
    _writer(doc, env).build()


def prepare(env: WriterEnv) -> None:
    """A helper process of a cold build: parse and cache the fonts, last first (`write` takes them first
    first, and each process reads what the other has already cached, so the two meet in the middle). The
    charts are left to the writing process: drawing even one costs a process matplotlib's figure machinery
    (a fifth of a second), which the writing process pays anyway."""
    from generators.writers.pdf.fonts import cache_fonts

    cache_fonts(env, reverse=True)


def write(doc: M.Document, env: WriterEnv, dest: Path) -> None:
    dest.write_bytes(_writer(doc, env).build())
