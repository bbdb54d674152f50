"""Fitting planned text to template boxes: sizes to try, shrink to the floor, split onto continuation slides."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from generators.errors import InputError, Problem
from generators.writers.pptx.measure import EMU_PER_PT, fits, text_height
from generators.writers.pptx.slides import TEMPLATE, Frame, Geometry, Para, TextPlan, TRun

if TYPE_CHECKING:
    from generators.theme import Theme

#: Theme font role of the text each placeholder holds (runs may name their own role).
PH_ROLE = {"标题": "title", "副标题": "heading", "场合": "caption", "署名": "caption", "正文": "body",
           "编号": "figure", "栏目": "caption", "来源": "caption", "说明": "caption", "页脚": "caption",
           "页码": "caption", "导语": "body", "寄语": "title", "右标题": "title", "左栏": "body", "右栏": "body",
           "引语": "quote", "出处": "caption"}

SLACK = 3 * EMU_PER_PT  # boxes get a little more height than measured, never less
SINGLE = 1.2  # single line spacing as a multiple of the size (PowerPoint's convention)
SENTENCE_END = re.compile(r"(?<=[。！？；])")


class Fitter:
    """Text sizes and pages for the template's boxes, measured with the theme's bundled fonts."""

    def __init__(self, geometry: Geometry, theme: "Theme"):
        self.geo = geometry
        self.theme = theme
        self.min_size = theme.deck.min_body_size
        self.fallback = tuple(theme.font_path(f) for f in theme.fonts.fallback)

    def font(self, role: str) -> Path:
        return self.theme.font_path(self.theme.role(role).print)

    def text_fits(self, t: TextPlan, w: int, h: int) -> bool:
        """The rule the tests use too: whole frame at its largest run's size and font."""
        if not t.paras or not t.text.strip():
            return True
        big = max((r for p in t.paras for r in p.runs), key=lambda r: r.scale)
        width = w - (t.margin if any(p.bullet for p in t.paras) else 0)
        return fits(t.text, self.font(big.role), (t.size or 0) * big.scale, width, h, line_pt=t.line_pt,
                    space_before=t.space_before, fallback=self.fallback)

    def sizes(self, base: float) -> list[float]:
        """The sizes to try, largest first: `base`, then whole points down to min_body_size (or base, if smaller)."""
        floor = min(base, self.min_size)
        out, s = [base], math.floor(base)
        while s >= floor:
            if s < base:
                out.append(float(s))
            s -= 1
        if out[-1] > floor:
            out.append(floor)
        return out

    def plan_text(self, frame: Frame, paras: Iterable[Para], size: float) -> TextPlan:
        paras = tuple(paras)
        bullets = any(p.bullet for p in paras)
        return TextPlan(paras, size, frame.margin if bullets else 0, frame.indent if bullets else 0,
                        frame.space_before, pitch(size, frame.spacing))

    def fit(self, frame: Frame, paras: Iterable[Para]) -> TextPlan | None:
        paras = tuple(paras)
        w, h = frame.inner
        for s in self.sizes(frame.size):
            t = self.plan_text(frame, paras, s)
            if self.text_fits(t, w, h):
                return t
        return None

    def must_fit(self, layout: str, ph: str, paras: Iterable[Para]) -> TextPlan:
        paras = tuple(paras)
        t = self.fit(self.geo[layout][ph], paras)
        if t is None:
            raise too_long(layout, ph, "\n".join(p.text for p in paras))
        return t

    def one(self, layout: str, ph: str, text: str, role: str | None = None, **kw) -> tuple[str, TextPlan]:
        return ph, self.must_fit(layout, ph, [Para((TRun(text, role or PH_ROLE[ph]),), **kw)])

    def paginate(self, layout: str, ph: str, paras: list[Para]) -> list[TextPlan]:
        """Shrink to min_body_size, never below; if still too long, as few pages as possible at the largest size."""
        frame = self.geo[layout][ph]
        whole = self.fit(frame, paras)
        if whole is not None:
            return [whole]
        w, h = frame.inner
        floor = self.sizes(frame.size)[-1]
        units: list[tuple[int, Para]] = []  # (paragraph it came from, piece)
        for n, p in enumerate(paras):
            alone = self.plan_text(frame, [p], floor)
            units += [(n, x) for x in ([p] if self.text_fits(alone, w, h) else split_sentences(p))]
        least = self._pack(frame, units, floor)
        if least is None:
            raise too_long(layout, ph, "\n".join(p.text for p in paras))
        for s in self.sizes(frame.size):
            pages = self._pack(frame, units, s)
            if pages is not None and len(pages) == len(least):
                # pieces of one paragraph that share a page become one paragraph again (never taller)
                return [self.plan_text(frame, rejoin(page), s) for page in pages]
        raise AssertionError("unreachable: the floor size packs")

    def _pack(self, frame: Frame, units: list[tuple[int, Para]], size: float) -> list[list[tuple[int, Para]]] | None:
        """Pieces onto pages in order at `size`, each page as full as it goes; None if one piece alone overflows."""
        w, h = frame.inner
        pages: list[list[tuple[int, Para]]] = [[]]
        for u in units:
            if self.text_fits(self.plan_text(frame, [x for _, x in [*pages[-1], u]], size), w, h):
                pages[-1].append(u)
            elif pages[-1] and self.text_fits(self.plan_text(frame, [u[1]], size), w, h):
                pages.append([u])
            else:
                return None
        return pages

    def height(self, t: TextPlan, w: int, lines: int | None = None) -> int:
        """EMU a text box needs for `t` at width w (or for `lines` lines of its first run)."""
        big = max((r for p in t.paras for r in p.runs), key=lambda r: r.scale)
        size = (t.size or 0) * big.scale
        if lines is not None:
            pt = lines * (t.line_pt or pitch(size))
        else:
            pt = text_height(t.text, self.font(big.role), size, w, line_pt=t.line_pt, space_before=t.space_before,
                             fallback=self.fallback)
        return math.ceil(pt * EMU_PER_PT) + SLACK


def pitch(size: float, spacing: float = 1.0) -> float:
    """Exact line pitch in pt: written as exact spacing, so every client sets the lines the plan measured."""
    return round(size * SINGLE * spacing, 1)


def split_sentences(p: Para) -> list[Para]:
    """A paragraph too long for one slide, as sentence-sized pieces (runs keep their roles)."""
    pieces: list[list[TRun]] = [[]]
    for r in p.runs:
        for n, s in enumerate(SENTENCE_END.split(r.text)):  # "甲。乙。" -> ["甲。", "乙。", ""]
            if n:
                pieces.append([])
            if s:
                pieces[-1].append(replace(r, text=s))
    return [Para(tuple(x), p.bullet, p.align) for x in pieces if x]


def rejoin(pieces: list[tuple[int, Para]]) -> list[Para]:
    """Consecutive pieces of one paragraph as that paragraph again."""
    out: list[tuple[int, Para]] = []
    for n, p in pieces:
        if out and out[-1][0] == n:
            out[-1] = (n, replace(p, runs=out[-1][1].runs + p.runs))
        else:
            out.append((n, p))
    return [p for _, p in out]


def too_long(layout: str, ph: str, text: str) -> InputError:
    short = text.replace("\n", " ")
    short = short if len(short) <= 40 else short[:39] + "…"
    return InputError(Problem(
        f"templates/{TEMPLATE}", field=f"版式：{layout} / 占位符：{ph}",
        message=f"文字太长，缩小到最小字号仍放不下：“{short}”。请缩短 data/ 中的这段文字，或在模板中放大该占位符"))
