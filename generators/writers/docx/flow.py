"""Where on its page the body has got to, estimated as it is written: the writer's rough pagination.

Word and LibreOffice break pages themselves; a .docx cannot ask them where a page ends. But a figure that does
not fit at the foot of a page jumps to the next one and leaves the rest of the page empty (up to half a page
for a chart), which an office would not hand out. So the writer estimates the height of every paragraph and
table it has written — from the template's styles (line spacing, the line grid, indents, font size, letter
spacing) and the text's width (a CJK character one em, other characters half) — and places a chart or photo
that would not fit after the text that follows it, the way a typesetter floats a figure (see `_Writer.blocks`).

The estimate only has to be good to a line or two: a figure deferred that would have fitted still lands right
after the next paragraph, and one placed that did not fit costs what it always did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx.oxml.ns import qn

from generators import model as M
from generators import typography as T

NATURAL = 1.3  # a CJK line's natural height in ems (single spacing), before the grid or an exact rule
CELL_MARGIN_PT = 4.0  # top + bottom cell margins of the table styles
DEFER_FROM = 0.25  # a figure is moved only when it would leave at least this share of the page empty


# What a floating figure may move past: text that flows line by line (a table or a figure stops it).
FLOAT_PAST = (M.Paragraph, M.Quote, M.Points, M.Heading)


def text_follows(rest: tuple[M.Block, ...]) -> bool:
    """Whether text a figure may float past follows (before anything it may not move past)."""
    for b in rest:
        if not isinstance(b, FLOAT_PAST):
            return False
        if not isinstance(b, M.Heading):
            return True
    return False


@dataclass(frozen=True)
class Para:
    """A paragraph's resolved properties (direct, its style chain, the document defaults)."""

    size: float  # pt
    line: float  # pt per line
    before: float
    after: float
    first_em: float  # first-line indent in ems
    indent_pt: float  # left + right indents
    letter: float  # letter spacing, pt per character
    framed: bool  # a frame (版记, 报尾): outside the flow
    snap: bool  # its lines sit on the document's line grid (it starts on the next grid line)
    keep: bool  # keep with next (headings, captions)
    new_page: bool = False  # page break before (段前分页)


