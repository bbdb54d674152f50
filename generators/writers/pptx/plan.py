"""The slide planner (pure): Document + template geometry + theme → slide plans; imports no python-pptx."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from generators import model as M
from generators.errors import ReportgenError
from generators.typography import CONTINUED, change, growth, photo_placeholder, speaker
from generators.writers.pptx.fit import Fitter, pitch, too_long
from generators.writers.pptx.measure import EMU_PER_IN, EMU_PER_MM
from generators.writers.pptx.slides import Box, BoxPlan, ChartPlan, Frame, Geometry, Para, SlidePlan, TextPlan, TRun

if TYPE_CHECKING:
    from generators.theme import Theme

# Card and tile geometry (EMU): the template gives the region, these give the rhythm inside it.
GAP = int(0.28 * EMU_PER_IN)
PAD = int(0.2 * EMU_PER_IN)
TOP_BAR = int(0.06 * EMU_PER_IN)
CARD_HEIGHT = 0.6  # share of the card region a card fills at least


class Planner(Fitter):
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
                out.append(self.closing(s))
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

    def kicker(self, layout: str, part: M.Section) -> tuple[str, TextPlan]:
        return self.one(layout, "栏目", kicker_text(part))

    def part(self, part: M.Section) -> list[SlidePlan]:
        out = [SlidePlan("章节", (self.one("章节", "编号", f"{part.number:02d}"), self.one("章节", "标题", part.title)))]
        pending: list[M.Block] = []  # paragraphs: notes of the next key-figures slide
        for b in part.blocks:
            match b:
                case M.Paragraph() | M.Heading() | M.Quote() | M.Points():
                    pending.append(b)
                case M.KeyFigures():
                    out += self.numbers(part, b, pending)
                    pending = []
                case M.Chart():
                    out.append(self.chart(part, b))
                case M.Review():
                    out += self.review(part, b)
                case M.Photo():
                    out.append(self.photo(part, b))
                case _:
                    raise ReportgenError(f"幻灯片不能排版“{type(b).__name__}”内容块（{part.title}）；请从幻灯片文字中去掉它")
        if pending:
            out += self.text_slides(kicker_text(part), part.title, tuple(pending))
        return out

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

    def numbers(self, part: M.Section, figs: M.KeyFigures, notes: list[M.Block]) -> list[SlidePlan]:
        L = "数字力量"
        title = figs.title or self.geo[L]["标题"].prompt
        region = self.geo[L]["卡片区"]
        note = self.notes(notes)
        out = []
        for n, group in enumerate(self.card_groups(list(figs.items), region)):
            texts = (self.kicker(L, part), self.one(L, "标题", title + (CONTINUED if n else "")))
            out.append(SlidePlan(L, texts, group, notes=note if n == 0 else None))
        return out

    def card_groups(self, items: list[M.KeyFigure], region: Frame) -> list[tuple[BoxPlan, ...]]:
        """2–4 cards a slide, spread evenly over as few slides as possible."""
        for per in (4, 3, 2, 1):
            count = math.ceil(len(items) / per)
            sizes = [len(items) // count + (1 if i < len(items) % count else 0) for i in range(count)]
            groups, start, ok = [], 0, True
            for k in sizes:
                cards = self.cards(items[start:start + k], region)
                if cards is None:
                    ok = False
                    break
                groups.append(cards)
                start += k
            if ok:
                return groups
        raise too_long("数字力量", "卡片区", "、".join(k.label for k in items))

    def cards(self, items: list[M.KeyFigure], region: Frame) -> tuple[BoxPlan, ...] | None:
        """One row of cards inside the region, or None if they cannot fit at min_body_size."""
        k = len(items)
        r = region.box
        cw = (r.w - (k - 1) * GAP) // k
        inner = cw - 2 * PAD
        d = self.theme.deck
        for label_size in self.sizes(region.size):
            detail_size = max(self.min_size, label_size - 4)
            value_size = next((s for s in self.sizes(d.card_number_size)
                               if all(self.text_fits(value_text(f, s), inner, 10 ** 9) for f in items)), None)
            if value_size is None:
                return None
            labels = [TextPlan((Para((TRun(f.label, "heading", color="ink"),)),), label_size, line_pt=pitch(label_size))
                      for f in items]
            details = [detail_text(f, detail_size) for f in items]
            values = [value_text(f, value_size) for f in items]
            lh = max(self.height(t, inner) for t in labels)
            vh = max(self.height(t, inner) for t in values)
            dh = max((self.height(t, inner) for t in details if t.paras), default=0)
            if lh > self.height(labels[0], inner, lines=3):  # labels of more than three lines: smaller
                continue
            gap = PAD // 2
            ch = TOP_BAR + PAD + lh + gap + vh + (gap + dh if dh else 0) + PAD
            if ch > r.h:
                continue
            room = max(0, int(CARD_HEIGHT * r.h) - ch)  # a card is at least this tall: the figure sits low
            ch += room
            y0 = r.y + (r.h - ch) // 2
            out: list[BoxPlan] = []
            for n, f in enumerate(items):
                x = r.x + n * (cw + GAP)
                y = y0 + TOP_BAR + PAD
                vy = y + lh + gap + room
                out += [BoxPlan(f"卡片{n + 1}", Box(x, y0, cw, ch), fill="tint"),
                        BoxPlan(f"卡片{n + 1}线", Box(x, y0, cw, TOP_BAR), fill="primary"),
                        BoxPlan(f"卡片{n + 1}名称", Box(x + PAD, y, inner, lh), labels[n]),
                        BoxPlan(f"卡片{n + 1}数字", Box(x + PAD, vy, inner, vh), values[n], anchor="b")]
                if details[n].paras:
                    out.append(BoxPlan(f"卡片{n + 1}说明", Box(x + PAD, vy + vh + gap, inner, dh), details[n]))
            return tuple(out)
        return None

    def chart(self, part: M.Section, c: M.Chart) -> SlidePlan:
        L = "图表"
        frame = self.geo[L]["图表区"]
        ct = self.theme.chart
        scale = frame.box.w / EMU_PER_MM / ct.width_mm  # keep the print proportions of chart text
        label = max(self.min_size, round(ct.label_size * scale))
        tick = max(self.min_size, round(ct.tick_size * scale))
        source = " ".join(x for x in (c.data.source, c.data.note) if x)
        texts = [self.kicker(L, part), self.one(L, "标题", c.caption)]
        if source:
            texts.append(self.one(L, "来源", source))
        return SlidePlan(L, tuple(texts), chart=("图表区", ChartPlan(c, label, tick)))

    def review(self, part: M.Section, r: M.Review) -> list[SlidePlan]:
        L = "回顾"
        points = [Para(body_runs(p), bullet=True) for p in r.points]
        pages = self.paginate(L, "正文", points) if points else []
        notes = TextPlan((Para(body_runs(r.text)),), None)
        out = []
        for n, page in enumerate(pages or [None]):
            texts = [self.kicker(L, part), self.one(L, "标题", r.heading + (CONTINUED if n else ""))]
            if page is not None:
                texts.append(("正文", page))
            out.append(SlidePlan(L, tuple(texts), notes=notes))
        return out

    def photo(self, part: M.Section, p: M.Photo) -> SlidePlan:
        L = "图片"
        texts = [self.kicker(L, part), self.one(L, "说明", p.caption)]
        if p.image is not None and Path(p.image).is_file():
            return SlidePlan(L, tuple(texts), picture=("图片区", p))
        frame = self.geo[L]["图片区"]
        inset = int(0.3 * EMU_PER_IN)
        label = photo_placeholder(p.caption, p.name)
        inner = Frame(Box(0, 0, frame.box.w - 2 * inset, frame.box.h - 2 * inset), frame.size, (0, 0, 0, 0))
        text = self.fit(inner, [Para((TRun(label, "caption", color="muted"),), align="ctr")])
        if text is None:
            raise too_long(L, "图片区", label)
        return SlidePlan(L, tuple(texts), (BoxPlan("图片占位", frame.box, text, fill="placeholder",
                                                   insets=(inset,) * 4, anchor="ctr"),))

    def closing(self, s: M.Section) -> SlidePlan:
        L = "结束"
        goals = [g for b in s.blocks if isinstance(b, M.Points) for g in b.items]
        notes = self.notes([b for b in s.blocks if not isinstance(b, M.Points)])
        texts = (self.one(L, "标题", self.doc.subtitle or self.doc.title),)
        return SlidePlan(L, texts, self.tiles([M.plain(g) for g in goals], self.geo[L]["目标区"]), notes=notes)

    def tiles(self, goals: list[str], region: Frame) -> tuple[BoxPlan, ...]:
        """The goals as a row (or rows of up to five) of equal tiles, one text size for all, one line if possible."""
        if not goals:
            return ()
        per_row = min(5, len(goals))
        rows = math.ceil(len(goals) / per_row)
        r = region.box
        tw = (r.w - (per_row - 1) * GAP) // per_row
        pad = PAD // 2
        inner = tw - 2 * pad
        for max_lines in (1, 2):
            for size in self.sizes(region.size):
                texts = [TextPlan((Para((TRun(g, "heading", color="primary_dark"),), align="ctr"),), size,
                                  line_pt=pitch(size)) for g in goals]
                if any(self.height(t, inner) > self.height(t, inner, lines=max_lines) for t in texts):
                    continue
                th = max(max(self.height(t, inner) for t in texts) + 2 * PAD + TOP_BAR, int(1.3 * EMU_PER_IN))
                if th * rows + GAP * (rows - 1) > r.h:
                    continue
                y0 = r.y + (r.h - (th * rows + GAP * (rows - 1))) // 2
                out: list[BoxPlan] = []
                for n, t in enumerate(texts):
                    row, col = divmod(n, per_row)
                    in_row = min(per_row, len(goals) - row * per_row)
                    x0 = r.x + (r.w - (in_row * tw + (in_row - 1) * GAP)) // 2
                    x, y = x0 + col * (tw + GAP), y0 + row * (th + GAP)
                    out += [BoxPlan(f"目标{n + 1}", Box(x, y, tw, th), t, fill="tint",
                                    insets=(pad, PAD + TOP_BAR, pad, PAD), anchor="ctr"),
                            BoxPlan(f"目标{n + 1}线", Box(x, y, tw, TOP_BAR), fill="primary")]
                return tuple(out)
        raise too_long("结束", "目标区", "、".join(goals))

    def notes(self, blocks: Iterable[M.Block]) -> TextPlan | None:
        paras = tuple(Para(body_runs(r)) for r in block_inlines(blocks))
        return TextPlan(paras, None) if paras else None


def plan(doc: M.Document, geometry: Geometry, theme: "Theme") -> list[SlidePlan]:
    """The deck as slide plans: pure, from the document, the template's geometry and the theme."""
    return Planner(doc, geometry, theme).slides()


