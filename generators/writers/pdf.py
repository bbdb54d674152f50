"""PDF writer (ReportLab): A4 print layout, CJK line breaking, subset TrueType fonts, vector charts, outline."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from generators import model as M
from generators.writers import WriterEnv
from generators.writers.pdf_linebreak import install as install_cjk_breaking

PAGE_SIZES = {"A4": A4}


# ---- fonts ----------------------------------------------------------------------

def _register_fonts(env: WriterEnv) -> dict[str, str]:
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


# ---- styles ---------------------------------------------------------------------

@dataclass
class Styles:
    body: ParagraphStyle
    lead: ParagraphStyle
    h1: ParagraphStyle
    h1_number: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    quote: ParagraphStyle
    speaker: ParagraphStyle
    caption: ParagraphStyle
    source: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_num: ParagraphStyle
    fig_number: ParagraphStyle
    fig_label: ParagraphStyle
    fig_note: ParagraphStyle
    toc1: ParagraphStyle
    toc2: ParagraphStyle
    cover_title: ParagraphStyle
    cover_kicker: ParagraphStyle
    cover_sub: ParagraphStyle
    cover_byline: ParagraphStyle
    placeholder: ParagraphStyle


def _styles(env: WriterEnv, names: dict[str, str]) -> Styles:
    t = env.theme
    p = t.pdf
    pal = t.palette
    f = {r: names[t.role(r).print] for r in ("title", "heading", "body", "figure", "caption", "quote")}
    ink, muted, primary = colors.HexColor(pal.ink), colors.HexColor(pal.muted), colors.HexColor(pal.primary)
    base = dict(wordWrap="CJK", textColor=ink)
    body = ParagraphStyle("body", fontName=f["body"], fontSize=p.body_size, leading=p.body_leading,
                          alignment=TA_JUSTIFY, firstLineIndent=2 * p.body_size, spaceAfter=p.body_leading * 0.35,
                          **base)
    cap = p.caption_size
    return Styles(
        body=body,
        lead=ParagraphStyle("lead", parent=body, fontSize=p.body_size * 1.08, leading=p.body_leading * 1.08),
        h1=ParagraphStyle("h1", fontName=f["title"], fontSize=p.h1_size, leading=p.h1_size * 1.35,
                          textColor=primary, spaceBefore=p.h1_size * 0.6, spaceAfter=p.h1_size * 0.9, keepWithNext=1,
                          wordWrap="CJK"),
        h1_number=ParagraphStyle("h1n", fontName=f["figure"], fontSize=p.h1_size * 0.62, leading=p.h1_size,
                                 textColor=colors.HexColor(pal.accent), keepWithNext=1, wordWrap="CJK"),
        h2=ParagraphStyle("h2", fontName=f["heading"], fontSize=p.h2_size, leading=p.h2_size * 1.45,
                          textColor=primary, spaceBefore=p.h2_size * 0.9, spaceAfter=p.h2_size * 0.5, keepWithNext=1,
                          wordWrap="CJK"),
        h3=ParagraphStyle("h3", fontName=f["heading"], fontSize=p.h3_size, leading=p.h3_size * 1.5, textColor=ink,
                          spaceBefore=p.h3_size * 0.6, spaceAfter=p.h3_size * 0.3, keepWithNext=1, wordWrap="CJK"),
        quote=ParagraphStyle("quote", fontName=f["quote"], fontSize=p.quote_size, leading=p.quote_size * 1.65,
                             alignment=TA_JUSTIFY, textColor=colors.HexColor(pal.primary_dark), wordWrap="CJK"),
        speaker=ParagraphStyle("speaker", fontName=f["caption"], fontSize=cap, leading=cap * 1.5,
                               alignment=TA_RIGHT, textColor=muted, wordWrap="CJK"),
        caption=ParagraphStyle("caption", fontName=f["heading"], fontSize=cap + 1, leading=(cap + 1) * 1.4,
                               textColor=ink, spaceBefore=4, spaceAfter=3, keepWithNext=1, wordWrap="CJK"),
        source=ParagraphStyle("source", fontName=f["caption"], fontSize=cap - 0.5, leading=(cap - 0.5) * 1.4,
                              textColor=muted, spaceAfter=10, wordWrap="CJK"),
        cell=ParagraphStyle("cell", fontName=f["body"], fontSize=cap, leading=cap * 1.35, wordWrap="CJK", textColor=ink),
        cell_head=ParagraphStyle("cellh", fontName=f["heading"], fontSize=cap, leading=cap * 1.35, wordWrap="CJK",
                                 textColor=ink),
        cell_num=ParagraphStyle("celln", fontName=f["body"], fontSize=cap, leading=cap * 1.35, alignment=TA_RIGHT,
                                wordWrap="CJK", textColor=ink),
        fig_number=ParagraphStyle("fign", fontName=f["figure"], fontSize=p.figure_size, leading=p.figure_size * 1.15,
                                  textColor=primary, wordWrap="CJK"),
        fig_label=ParagraphStyle("figl", fontName=f["heading"], fontSize=cap, leading=cap * 1.4,
                                 textColor=ink, wordWrap="CJK"),
        fig_note=ParagraphStyle("figx", fontName=f["caption"], fontSize=cap - 0.5, leading=(cap - 0.5) * 1.35,
                                textColor=muted, wordWrap="CJK"),
        toc1=ParagraphStyle("toc1", fontName=f["heading"], fontSize=p.body_size + 1, leading=(p.body_size + 1) * 2.1,
                            textColor=ink, wordWrap="CJK"),
        toc2=ParagraphStyle("toc2", fontName=f["body"], fontSize=p.body_size, leading=p.body_size * 1.9,
                            leftIndent=2 * p.body_size, textColor=muted, wordWrap="CJK"),
        cover_title=ParagraphStyle("ct", fontName=f["title"], fontSize=p.title_size * 1.25,
                                   leading=p.title_size * 1.6, textColor=primary, alignment=TA_LEFT, wordWrap="CJK"),
        cover_kicker=ParagraphStyle("ck", fontName=f["heading"], fontSize=p.h3_size, leading=p.h3_size * 1.6,
                                    textColor=colors.HexColor(pal.accent), wordWrap="CJK"),
        cover_sub=ParagraphStyle("cs", fontName=f["heading"], fontSize=p.h1_size, leading=p.h1_size * 1.45,
                                 textColor=ink, wordWrap="CJK"),
        cover_byline=ParagraphStyle("cb", fontName=f["body"], fontSize=p.body_size + 1, leading=(p.body_size + 1) * 1.6,
                                    textColor=muted, wordWrap="CJK"),
        placeholder=ParagraphStyle("ph", fontName=f["heading"], fontSize=p.body_size, leading=p.body_size * 1.5,
                                   alignment=TA_CENTER, textColor=muted, wordWrap="CJK"),
    )


# ---- flowables --------------------------------------------------------------------

class Anchor(Flowable):
    """Zero-size marker: a bookmark, an outline entry and, for contents lines, its page number as a form."""

    def __init__(self, key: str, title: str, level: int, toc: bool = True, folio: tuple[str, float, str] = ("", 0, "")):
        super().__init__()
        self.key, self.title, self.level, self.toc = key, title, level, toc
        self.folio = folio  # (font, size, colour) of the page number the contents shows
        self.width = self.height = 0

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        canv = self.canv
        canv.bookmarkPage(self.key)
        canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        if self.toc:
            # The contents page drew this form before the page was known; define it now (one pass, no re-layout).
            font, size, colour = self.folio
            canv.beginForm(f"pg_{self.key}", lowerx=-80, lowery=-10, upperx=10, uppery=40)  # room left of x=0
            canv.setFont(font, size)
            canv.setFillColor(colors.HexColor(colour))
            canv.drawRightString(0, 0, str(canv.getPageNumber()))
            canv.endForm()


class Contents(Flowable):
    """The table of contents, laid out once: titles and dot leaders now, page numbers as forward-referenced forms."""

    def __init__(self, entries: list[Anchor], styles: list[ParagraphStyle], rule: str):
        super().__init__()
        self.entries, self.styles, self.rule = entries, styles, rule

    def _lines(self):
        return [(a, self.styles[min(a.level, len(self.styles) - 1)]) for a in self.entries]

    def wrap(self, aw, ah):
        self.width = aw
        self.height = sum(st.leading for _, st in self._lines())
        return aw, self.height

    def draw(self):
        canv = self.canv
        y = self.height
        for a, st in self._lines():
            y -= st.leading
            base = y + (st.leading - st.fontSize) / 2
            canv.setFont(st.fontName, st.fontSize)
            canv.setFillColor(st.textColor)
            canv.drawString(st.leftIndent, base, a.title)
            end = st.leftIndent + canv.stringWidth(a.title, st.fontName, st.fontSize) + 6
            canv.setStrokeColor(colors.HexColor(self.rule))
            canv.setLineWidth(0.6)
            canv.setDash(0.6, 2.4)
            canv.line(end, base + 1, self.width - 24, base + 1)
            canv.setDash()
            canv.saveState()
            canv.translate(self.width, base)
            canv.doForm(f"pg_{a.key}")
            canv.restoreState()


class Rule(Flowable):
    def __init__(self, width: float, color: str, thickness: float = 0.8, space: float = 4):
        super().__init__()
        self.w, self.color, self.t, self.space = width, color, thickness, space

    def wrap(self, aw, ah):
        return min(self.w, aw), self.t + 2 * self.space

    def draw(self):
        self.canv.setStrokeColor(colors.HexColor(self.color))
        self.canv.setLineWidth(self.t)
        self.canv.line(0, self.space, self.w, self.space)


class Summary(BaseDocTemplate):
    """Doc template that feeds the contents and remembers the current chapter for the running header."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.chapter = ""  # shown in this page's running header
        self.pending = ""  # a chapter that began lower on this page: the header from the next page on

    def afterFlowable(self, flowable):
        if isinstance(flowable, Anchor):
            if flowable.level == 0:
                if self.frame._atTop:
                    self.chapter = flowable.title
                else:
                    self.pending = flowable.title


