"""PDF fonts: the theme's bundled TrueType fonts registered once; markup that escapes text and routes missing glyphs."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from generators import model as M
from generators.writers import WriterEnv


def register_fonts(env: WriterEnv) -> dict[str, str]:
    """Register each bundled font once under its file stem, also as the family svglib reads in chart SVGs."""
    from svglib.fonts import register_font

    from generators.fonts import family_name

    theme = env.theme
    names = {file: Path(file).stem for file in theme.print_fonts()}
    registered = set(pdfmetrics.getRegisteredFontNames())
    # Chart SVGs name a family and a weight (e.g. 'Noto Sans SC', 700): map each to one of our fonts.
    for file in theme.print_fonts():
        path = str(theme.font_path(file))
        family = family_name(theme.font_path(file))
        bold = "bold" in file.lower()
        if names[file] in registered:
            continue
        _, ok = register_font(family, path, weight="bold" if bold else "normal", rlgFontName=names[file])
        if not ok:  # svglib could not map it: charts fall back, but the text fonts must still exist
            pdfmetrics.registerFont(TTFont(names[file], path))
        registered.add(names[file])
    return names


class Markup:
    """Escapes data text for ReportLab markup and routes characters the font lacks to a fallback font."""

    def __init__(self, env: WriterEnv, names: dict[str, str]):
        self.env = env
        self.names = names

    def __call__(self, text: str, font_file: str) -> str:
        glyphs = self.env.glyphs
        path = self.env.theme.font_path(font_file)
        missing = set(glyphs.missing(text, path))
        if not missing:
            return escape(text)
        out = []
        for ch in text:
            if ch in missing:
                fb = glyphs.fallback_for(ch)
                if fb is not None:
                    out.append(f'<font name="{self.names[fb.name]}">{escape(ch)}</font>')
                    continue
            out.append(escape(ch))
        return "".join(out)

    def runs(self, runs: M.Inline, font_file: str, figure_font: str, figure_color: str) -> str:
        parts = []
        for r in runs:
            if r.figure:
                parts.append(f'<font name="{self.names[figure_font]}" color="{figure_color}">'
                             f"{self(r.text, figure_font)}</font>")
            else:
                parts.append(self(r.text, font_file))
        return "".join(parts)