def kicker_text(part: M.Section) -> str:
    return f"{part.number:02d}  {part.title}"


def body_runs(runs: M.Inline) -> tuple[TRun, ...]:
    """Body text; figures bound from data stand out in the primary colour."""
    return tuple(TRun(r.text, "body", color="primary" if r.figure else None) for r in runs if r.text)


def block_inlines(blocks: Iterable[M.Block]) -> list[M.Inline]:
    out: list[M.Inline] = []
    for b in blocks:
        match b:
            case M.Paragraph(runs=r):
                out.append(r)
            case M.Heading(text=t):
                out.append((M.Run(t),))
            case M.Quote(runs=r, speaker=s):
                out.append(r + ((M.Run(speaker(s)),) if s else ()))
            case M.Points(items=items):
                out += list(items)
    return out


def value_text(f: M.KeyFigure, size: float) -> TextPlan:
    """Big number, smaller unit, one line."""
    runs = (TRun(f.value.number, "figure", color="primary"), TRun(f.value.unit, "figure", 0.5, color="primary"))
    return TextPlan((Para(tuple(r for r in runs if r.text)),), size, line_pt=pitch(size))


def detail_text(f: M.KeyFigure, size: float) -> TextPlan:
    lines: list[Para] = []
    if f.before:
        lines.append(Para((TRun(change(f.before, f.value), "caption", color="ink"),)))
    elif f.value.period:
        lines.append(Para((TRun(f.value.period, "caption", color="muted"),)))
    if f.growth:
        lines.append(Para((TRun(growth(f.growth).text, "caption", color="primary"),)))
    if f.note:
        lines.append(Para((TRun(f.note, "caption", color="muted"),)))
    return TextPlan(tuple(lines), size, line_pt=pitch(size))
