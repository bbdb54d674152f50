"""Bundled fonts: character maps, glyph checks with fallback, never tofu."""

from __future__ import annotations

import functools
from pathlib import Path

from generators.errors import InputError, Problem

# Characters no font needs to draw: line breaks and layout controls.
_IGNORABLE = {"\n", "\r", "\t", "\u200b", "\u200d", "\ufeff", "\u00ad"}


@functools.lru_cache(maxsize=32)
def cmap(path: Path) -> frozenset[int]:
    """Code points a font file maps (read once per process)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception as exc:  # noqa: BLE001 - any broken font file is an input problem
        raise InputError(Problem(str(path), message=f"字体文件无法读取（{type(exc).__name__}），请换回原始字体文件")) from None


@functools.lru_cache(maxsize=32)
def family_name(path: Path) -> str:
    """The font's family name as matplotlib and fontconfig see it."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        name = font["name"]
        return str(name.getBestFamilyName())


class GlyphChecker:
    """Which font draws each character: the role's font, else a fallback, else a clear error."""

    def __init__(self, primary: list[Path], fallback: list[Path]):
        self.primary = primary
        self.fallback = fallback

    def missing(self, text: str, font: Path) -> list[str]:
        have = cmap(font)
        return sorted({c for c in text if ord(c) not in have and c not in _IGNORABLE})

    def fallback_for(self, ch: str) -> Path | None:
        for f in self.fallback:
            if ord(ch) in cmap(f):
                return f
        return None

    def undrawable(self, text: str, font: Path) -> list[str]:
        """Characters neither the font nor any fallback can draw."""
        return [c for c in self.missing(text, font) if self.fallback_for(c) is None]

    def require(self, texts: list[str], font: Path, where: str) -> None:
        problems = []
        for t in texts:
            bad = self.undrawable(t, font)
            if bad:
                chars = "、".join(f"“{c}”(U+{ord(c):04X})" for c in bad[:8])
                problems.append(Problem(where, message=f"字体 {font.name} 及备用字体都缺字 {chars}；所在文字：“{t[:40]}”。"
                                                        "请换用常用字，或在主题中增加含该字的备用字体"))
        if problems:
            raise InputError(problems)
