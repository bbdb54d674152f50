"""Measuring slide text with the bundled fonts' real metrics: wrapping as PowerPoint does, heights, fit."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from generators.fonts import metrics
from generators.typography import is_wide
from generators.typography import wrap as break_lines

if TYPE_CHECKING:
    from generators.theme import Theme

EMU_PER_PT = 12700
EMU_PER_IN = 914400
EMU_PER_MM = 36000

FIT_WIDTH = 0.97  # measure against 97 % of the width: client fonts differ slightly from ours

#: Roles drawn bold in Office: their office font has a real bold face and their print font is bold.
BOLD_ROLES = frozenset({"figure"})


def _advance(ch: str, fonts: tuple[Path, ...]) -> float:
    """Advance of one character in em: first font that has it, else a wide/narrow guess."""
    for f in fonts:
        m = metrics(f)
        a = m.advances.get(ord(ch))
        if a is not None:
            return a / m.upm
    return 1.0 if is_wide(ch) else 0.6


# Advance of each character already looked up, per font list; width of each string, per font list and size: a
# slide's texts are measured many times over (every size the fit tries), mostly one character at a time.
_ADVANCES: dict[tuple[Path, ...], dict[str, float]] = {}
_WIDTHS: dict[tuple[tuple[Path, ...], float], Callable[[str], float]] = {}


def width_fn(fonts: tuple[Path, ...], size: float) -> Callable[[str], float]:
    """Width in pt of a string at `size` pt in the first of `fonts` that has each character (memoised)."""
    known = _WIDTHS.get((fonts, size))
    if known is not None:
        return known
    if len(_WIDTHS) >= 256:  # like fonts.metrics: keep the newest only (tests and the web server open many)
        del _WIDTHS[next(iter(_WIDTHS))]
    if fonts not in _ADVANCES and len(_ADVANCES) >= 32:
        del _ADVANCES[next(iter(_ADVANCES))]
    advances = _ADVANCES.setdefault(fonts, {})
    cache: dict[str, float] = {}

    def advance(c: str) -> float:
        a = advances.get(c)
        if a is None:
            a = advances[c] = _advance(c, fonts)
        return a

    def width(s: str) -> float:
        w = cache.get(s)
        if w is None:
            w = cache[s] = sum(advance(c) for c in s) * size
        return w

    _WIDTHS[(fonts, size)] = width
    return width


def wrap(text: str, width: Callable[[str], float], max_w: float) -> list[str]:
    """Lines as a slide client breaks them: the one line-break routine (typography.wrap) with real widths."""
    return break_lines(text, width, max_w)


def text_height(text: str, font_file: Path, size_pt: float, box_w_emu: int, *, line_pt: float | None = None,
                space_before: float = 0.0, fallback: tuple[Path, ...] = ()) -> float:
    """Height in pt the text needs in a box `box_w_emu` wide; inf if a single character is wider than the box.

    line_pt: exact line pitch (the writer sets exact spacing); None: the font's own ascent + descent + gap.
    The same question is answered once per process (a deck asks a quarter of them twice while fitting).
    """
    key = (text, Path(font_file), size_pt, box_w_emu, line_pt, space_before, fallback)
    known = _HEIGHTS.get(key)
    if known is None:
        if len(_HEIGHTS) >= 8192:
            _HEIGHTS.clear()
        known = _HEIGHTS[key] = _text_height(*key)
    return known


_HEIGHTS: dict[tuple[Any, ...], float] = {}


def _text_height(text: str, font_file: Path, size_pt: float, box_w_emu: int, line_pt: float | None,
                 space_before: float, fallback: tuple[Path, ...]) -> float:
    fonts = (Path(font_file), *fallback)
    width = width_fn(fonts, size_pt)
    max_w = box_w_emu / EMU_PER_PT * FIT_WIDTH
    lines = wrap(text, width, max_w)
    if any(width(line) > max_w for line in lines):
        return math.inf
    paras = text.count("\n") + 1
    pitch = line_pt if line_pt is not None else size_pt * metrics(fonts[0]).line
    return len(lines) * pitch + paras * space_before


def fits(text: str, font_file: Path, size_pt: float, box_w_emu: int, box_h_emu: int, *,
         line_pt: float | None = None, space_before: float = 0.0, fallback: tuple[Path, ...] = ()) -> bool:
    """Does `text` (paragraphs split by newlines) fit a text area of box_w × box_h EMU at size_pt?

    Wraps as PowerPoint does (CJK per character, Latin per word, no line opening with ，。), keeps 3 %
    of the width free for client fonts that run a little wider, counts every paragraph's space-before.
    Line pitch: `line_pt` when the paragraph has exact spacing, else the font's full ascent+descent.
    """
    return text_height(text, font_file, size_pt, box_w_emu, line_pt=line_pt, space_before=space_before,
                       fallback=fallback) <= box_h_emu / EMU_PER_PT + 1e-6


def measuring_font(theme: "Theme", typeface: str, bold: bool) -> Path:
    """The bundled font that stands in for an Office font name when measuring (role with that name and weight)."""
    from generators.theme import ROLES

    same = [r for r in ROLES if theme.role(r).office == typeface]
    exact = [r for r in same if (r in BOLD_ROLES) == bold]
    role = (exact or same or ["body"])[0]
    return theme.font_path(theme.role(role).print)
