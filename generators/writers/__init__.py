"""Writers: one per format, each `write(doc, env, dest)`; each imports exactly one format library."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generators.charts import ChartRenderer
    from generators.fonts import GlyphChecker
    from generators.theme import Theme


@dataclass(frozen=True)
class WriterEnv:
    """What every writer gets besides the document: project root, theme, chart renderer, glyph checker."""

    root: Path
    theme: "Theme"
    charts: "ChartRenderer"
    glyphs: "GlyphChecker"

    @property
    def templates(self) -> Path:
        return self.root / "templates"
