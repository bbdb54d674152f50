"""The summary PDF as a whole: cover, contents, sections, mirrored page furniture, outline; built in memory."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate, Spacer

from generators import model as M
from generators.writers import WriterEnv
from generators.writers.pdf.blocks import BlockWriter
from generators.writers.pdf.flowables import Anchor, Contents, Rule, Summary


class SummaryWriter(BlockWriter):
    """The document level: anchors for outline and contents, page templates, the story."""

    def __init__(self, doc: M.Document, env: WriterEnv):
        super().__init__(doc, env)
        self.anchor_count = 0
        self.toc_entries: list[Anchor] = []

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
        contents = self.theme.labels.contents
        story += [self.anchor(contents, 0, toc=False), self.para(contents, st.h1, "title"), toc]
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

    def build(self) -> bytes:
        """The whole PDF in memory (raises what ReportLab raises for a layout it cannot make)."""
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
        return buf.getvalue()
