"""PDF writer (ReportLab): A4 print layout, CJK line breaking, subset TrueType fonts, vector charts, outline.

ReportLab is imported when a document is written, not with this package: a worker that only warms the font
cache (warmup.py) or a build that finds nothing to check here does not pay for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generators import model as M
from generators.writers import WriterEnv

if TYPE_CHECKING:
    from generators.writers.pdf.document import SummaryWriter
    from generators.writers.pdf.sheet import SheetWriter

__all__ = ["check", "load", "write"]


def load() -> None:
    """Import what writing needs (ReportLab, svglib): a worker calls this ahead of its first PDF."""
    import generators.writers.pdf.document
    import generators.writers.pdf.sheet  # noqa: F401 - imported ahead, used by _writer


def _writer(doc: M.Document, env: WriterEnv) -> SummaryWriter | SheetWriter:
    """The page plan the document asks for: a book (cover, contents, chapters) or a one-page sheet."""
    from generators.writers.pdf.document import SummaryWriter
    from generators.writers.pdf.sheet import SheetWriter

    if doc.layout == "sheet":
        return SheetWriter(doc, env)
    _charts_first(doc, env)
    return SummaryWriter(doc, env)


def _charts_first(doc: M.Document, env: WriterEnv) -> None:
    """Draw the book's charts before its fonts are registered: in a first build a helper process parses the
    fonts meanwhile (warmup.py), so this process then finds them cached. The drawings are kept in the chart
    renderer (and its cache), where the pages take them from."""
    from generators.writers.pdf.blocks import chart_svg

    for c in doc.charts():
        chart_svg(env, c.data)


def check(doc: M.Document, env: WriterEnv) -> None:
    """Everything `write` does (fonts, charts, layout of every page) in memory; no file written."""
    _writer(doc, env).build()


def write(doc: M.Document, env: WriterEnv, dest: Path) -> None:
    dest.write_bytes(_writer(doc, env).build())