class Flow:
    """The running position in the body of `document` (python-docx Document): page number and points used."""

    def __init__(self, document):
        self.d = document
        sec = document.sections[-1]
        self.page_h = (sec.page_height - sec.top_margin - sec.bottom_margin) / 12700
        self.width = (sec.page_width - sec.left_margin - sec.right_margin) / 12700
        grid = sec._sectPr.find(qn("w:docGrid"))
        kind = grid.get(qn("w:type")) if grid is not None else None
        pitch = grid.get(qn("w:linePitch")) if grid is not None else None
        self.pitch = int(pitch) / 20 if kind in ("lines", "linesAndChars") and pitch else 0.0
        self.styles = {s.style_id: s.element for s in document.styles}
        self.normal = next((el.get(qn("w:styleId")) for el in document.styles.element.iter(qn("w:style"))
                            if el.get(qn("w:type")) == "paragraph" and el.get(qn("w:default")) in ("1", "true")),
                           "Normal")  # Chinese Word names it "a" (正文)
        defaults = document.styles.element.find(qn("w:docDefaults"))
        self.default_p = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr")) if defaults is not None else None
        self.default_r = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr")) if defaults is not None else None
        self.page, self.used, self.done = 1, 0.0, 0
        self.kept: float | None = None  # where the keep-with-next paragraphs just written start on this page

    # ---- where we are -----------------------------------------------------------------------------------------
    def at(self) -> tuple[int, float]:
        """(page, points used on it) after everything written so far."""
        body = self.d.element.body  # written in order before the final sectPr: what was measured stays put
        for el in body[self.done:]:
            if el.tag == qn("w:tbl"):
                self._place_table(self._table(el))
            elif el.tag == qn("w:p"):
                self._place_paragraph(el)
        tail = 1 if len(body) and body[-1].tag == qn("w:sectPr") else 0  # new paragraphs go in before it
        self.done = len(body) - tail
        return self.page, self.used

    def left(self) -> float:
        """Points left on the current page."""
        self.at()
        return self.page_h - self.used

    def worth_deferring(self, need: float) -> bool:
        """A figure `need` points high does not fit in what is left, and placing it now would leave a gap of at
        least DEFER_FROM of the page (a smaller gap is left alone: moving the figure would not help the reader)."""
        left = self.left()
        return need > left - 1.5 * (self.pitch or 14.0) and left >= DEFER_FROM * self.page_h and need <= self.page_h

    def _new_page(self, carry: float = 0.0) -> None:
        self.page, self.used = self.page + 1, carry

    def _move_with_kept(self) -> None:
        """Start a new page for what comes next, taking along the keep-with-next paragraphs just before it (a
        heading never stays alone at the foot of a page)."""
        carry = self.used - self.kept if self.kept is not None else 0.0
        self._new_page(min(carry, self.page_h / 2))
        if self.kept is not None:
            self.kept = 0.0

    def _place_table(self, h: float) -> None:
        self.kept = None
        if self.used + h <= self.page_h + 0.5:
            self.used += h
            return
        over = self.used + h - self.page_h  # rows run on to the next page(s)
        self.page += 1 + int(over // self.page_h)
        self.used = over % self.page_h

    def _place_paragraph(self, p) -> None:
        props = self.props(p)
        if props.framed:
            return
        if props.new_page and self.used:
            self._move_with_kept()
        if p.find(f".//{qn('w:br')}[@{qn('w:type')}='page']") is not None:
            self._new_page()
            self.kept = None
        n, picture = self.paragraph_lines(p, props, self.width)
        top = self.used
        room = self.page_h + 0.5 - self.used - props.before
        if picture:
            h = picture + props.line * (n - 1) + props.before + props.after
            if self.used + h > self.page_h + 0.5 and self.used > 0:
                self._move_with_kept()
                top = self.used
            self.used = min(self.used + h, self.page_h)
        else:
            fit = int(room // props.line) if room > 0 else 0
            if fit >= n:
                self.used += props.before + n * props.line + props.after
            else:
                if n - fit == 1:  # widow control: never one line alone at the top of the next page
                    fit -= 1
                if fit < 2 or fit < n and n <= 2:  # orphan control: two lines at least, or the whole paragraph
                    self._move_with_kept()
                    top = self.used
                    fit = 0
                rest = n - fit
                while rest:
                    if fit:
                        self._new_page()
                        if self.kept is not None:  # a kept chain split over pages starts again here
                            self.kept = 0.0
                    per_page = max(1, int(self.page_h // props.line))
                    take = min(rest, per_page)
                    self.used += take * props.line + (props.before if not fit and take == rest == n else 0)
                    rest -= take
                    fit = take
                self.used = min(self.used + props.after, self.page_h)
        self.kept = (top if self.kept is None else self.kept) if props.keep else None

    # ---- heights ------------------------------------------------------------------------------------------------
    def _chains(self, p, style_id: str | None) -> tuple[list, list]:
        """The pPr and rPr elements that apply to paragraph `p` (or to style `style_id`), nearest first."""
        chain_p, chain_r = [], []
        if p is not None:
            ppr = p.find(qn("w:pPr"))
            if ppr is not None:
                chain_p.append(ppr)
                ps = ppr.find(qn("w:pStyle"))
                style_id = ps.get(qn("w:val")) if ps is not None else None
        seen = set()
        sid: str | None = style_id or self.normal
        while sid and sid not in seen and sid in self.styles:
            seen.add(sid)
            st = self.styles[sid]
            if (x := st.find(qn("w:pPr"))) is not None:
                chain_p.append(x)
            if (x := st.find(qn("w:rPr"))) is not None:
                chain_r.append(x)
            based = st.find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
        if self.default_p is not None:
            chain_p.append(self.default_p)
        if self.default_r is not None:
            chain_r.append(self.default_r)
        return chain_p, chain_r

    def props(self, p, style_id: str | None = None) -> Para:
        """The resolved properties of paragraph element `p` (or of a style alone: p None, `style_id`)."""
        chain_p, chain_r = self._chains(p, style_id)
        attr = _attr
        size = max(1.0, _num(attr(chain_r, "w:sz", "w:val"), 21) / 2)
        letter = max(1.0 - size, _num(attr(chain_r, "w:spacing", "w:val"), 0) / 20)  # a character stays >= 1 pt
        rule = attr(chain_p, "w:spacing", "w:lineRule") or "auto"
        raw = max(20.0, _num(attr(chain_p, "w:spacing", "w:line"), 240))  # never a 0 pt line
        snap = _on(chain_p, "w:snapToGrid", default=True)
        if rule == "exact":
            line = raw / 20
        elif rule == "atLeast":
            line = max(raw / 20, NATURAL * size)
        else:
            line = raw / 240 * NATURAL * size
            if self.pitch and snap:
                line = self.pitch * max(1, math.ceil(line / self.pitch - 0.05))
        line_unit = self.pitch or 12.0

        def space(which: str) -> float:
            lines = attr(chain_p, "w:spacing", f"w:{which}Lines")
            if lines is not None:
                return max(0.0, _num(lines, 0)) / 100 * line_unit
            return max(0.0, _num(attr(chain_p, "w:spacing", f"w:{which}"), 0)) / 20

        first_chars = attr(chain_p, "w:ind", "w:firstLineChars")
        first = _num(first_chars, 0) / 100 if first_chars is not None else \
            _num(attr(chain_p, "w:ind", "w:firstLine"), 0) / 20 / size
        chars = sum(_num(attr(chain_p, "w:ind", f"w:{k}Chars"), 0) for k in ("left", "right", "start", "end")) / 100
        indent = chars * size if chars else \
            sum(_num(attr(chain_p, "w:ind", f"w:{k}"), 0) for k in ("left", "right", "start", "end")) / 20
        framed = any(el.find(qn("w:framePr")) is not None for el in chain_p)
        rules = 0.0  # a top or bottom border adds its distance from the text and its width
        for side in ("top", "bottom"):
            for el in chain_p:
                border = el.find(f"{qn('w:pBdr')}/{qn('w:' + side)}")
                if border is not None:
                    if border.get(qn("w:val")) not in ("nil", "none"):
                        rules += _num(border.get(qn("w:space")), 0) + _num(border.get(qn("w:sz")), 0) / 8
                    break
        return Para(size, line, space("before"), space("after") + rules, first, indent, letter, framed,
                    snap and bool(self.pitch), _on(chain_p, "w:keepNext"), _on(chain_p, "w:pageBreakBefore"))

    def paragraph_lines(self, p, props: Para, width: float) -> tuple[int, float]:
        """(lines of text, height of its pictures in points) of paragraph element `p` set `width` points wide."""
        pictures = sum(max(0.0, _num(e.get("cy"), 0)) / 12700 for e in p.iter(qn("wp:extent")))
        pieces = [""]
        for el in p.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
            if el.tag == qn("w:br"):
                pieces.append("")
            else:
                pieces[-1] += el.text or ("\t" if el.tag == qn("w:tab") else "")
        return sum(self.lines(t, props, width, first=i == 0) for i, t in enumerate(pieces)), pictures

    def paragraph_height(self, p, props: Para, width: float) -> float:
        return _height(props, *self.paragraph_lines(p, props, width))

    def lines(self, text: str, props: Para, width: float, first: bool = True) -> int:
        """How many lines `text` takes in a paragraph of `props` set `width` points wide (at least one)."""
        ems = T.cjk_width(text) / 2 + (props.first_em if first else 0.0)
        per_line = max(1.0, (width - props.indent_pt) / max(1.0, props.size + props.letter))
        return max(1, math.ceil(ems / per_line - 1e-6))

    def text_height(self, style_id: str, text: str, picture_pt: float = 0.0) -> float:
        """The height a paragraph of `style_id` holding `text` (and a picture `picture_pt` high) would take."""
        props = self.props(None, style_id)
        return _height(props, self.lines(text, props, self.width), picture_pt)

    def _table(self, tbl) -> float:
        total = 0.0
        for tr in tbl.findall(qn("w:tr")):  # this table's rows and cells (a nested table is inside a cell's height)
            row = 0.0
            for tc in tr.findall(qn("w:tc")):
                w = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
                dxa = _num(w.get(qn("w:w")), 0) / 20 if w is not None and w.get(qn("w:type")) in (None, "dxa") else 0
                width = dxa - 10 if dxa > 20 else self.width
                cell = sum(self.paragraph_height(p, self.props(p), width) for p in tc.findall(qn("w:p")))
                row = max(row, cell + CELL_MARGIN_PT)
            height = tr.find(qn("w:trPr") + "/" + qn("w:trHeight"))
            if height is not None and height.get(qn("w:val")):
                row = max(row, _num(height.get(qn("w:val")), 0) / 20)
            total += row
        return total


def _attr(chain: list, tag: str, name: str) -> str | None:
    """Attribute `name` of child `tag` in the nearest element of `chain` that sets it."""
    for el in chain:
        child = el.find(qn(tag))
        if child is not None and child.get(qn(name)) is not None:
            return child.get(qn(name))
    return None


def _height(props: Para, lines: int, pictures: float) -> float:
    """Points a paragraph of `props` takes with `lines` lines of text, a picture line `pictures` points high."""
    return props.before + props.after + lines * props.line + (max(0.0, pictures - props.line) if pictures else 0.0)


def _num(value: str | None, default: float) -> float:
    """A number attribute as Word writes it (twips, eighths, hundredths); a designer's odd value ("12pt", "")
    counts as absent rather than stopping the build."""
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        return default


def _on(chain: list, tag: str, default: bool = False) -> bool:
    """An on/off property (keepNext, snapToGrid …): the nearest element that has it decides; no w:val is on."""
    for el in chain:
        child = el.find(qn(tag))
        if child is not None:
            return child.get(qn("w:val"), "1") not in ("0", "false", "off")
    return default
