"""The slide planner (pure): Document + template geometry + theme → slide plans; imports no python-pptx."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from generators import model as M
from generators.errors import ReportgenError
from generators.typography import CONTINUED
from generators.writers.pptx.cards import detail_text, value_text  # noqa: F401 - re-exported (tests, callers)
from generators.writers.pptx.design import DesignSlides
from generators.writers.pptx.runs import block_inlines, body_runs, kicker_text
from generators.writers.pptx.slides import Geometry, Para, SlidePlan, TextPlan, TRun

if TYPE_CHECKING:
    from generators.theme import Theme


HERO_POINTS = 3  # a review item with figures and at least this many points: figures beside the points (大数字)


class Planner(DesignSlides):
    """Turns a Document into slide plans: fitting text to the template's boxes, splitting what is too long."""

    def __init__(self, doc: M.Document, geometry: Geometry, theme: "Theme"):
        super().__init__(geometry, theme)
        self.doc = doc

    # -- the deck ----------------------------------------------------------------------
    def slides(self) -> list[SlidePlan]:
        d = self.doc
        parts = [s for s in d.sections if s.kind == "part"]
        out = [self.cover(), self.contents(parts)]
        for s in d.sections:
            if s.kind == "intro":
                out += self.text_slides(d.front.get("occasion", ""), d.title, s.blocks)
            elif s.kind == "part":
                out += self.part(s)
            elif s.kind == "closing":
                out += self.closing(s)
            else:
                out += self.text_slides("", s.title, s.blocks)
        return [replace(sp, texts=sp.texts + (self.one(sp.layout, "页脚", d.front.get("footer", "")),
                                              self.one(sp.layout, "页码", str(n))))
                for n, sp in enumerate(out, 1)]

    def cover(self) -> SlidePlan:
        d, L = self.doc, "封面"
        texts = [self.one(L, "标题", d.title), self.one(L, "副标题", d.subtitle),
                 self.one(L, "场合", d.front.get("occasion", "")), self.one(L, "署名", d.front.get("credits", ""))]
        return SlidePlan(L, tuple((n, t) for n, t in texts if t.text))

    def contents(self, parts: list[M.Section]) -> SlidePlan:
        L = "目录"
        entries = [Para((TRun(f"{p.number:02d}", "figure", color="primary"), TRun("\u3000" + p.title, "heading")))
                   for p in parts]
        return SlidePlan(L, (self.one(L, "标题", self.geo[L]["标题"].prompt), ("正文", self.must_fit(L, "正文", entries))))

    def part(self, part: M.Section) -> list[SlidePlan]:
        """A part: its divider, then each set of figures once (a chart takes the key figures it plots as its
        call-out, the cards keep the rest), then the review items on the layout their content asks for."""
        out = [SlidePlan("章节", (self.one("章节", "编号", f"{part.number:02d}"), self.one("章节", "标题", part.title)))]
        figures = [k for b in part.blocks if isinstance(b, M.KeyFigures) for k in b.items]
        plotted = {ref for b in part.blocks if isinstance(b, M.Chart) for ref in b.data.refs}
        pending: list[M.Block] = []  # paragraphs: lead text of the next key-figures slide
        blocks = list(part.blocks)
        while blocks:
            b = blocks.pop(0)
            match b:
                case M.Paragraph() | M.Heading() | M.Quote() | M.Points():
                    pending.append(b)
                case M.KeyFigures():
                    cards = tuple(k for k in b.items if k.value.ref not in plotted)
                    out += self.numbers(part, replace(b, items=cards), pending)
                    pending = []
                case M.Chart():
                    out.append(self.chart(part, b, [k for k in figures if k.value.ref in b.data.refs]))
                case M.Review() if b.layout == "对比" and blocks and isinstance(other := blocks[0], M.Review):
                    blocks.pop(0)
                    out.append(self.two_columns(part, b, other))
                case M.Review():
                    out += self.review_slides(part, b)
                case M.Photo():
                    out.append(self.photo(part, b))
                case _:
                    raise ReportgenError(f"幻灯片不能排版“{type(b).__name__}”内容块（{part.title}）；请从幻灯片文字中去掉它")
        if pending:
            out += self.text_slides(kicker_text(part), part.title, tuple(pending))
        return out

    def review_slides(self, part: M.Section, r: M.Review) -> list[SlidePlan]:
        """荣誉 as a list of honours; figures beside the points (hero); a photo beside them; else points alone."""
        if r.layout == "荣誉":
            return [self.honours(part, r)]
        if r.figures:
            slide = self.hero(part, r) if len(r.points) >= HERO_POINTS else self.figure_cards(part, r)
            return [slide] + ([self.photo(part, r.photo)] if r.photo else [])
        if r.photo:
            return [self.points_photo(part, r, r.photo)]
        return self.review(part, r)

    def text_slides(self, kicker: str, title: str, blocks: tuple[M.Block, ...]) -> list[SlidePlan]:
        """Paragraph slides on the 回顾 layout (the intro, or text a part has besides its cards)."""
        L = "回顾"
        paras = [Para(body_runs(r)) for r in block_inlines(blocks)]
        if not paras:
            return []
        pages = self.paginate(L, "正文", paras)
        out = []
        for n, page in enumerate(pages):
            texts = [self.one(L, "标题", title + (CONTINUED if n else "")), ("正文", page)]
            if kicker:
                texts.insert(0, self.one(L, "栏目", kicker))
            out.append(SlidePlan(L, tuple(texts)))
        return out

    def numbers(self, part: M.Section, figs: M.KeyFigures, lead: list[M.Block]) -> list[SlidePlan]:
        """Cards of the figures, the [数字力量] paragraphs under them (and in the notes)."""
        L = "数字力量"
        if not figs.items:
            return self.text_slides(kicker_text(part), figs.title or self.geo[L]["标题"].prompt, tuple(lead))
        title = figs.title or self.geo[L]["标题"].prompt
        region = self.geo[L]["卡片区"]
        note = self.notes(lead)
        out = []
        for n, group in enumerate(self.card_groups(list(figs.items), region)):
            texts = [self.kicker(L, part), self.one(L, "标题", title + (CONTINUED if n else ""))]
            shapes = group
            if n == 0 and note is not None:
                lead_plan = self.filled(L, "导语", list(note.paras))
                texts.append(("导语", lead_plan))
                shapes += (self.lead_rule(self.geo[L]["导语"], lead_plan),)
            out.append(SlidePlan(L, tuple(texts), shapes, notes=note if n == 0 else None))
        return out

    def review(self, part: M.Section, r: M.Review) -> list[SlidePlan]:
        L = "回顾"
        points = [Para(body_runs(p), bullet=True) for p in r.points]
        pages = self.paginate(L, "正文", points) if points else []
        if len(pages) == 1:
            pages = [self.filled(L, "正文", points)]
        notes = TextPlan((Para(body_runs(r.text)),), None)
        out = []
        for n, page in enumerate(pages or [None]):
            texts = [self.kicker(L, part), self.one(L, "标题", r.heading + (CONTINUED if n else ""))]
            if page is not None:
                texts.append(("正文", page))
            out.append(SlidePlan(L, tuple(texts), notes=notes))
        return out



def plan(doc: M.Document, geometry: Geometry, theme: "Theme") -> list[SlidePlan]:
    """The deck as slide plans: pure, from the document, the template's geometry and the theme."""
    return Planner(doc, geometry, theme).slides()


