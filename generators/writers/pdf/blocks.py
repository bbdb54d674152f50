"""Content blocks of the summary as ReportLab flowables: paragraphs, quotes, key-figure cards, charts, photos, tables."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from generators import model as M
from generators import typography as T
from generators.writers import WriterEnv
from generators.writers.pdf.charts import chart_drawing
from generators.writers.pdf.flowables import Para
from generators.writers.pdf.fonts import Markup, map_svg_families, register_fonts
from generators.writers.pdf.linebreak import install as install_cjk_breaking
from generators.writers.pdf.styles import make_styles

PAGE_SIZES = {"A4": A4}


def chart_svg(env: WriterEnv, data: M.ChartData) -> bytes:
    """A chart as the book draws it: the width of the type area, the theme's chart height."""
    return env.charts.svg(data, text_width(env.theme) / mm, env.theme.chart.height_mm)


def text_width(theme) -> float:
    """Width of the type area in points: the page less the inner and outer margins (charts are drawn to it)."""
    p = theme.pdf
    return PAGE_SIZES.get(p.page, A4)[0] - p.margin_inner_mm * mm - p.margin_outer_mm * mm


class BlockWriter:
    """Fonts, styles and text width of the page; each model block as flowables."""

    def __init__(self, doc: M.Document, env: WriterEnv):
        install_cjk_breaking()
        self.doc = doc
        self.env = env
        self.theme = env.theme
        self.names = register_fonts(env)
        self.mk = Markup(env, self.names)
        self.st = make_styles(env, self.names)
        p = self.theme.pdf
        self.page = PAGE_SIZES.get(p.page, A4)
        self.inner, self.outer = p.margin_inner_mm * mm, p.margin_outer_mm * mm
        self.top, self.bottom = p.margin_top_mm * mm, p.margin_bottom_mm * mm
        self.width = text_width(self.theme)

    # -- helpers
    def _map_fonts(self) -> None:
        map_svg_families(self.env, self.names)

    def font_file(self, role: str) -> str:
        return self.theme.role(role).print

    def para(self, text: str, style: ParagraphStyle, role: str = "body") -> Para:
        return Para(self.mk(text, self.font_file(role)), style)

    def runs(self, runs: M.Inline, style: ParagraphStyle, role: str = "body") -> Para:
        return Para(self.mk.runs(runs, self.font_file(role), self.font_file("title"), self.theme.palette.primary_dark),
                         style)

    def table_style(self, commands: list) -> TableStyle:
        """Tables set a default font even when every cell is a Paragraph: make it ours, not Helvetica."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.names[self.font_file("body")]), *commands])

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
            inner.append(self.para(T.speaker(q.speaker), self.st.speaker, "caption"))
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
        cell = [Para(number, st.fig_number), Spacer(1, 2), self.para(k.label, st.fig_label, "heading")]
        notes = []
        notes.append(T.change(k.before, k.value) if k.before else k.value.period)
        if k.growth:
            notes.append(T.growth(k.growth).text)
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
            row: list[Any] = [self.figure_cell(k) for k in items[i:i + per_row]]
            row += [""] * (per_row - len(row))
            rows.append(row)
        cols = []
        for c in range(per_row):
            cols.append(cw)
            if c < per_row - 1:
                cols.append(gap)
        data = [[x for c, cell in enumerate(row) for x in ([cell, ""] if c < per_row - 1 else [cell])]
                for row in rows]
        t = Table(data, colWidths=cols)
        style: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 8),
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
        svg = chart_svg(self.env, c.data)
        drawing = chart_drawing(svg, self.env.charts.cache_dir, self.names, self._map_fonts)
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
            label = T.photo_placeholder(name=ph.name)  # the caption follows below the box
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
        weights = list(tb.widths) or {5: [0.31, 0.10, 0.08, 0.15, 0.36], 4: [0.44, 0.18, 0.14, 0.24]}.get(n, [1 / n] * n)
        widths = [self.width * w for w in weights]
        head = [self.para(h, st.cell_head, "heading") for h in tb.header]
        body = []
        for row in tb.rows:
            cells = []
            for i, v in enumerate(row):
                style = st.cell_num if (tb.align[i:i + 1] == ("r",)) else st.cell
                # "source · section" reads better as two lines than wrapped mid-word in a narrow column.
                parts = [self.mk(part, self.font_file("body")) for part in v.split(" · ")]
                cells.append(Para("<br/>".join(parts), style))
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
        under = [Spacer(1, 2), self.para(tb.source, st.source, "caption")] if tb.source else []
        return [self.para(tb.label, st.caption, "heading"), t, *under, Spacer(1, 8)]
