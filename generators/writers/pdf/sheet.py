"""A one-page A4 sheet (Document.layout == "sheet"): a title band, the tables, a note; no cover, no contents."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, Table

from generators import model as M
from generators.writers.pdf.blocks import BlockWriter
from generators.writers.pdf.flowables import Rule


class SheetWriter(BlockWriter):
    """Same fonts, styles and block rendering as the summary; one page template with a quiet footer."""

    def _band(self) -> Flowable:
        """Title and subtitle on the primary colour, the edition on the right."""
        pal, p = self.theme.palette, self.theme.pdf
        paper = colors.HexColor(pal.paper)
        title = ParagraphStyle("sheet_title", parent=self.st.h1, fontSize=p.h1_size * 1.15,
                               leading=p.h1_size * 1.45, textColor=paper)
        sub = ParagraphStyle("sheet_sub", parent=self.st.cover_sub, fontSize=p.body_size + 0.5,
                             leading=(p.body_size + 0.5) * 1.5, textColor=colors.HexColor(pal.tint))
        edition = ParagraphStyle("sheet_year", parent=sub, fontName=self.names[self.font_file("figure")],
                                 fontSize=p.h2_size, leading=p.h2_size * 1.3, alignment=TA_RIGHT, textColor=paper)
        left: list[Flowable] = [self.para(self.doc.title, title, "title")]
        if self.doc.subtitle:
            left.append(self.para(self.doc.subtitle, sub, "heading"))
        right = [self.para(self.doc.front.get("date", ""), edition, "figure")]
        band = Table([[left, right]], colWidths=[self.width * 0.72, self.width * 0.28])
        band.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(pal.primary)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 6 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 6 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 5 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 5 * mm),
        ]))
        return band

    def _on_page(self, canv, _doc) -> None:
        pal, p = self.theme.palette, self.theme.pdf
        w, _h = self.page
        y = self.bottom - 8 * mm
        canv.saveState()
        canv.setStrokeColor(colors.HexColor(pal.rule))
        canv.setLineWidth(0.5)
        canv.line(self.inner, y + 4 * mm, w - self.outer, y + 4 * mm)
        canv.setFillColor(colors.HexColor(pal.muted))
        canv.setFont(self.names[self.font_file("caption")], p.header_size)
        canv.drawString(self.inner, y, self.doc.title)
        canv.drawRightString(w - self.outer, y, self.doc.front.get("date", ""))
        canv.restoreState()

    def story(self) -> list[Flowable]:
        story: list[Flowable] = [self._band(), Rule(self.width, self.theme.palette.accent, 1.6, 2), Spacer(1, 4 * mm)]
        for s in self.doc.sections:
            for b in s.blocks:
                if isinstance(b, M.Paragraph):  # the note under the tables: small, like a source line
                    story.append(self.runs(b.runs, self.st.source))
                else:
                    story += self.block(b)
        return story

    def build(self) -> bytes:
        d = self.doc
        w, h = self.page
        frame = Frame(self.inner, self.bottom, w - self.inner - self.outer, h - self.top - self.bottom, id="sheet",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        buf = io.BytesIO()
        doc = BaseDocTemplate(
            buf, pagesize=self.page, title=d.title, author=d.meta.get("author", ""), subject=d.meta.get("subject", ""),
            keywords=d.meta.get("keywords", ""), creator="reportgen", producer="reportgen (ReportLab)", invariant=1,
            lang="zh-CN", initialFontName=self.names[self.font_file("body")])
        doc.addPageTemplates([PageTemplate("sheet", [frame], onPage=self._on_page)])
        doc.build(self.story())
        return buf.getvalue()