# ---- the writer ---------------------------------------------------------------------

class _Writer:
    def __init__(self, doc: M.Document, env: WriterEnv):
        install_cjk_breaking()
        self.doc = doc
        self.env = env
        self.theme = env.theme
        self.names = _register_fonts(env)
        self.mk = Markup(env, self.names)
        self.st = _styles(env, self.names)
        p = self.theme.pdf
        self.page = PAGE_SIZES.get(p.page, A4)
        self.inner, self.outer = p.margin_inner_mm * mm, p.margin_outer_mm * mm
        self.top, self.bottom = p.margin_top_mm * mm, p.margin_bottom_mm * mm
        self.width = self.page[0] - self.inner - self.outer
        self.anchor_count = 0
        self.toc_entries: list[Anchor] = []

    # -- helpers
    def font_file(self, role: str) -> str:
        return self.theme.role(role).print

    def para(self, text: str, style: ParagraphStyle, role: str = "body") -> Paragraph:
        return Paragraph(self.mk(text, self.font_file(role)), style)

    def runs(self, runs: M.Inline, style: ParagraphStyle, role: str = "body") -> Paragraph:
        return Paragraph(self.mk.runs(runs, self.font_file(role), self.font_file("title"), self.theme.palette.primary_dark),
                         style)

    def table_style(self, commands: list) -> TableStyle:
        """Tables set a default font even when every cell is a Paragraph: make it ours, not Helvetica."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.names[self.font_file("body")]), *commands])

    def anchor(self, title: str, level: int, toc: bool = True) -> Anchor:
        self.anchor_count += 1
        folio = (self.names[self.font_file("figure")], self.theme.pdf.body_size, self.theme.palette.primary)
        a = Anchor(f"a{self.anchor_count}", title, level, toc, folio)
        if toc:
            self.toc_entries.append(a)
        return a

    # -- page furniture
    def _frames(self):
        w, h = self.page
        fw = w - self.inner - self.outer
        fh = h - self.top - self.bottom
        odd = Frame(self.inner, self.bottom, fw, fh, id="odd", leftPadding=0, rightPadding=0, topPadding=0,
                    bottomPadding=0)
        even = Frame(self.outer, self.bottom, fw, fh, id="even", leftPadding=0, rightPadding=0, topPadding=0,
                     bottomPadding=0)
        cover = Frame(28 * mm, 30 * mm, w - 56 * mm, h - 80 * mm, id="cover", leftPadding=0, rightPadding=0)
        return cover, odd, even

    def _on_cover(self, canv, _doc):
        pal = self.theme.palette
        w, h = self.page
        canv.saveState()
        canv.setFillColor(colors.HexColor(pal.primary))
        canv.rect(0, h - 18 * mm, w, 18 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.HexColor(pal.accent))
        canv.rect(0, h - 20 * mm, w, 2 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.HexColor(pal.tint))
        canv.rect(0, 0, w, 22 * mm, stroke=0, fill=1)
        canv.restoreState()

    def _on_page(self, canv, doc):
        pal, p = self.theme.palette, self.theme.pdf
        w, h = self.page
        odd = doc.page % 2 == 1
        left = self.inner if odd else self.outer
        right = w - (self.outer if odd else self.inner)
        canv.saveState()
        canv.setStrokeColor(colors.HexColor(pal.rule))
        canv.setLineWidth(0.5)
        y = h - self.top + 6 * mm
        canv.line(left, y, right, y)
        canv.setFillColor(colors.HexColor(pal.muted))
        head_font = self.names[self.font_file("caption")]
        canv.setFont(head_font, p.header_size)
        title = self.doc.title
        chapter = getattr(doc, "chapter", "")
        if getattr(doc, "pending", ""):
            doc.chapter, doc.pending = doc.pending, ""
        if odd:
            canv.drawRightString(right, y + 2.2 * mm, chapter or title)
        else:
            canv.drawString(left, y + 2.2 * mm, title)
        canv.setFont(self.names[self.font_file("figure")], p.header_size + 1)
        canv.setFillColor(colors.HexColor(pal.primary))
        num = str(doc.page)
        yb = self.bottom - 12 * mm
        if odd:
            canv.drawRightString(right, yb, num)
        else:
            canv.drawString(left, yb, num)
        canv.restoreState()

    # -- blocks
    def block(self, b: M.Block) -> list[Flowable]:
        st = self.st
        match b:
            case M.Heading(text=t):
                return [self.para(t, st.h3, "heading")]
            case M.Paragraph(runs=r):
                return [self.runs(r, st.body)]
            case M.Quote():
                return [self.quote(b)]
            case M.KeyFigures():
                return [self.key_figures(b)]
            case M.Chart():
                return self.chart(b)
            case M.Photo():
                return self.photo(b)
            case M.Points(items=items):
                return [self.runs(i, ParagraphStyle("pt", parent=st.body, firstLineIndent=0, leftIndent=12,
                                                    bulletIndent=0), "body") for i in items]
            case M.Review(heading=h, text=t):
                return [self.para(h, st.h3, "heading"), self.runs(t, st.body)]
            case M.Table():
                return self.table(b)
        raise AssertionError(type(b))

    def quote(self, q: M.Quote) -> Flowable:
        pal = self.theme.palette
        inner = [self.runs(q.runs, self.st.quote, "quote")]
        if q.speaker:
            inner.append(Spacer(1, 2))
            inner.append(self.para("——" + q.speaker, self.st.speaker, "caption"))
        t = Table([[inner]], colWidths=[self.width - 8 * mm])
        t.setStyle(self.table_style([
            ("LINEBEFORE", (0, 0), (0, 0), 2.2, colors.HexColor(pal.accent)),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(pal.tint)),
            ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 9), ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
        ]))
        t.hAlign = "CENTER"
        return KeepTogether([Spacer(1, 4), t, Spacer(1, 10)])

    def figure_cell(self, k: M.KeyFigure) -> list[Flowable]:
        st = self.st
        unit_size = self.theme.pdf.figure_size * 0.5
        number = (f"{self.mk(k.value.number, self.font_file('figure'))}"
                  f'<font size="{unit_size:.1f}">{self.mk(k.value.unit, self.font_file("figure"))}</font>')
        cell = [Paragraph(number, st.fig_number), Spacer(1, 2), self.para(k.label, st.fig_label, "heading")]
        notes = []
        if k.before:
            notes.append(f"{k.before.period} {k.before.text} → {k.value.period} {k.value.text}")
        else:
            notes.append(k.value.period)
        if k.growth:
            notes.append(f"增长 {k.growth.text}" if not k.growth.number.startswith("-") else f"下降 {k.growth.text}")
        if k.note and k.note not in notes:
            notes.append(k.note)
        cell.append(self.para("　".join(notes), st.fig_note, "caption"))
        return cell

    def key_figures(self, kf: M.KeyFigures) -> Flowable:
        pal = self.theme.palette
        items = list(kf.items)
        per_row = 4 if len(items) >= 7 or len(items) == 4 else 3 if len(items) != 2 else 2
        gap = 3 * mm
        cw = (self.width - gap * (per_row - 1)) / per_row
        rows = []
        for i in range(0, len(items), per_row):
            row = [self.figure_cell(k) for k in items[i:i + per_row]]
            row += [""] * (per_row - len(row))
            rows.append(row)
        cols = []
        for c in range(per_row):
            cols.append(cw)
            if c < per_row - 1:
                cols.append(gap)
        data = [[cell for c, cell in enumerate(row) for cell in ([cell, ""] if c < per_row - 1 else [cell])]
                for row in rows]
        t = Table(data, colWidths=cols)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                 ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 7),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]
        for r, row in enumerate(rows):
            for c in range(per_row):
                if row[c] == "":
                    continue
                col = c * 2
                style += [("BACKGROUND", (col, r), (col, r), colors.HexColor(pal.tint)),
                          ("LINEABOVE", (col, r), (col, r), 2, colors.HexColor(pal.primary))]
            if r < len(rows) - 1:
                style.append(("BOTTOMPADDING", (0, r), (-1, r), 10))
        t.setStyle(self.table_style(style))
        return KeepTogether([Spacer(1, 4), t, Spacer(1, 12)])

    def chart(self, c: M.Chart) -> list[Flowable]:
        from svglib.svglib import svg2rlg

        svg = self.env.charts.svg(c.data, self.width / mm, self.theme.chart.height_mm)
        # matplotlib writes numeric weights; svglib maps fonts by "bold"/"normal".
        svg = svg.replace(b"font-weight: 700", b"font-weight: bold")
        drawing = svg2rlg(io.BytesIO(svg))
        scale = self.width / drawing.width
        drawing.scale(scale, scale)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        drawing.hAlign = "CENTER"
        drawing.initialFontName = self.names[self.font_file("caption")]  # never the unembedded Helvetica
        parts = [self.para(c.caption, self.st.caption, "heading"), drawing,
                 self.para(c.data.source, self.st.source, "caption")]
        return [CondPageBreak(drawing.height + 40), KeepTogether(parts)]

    def photo(self, ph: M.Photo) -> list[Flowable]:
        pal = self.theme.palette
        w = self.width * 0.8
        if ph.image is not None:
            img = Image(str(ph.image))
            ratio = img.imageHeight / img.imageWidth
            img.drawWidth, img.drawHeight = w, w * ratio
            body: Flowable = img
        else:
            label = "图片待补充" + (f"（{ph.name}）" if ph.name else "")
            body = Table([[self.para(label, self.st.placeholder, "heading")]], colWidths=[w], rowHeights=[w * 0.42])
            body.setStyle(self.table_style([
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(pal.placeholder)),
                ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor(pal.rule)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]))
        body.hAlign = "CENTER"
        cap = ParagraphStyle("phc", parent=self.st.source, alignment=TA_CENTER, spaceBefore=3)
        return [KeepTogether([Spacer(1, 4), body, self.para(ph.caption, cap, "caption"), Spacer(1, 6)])]

    def table(self, tb: M.Table) -> list[Flowable]:
        st, pal = self.st, self.theme.palette
        n = len(tb.header)
        weights = {5: [0.31, 0.10, 0.08, 0.15, 0.36], 4: [0.44, 0.18, 0.14, 0.24]}.get(n, [1 / n] * n)
        widths = [self.width * w for w in weights]
        head = [self.para(h, st.cell_head, "heading") for h in tb.header]
        body = []
        for row in tb.rows:
            cells = []
            for i, v in enumerate(row):
                style = st.cell_num if (tb.align[i:i + 1] == ("r",)) else st.cell
                # "source · section" reads better as two lines than wrapped mid-word in a narrow column.
                parts = [self.mk(part, self.font_file("body")) for part in v.split(" · ")]
                cells.append(Paragraph("<br/>".join(parts), style))
            body.append(cells)
        t = Table([head, *body], colWidths=widths, repeatRows=1)
        t.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(pal.tint)),
            ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(pal.primary)),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor(pal.rule)),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor(pal.rule)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        caption = f"表{tb.number}  {tb.caption}" if tb.number else tb.caption
        return [self.para(caption, st.caption, "heading"), t, Spacer(1, 8)]

    # -- document
    def story(self) -> list[Flowable]:
        d, st = self.doc, self.st
        story: list[Flowable] = [NextPageTemplate("even")]
        front = d.front
        story += [Spacer(1, 30 * mm)]
        if front.get("kicker"):
            story.append(self.para(front["kicker"], st.cover_kicker, "heading"))
            story.append(Spacer(1, 6 * mm))
        story.append(self.para(d.title, st.cover_title, "title"))
        story.append(Rule(40 * mm, self.theme.palette.accent, 2, 10))
        if d.subtitle:
            story.append(self.para(d.subtitle, st.cover_sub, "heading"))
        if front.get("subtitle2"):
            story.append(self.para(front["subtitle2"], st.cover_sub, "heading"))
        story.append(Spacer(1, 14 * mm))
        if front.get("byline"):
            story.append(self.para(front["byline"], st.cover_byline, "body"))
        story.append(PageBreak())
        toc = Contents(self.toc_entries, [st.toc1, st.toc2], self.theme.palette.rule)
        story += [self.anchor("目录", 0, toc=False), self.para("目录", st.h1, "title"), toc]
        for s in d.sections:
            story += self.section(s)
        return story

    def section(self, s: M.Section) -> list[Flowable]:
        st = self.st
        out: list[Flowable] = []
        if s.kind in ("appendix", "headline"):
            out.append(PageBreak())
        elif s.kind == "chapter":
            # A chapter opens a new page unless most of the page is still free (no near-empty pages).
            out.append(CondPageBreak(self.page[1] * 0.55))
        title = s.title
        out.append(self.anchor(s.short or title, 0))
        if s.number:
            out.append(self.para(f"{s.number:02d}", st.h1_number, "figure"))
        out.append(self.para(title, st.h1 if s.kind != "headline" else st.h2, "title"))
        if s.kind == "chapter":
            out.append(Rule(self.width, self.theme.palette.rule, 0.6, 5))
            out.append(Spacer(1, 6))
        for b in s.blocks:
            if isinstance(b, M.Heading):
                out.append(self.anchor(b.text, 1))
            out += self.block(b)
        return out

    def write(self, dest: Path) -> None:
        d = self.doc
        cover, odd, even = self._frames()
        buf = io.BytesIO()
        doc = Summary(
            buf, pagesize=self.page, title=d.title, author=d.meta.get("author", ""),
            subject=d.meta.get("subject", ""), keywords=d.meta.get("keywords", ""), creator="reportgen",
            producer="reportgen (ReportLab)", invariant=1, lang="zh-CN", initialFontName=self.names[self.font_file("body")],
        )
        # Mirror margins for double-sided print: the templates alternate odd / even by themselves.
        doc.addPageTemplates([
            PageTemplate("cover", [cover], onPage=self._on_cover),
            # Header and folio are drawn at the end of the page, when its chapter is known.
            PageTemplate("even", [even], onPageEnd=self._on_page, autoNextPageTemplate="odd"),
            PageTemplate("odd", [odd], onPageEnd=self._on_page, autoNextPageTemplate="even"),
        ])
        doc.build(self.story())
        dest.write_bytes(buf.getvalue())


def write(doc: M.Document, env: WriterEnv, dest: Path) -> None:
    _Writer(doc, env).write(dest)
