"""Slides for distinct jobs: chart with its call-out, points with a photo, hero figures, two columns, honours, quote."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from generators import model as M
from generators.typography import photo_placeholder
from generators.writers.pptx.cards import GAP, PAD, TOP_BAR, Cards
from generators.writers.pptx.fit import pitch, too_long
from generators.writers.pptx.measure import EMU_PER_IN, EMU_PER_MM
from generators.writers.pptx.runs import block_inlines, body_runs, kicker_text
from generators.writers.pptx.slides import Box, BoxPlan, ChartPlan, Frame, Para, SlidePlan, TextPlan, TRun

HERO_SCALE, HERO_SCALE_ONE = 1.6, 2.2  # hero or call-out figures: this many times the card number size at most
LEAD_RULE_X, LEAD_RULE_W = int(0.25 * EMU_PER_IN), int(0.06 * EMU_PER_IN)
GROW = 1.25  # a short list of points may be set up to this many times the template's size, to fill its box
FEW_POINTS = 0.15  # beside hero figures, each point fewer than four lets the points grow this much more
MAX_CALLOUTS = 2  # key figures called out beside a chart at most
HONOUR_ROW = int(1.25 * EMU_PER_IN)  # an honour row is at most this tall


class DesignSlides(Cards):
    """The layouts beyond cover, contents and plain points; each fills its template regions.

    The planner (plan.Planner) sets `doc`, the document being planned.
    """

    doc: M.Document

    def kicker(self, layout: str, part: M.Section) -> tuple[str, TextPlan]:
        return self.one(layout, "栏目", kicker_text(part))

    def points(self, layout: str, ph: str, items: tuple[M.Inline, ...], grow: float = GROW) -> TextPlan:
        return self.filled(layout, ph, [Para(body_runs(p), bullet=True) for p in items], grow)

    def filled(self, layout: str, ph: str, paras: list[Para], grow: float = GROW) -> TextPlan:
        """Type sized to the space: the largest size up to `grow` × the template's (and not above the slide
        title's) that fits, else shrunk to fit; a size that leaves one character alone on a line is passed over."""
        frame = self.geo[layout][ph]
        title = self.geo[layout].get("标题")
        top = min(frame.size * grow, title.size if title else math.inf)  # never above the title
        t = self.clean_fit(frame, paras, top)
        if t is None:
            raise too_long(layout, ph, "\n".join(p.text for p in paras))
        return t

    def clean_fit(self, frame: Frame, paras: list[Para], top: float | None = None) -> TextPlan | None:
        """The largest size from `top` (default the frame's) down that fits, passing over (by at most 3 pt) a
        size that leaves one character alone on a line; None if nothing fits at the floor."""
        w, h = frame.inner
        top = math.floor(top or frame.size)
        sizes = [float(s) for s in range(top, math.floor(frame.size), -1)] + self.sizes(frame.size)
        fitting = [t for t in (self.plan_text(frame, paras, s) for s in sizes) if self.text_fits(t, w, h)]
        if not fitting:
            return None
        return next((t for t in fitting if t.pt >= fitting[0].pt - 3 and not self.orphans(t, w)), fitting[0])

    def orphans(self, t: TextPlan, width: int) -> bool:
        """Does a paragraph of `t` end with one character alone on its line?"""
        w = width - (t.margin if any(p.bullet for p in t.paras) else 0)
        return any(self.orphan(p.text, t.pt, w, p.runs[0].role) for p in t.paras if p.runs)

    def lead_rule(self, frame: Frame, t: TextPlan) -> BoxPlan:
        """The gold rule left of a lead paragraph, as tall as its text (the text is centred in its box)."""
        th = min(self.height(t, frame.inner[0]), frame.box.h)
        return BoxPlan("导语线", Box(frame.box.x - LEAD_RULE_X, frame.box.y + (frame.box.h - th) // 2,
                                     LEAD_RULE_W, th), fill="accent")

    def notes(self, blocks: Iterable[M.Block]) -> TextPlan | None:
        paras = tuple(Para(body_runs(r)) for r in block_inlines(blocks))
        return TextPlan(paras, None) if paras else None

    @staticmethod
    def review_notes(*reviews: M.Review) -> TextPlan:
        return TextPlan(tuple(Para(body_runs(r.text)) for r in reviews), None)

    # -- charts ---------------------------------------------------------------------------
    def chart(self, part: M.Section, c: M.Chart, callout: list[M.KeyFigure]) -> SlidePlan:
        """Title that says what the chart shows (its caption below); the key figures it plots called out beside."""
        callout = callout if len(callout) <= MAX_CALLOUTS else []  # many: the chart's own labels show them
        L = "图表要点" if callout else "图表"
        frame = self.geo[L]["图表区"]
        ct = self.theme.chart
        scale = frame.box.w / EMU_PER_MM / ct.width_mm  # keep the print proportions of chart text
        label = max(self.min_size, round(ct.label_size * scale))
        tick = max(self.min_size, round(ct.tick_size * scale))
        source = " ".join(x for x in (c.data.source, c.data.note) if x)
        title = c.data.headline or c.caption
        texts = [self.kicker(L, part), self.one(L, "标题", title)]
        if c.data.headline:
            texts.append(self.one(L, "副标题", c.caption, role="caption"))
        if source:
            texts.append(self.one(L, "来源", source))
        shapes: tuple[BoxPlan, ...] = ()
        if callout:
            region = self.geo[L]["要点区"]
            panel = BoxPlan("要点底", region.box, fill="tint")
            inner = Frame(Box(region.box.x + PAD, region.box.y + PAD, region.box.w - 2 * PAD,
                              region.box.h - 2 * PAD), region.size)
            shapes = (panel, *self.stack(L, "要点区", callout, inner))
        return SlidePlan(L, tuple(texts), shapes, chart=("图表区", ChartPlan(c, label, tick)))

    def stack(self, layout: str, ph: str, figs, region: Frame) -> tuple[BoxPlan, ...]:
        """Figures one above the other, as large as each one's share of the height allows, centred as a group."""
        n = len(figs)
        r = region.box
        h = (r.h - (n - 1) * 2 * GAP) // n
        big = self.theme.deck.card_number_size * (HERO_SCALE_ONE if n == 1 else HERO_SCALE)
        sizes = [self.lone_card(layout, ph, f, r, h, region.size, big) for f in figs]
        small = min(b.text.pt for cards in sizes for b in cards if b.name.endswith("数字") and b.text)
        groups = []
        for k, f in enumerate(figs):  # one number size for all: the largest every figure fits at
            cards = self.lone_card(layout, ph, f, r, h, region.size, small, first=k + 1)
            top = min(b.box.y for b in cards)
            groups.append(([replace(b, box=replace(b.box, y=b.box.y - top)) for b in cards],
                           max(b.box.y + b.box.h for b in cards) - top))
        y = r.y + (r.h - sum(gh for _, gh in groups) - (n - 1) * 2 * GAP) // 2
        out: list[BoxPlan] = []
        for boxes, gh in groups:
            out += [replace(b, box=replace(b.box, y=b.box.y + y)) for b in boxes]
            y += gh + 2 * GAP
        return tuple(out)

    def lone_card(self, layout: str, ph: str, f: M.KeyFigure, r: Box, h: int, size: float, big: float,
                  first: int = 1) -> tuple[BoxPlan, ...]:
        cards = self.cards([f], Frame(Box(r.x, r.y, r.w, h), size), number_size=big, share=0.0, fill=None,
                           first=first)
        if cards is None:
            raise too_long(layout, ph, f.label)
        return cards

    # -- photos ---------------------------------------------------------------------------
    def photo_shapes(self, layout: str, p: M.Photo) -> tuple[tuple[BoxPlan, ...], tuple[str, M.Photo] | None]:
        """The photo into its frame, or a labelled placeholder box where a photo is still missing."""
        if p.image is not None and Path(p.image).is_file():
            return (), ("图片区", p)
        frame = self.geo[layout]["图片区"]
        inset = int(0.3 * EMU_PER_IN)
        label = photo_placeholder(p.caption, p.name)
        inner = Frame(Box(0, 0, frame.box.w - 2 * inset, frame.box.h - 2 * inset), frame.size, (0, 0, 0, 0))
        text = self.clean_fit(inner, [Para((TRun(label, "caption", color="muted"),), align="ctr")])
        if text is None:
            raise too_long(layout, "图片区", label)
        return (BoxPlan("图片占位", frame.box, text, fill="placeholder", insets=(inset,) * 4, anchor="ctr"),), None

    def photo(self, part: M.Section, p: M.Photo) -> SlidePlan:
        """A photo on its own (only when nothing in the text goes with it)."""
        L = "图片"
        shapes, picture = self.photo_shapes(L, p)
        return SlidePlan(L, (self.kicker(L, part), self.one(L, "说明", p.caption)), shapes, picture=picture)

    def points_photo(self, part: M.Section, r: M.Review, photo: M.Photo) -> SlidePlan:
        L = "要点配图"
        shapes, picture = self.photo_shapes(L, photo)
        texts = (self.kicker(L, part), self.one(L, "标题", r.heading), ("正文", self.points(L, "正文", r.points)),
                 self.one(L, "说明", photo.caption))
        return SlidePlan(L, texts, shapes, picture=picture, notes=self.review_notes(r))

    # -- points with figures, two columns, honours -----------------------------------------
    def hero(self, part: M.Section, r: M.Review) -> SlidePlan:
        """The figures the points talk about, big on the left panel; the points on the right."""
        L = "大数字"
        grow = GROW + FEW_POINTS * max(0, 4 - len(r.points))  # two points beside big figures: set big
        texts = (self.kicker(L, part), self.one(L, "标题", r.heading), ("正文", self.points(L, "正文", r.points, grow)))
        return SlidePlan(L, texts, self.stack(L, "数字区", r.figures, self.geo[L]["数字区"]),
                         notes=self.review_notes(r))

    def figure_cards(self, part: M.Section, r: M.Review) -> SlidePlan:
        """Few points about several figures: the figures as cards, the points under them as the lead."""
        L = "数字力量"
        groups = self.card_groups(list(r.figures), self.geo[L]["卡片区"])
        if len(groups) > 1:
            return self.hero(part, r)
        lead = self.filled(L, "导语", [Para(body_runs(p)) for p in r.points])
        texts = (self.kicker(L, part), self.one(L, "标题", r.heading), ("导语", lead))
        return SlidePlan(L, texts, (*groups[0], self.lead_rule(self.geo[L]["导语"], lead)), notes=self.review_notes(r))

    def two_columns(self, part: M.Section, a: M.Review, b: M.Review) -> SlidePlan:
        """Two review items side by side, each with its heading over its points."""
        L = "对比"
        texts = (self.kicker(L, part), self.one(L, "标题", a.heading), self.one(L, "右标题", b.heading),
                 *self.same_size(L, (("左栏", a.points), ("右栏", b.points))))
        return SlidePlan(L, texts, notes=self.review_notes(a, b))

    def same_size(self, layout: str, columns) -> list[tuple[str, TextPlan]]:
        """Columns at one text size: the largest size at which every column fits."""
        fitted = {ph: self.points(layout, ph, items) for ph, items in columns}
        size = min(t.pt for t in fitted.values())
        frames = {ph: self.geo[layout][ph] for ph in fitted}
        return [(ph, self.plan_text(frames[ph], t.paras, size)) for ph, t in fitted.items()]

    def honours(self, part: M.Section, r: M.Review) -> SlidePlan:
        L = "荣誉"
        texts = (self.kicker(L, part), self.one(L, "标题", r.heading))
        return SlidePlan(L, texts, self.honour_rows([M.plain(p) for p in r.points], self.geo[L]["荣誉区"]),
                         notes=self.review_notes(r))

    def honour_rows(self, items: list[str], region: Frame) -> tuple[BoxPlan, ...]:
        """Each honour a row: its number in gold, the text at one size for all rows, rows centred in the region."""
        r = region.box
        n = len(items)
        gap = GAP // 2
        h = min(HONOUR_ROW, (r.h - (n - 1) * gap) // n)
        num_w = int(1.0 * EMU_PER_IN)
        inner = r.w - num_w - 2 * PAD - TOP_BAR
        for size in self.sizes(region.size):
            texts = [TextPlan((Para((TRun(t, "heading", color="ink"),)),), size, line_pt=pitch(size)) for t in items]
            if all(self.height(t, inner) <= h - PAD for t in texts):
                break
        else:
            raise too_long("荣誉", "荣誉区", "、".join(items))
        y0 = r.y + (r.h - (n * h + (n - 1) * gap)) // 2
        num_size = min(self.theme.deck.card_number_size, size * 1.4)
        out: list[BoxPlan] = []
        for k, t in enumerate(texts):
            y = y0 + k * (h + gap)
            num = TextPlan((Para((TRun(f"{k + 1:02d}", "figure", color="accent"),), align="ctr"),), num_size,
                           line_pt=pitch(num_size))
            out += [BoxPlan(f"荣誉{k + 1}", Box(r.x, y, r.w, h), fill="tint"),
                    BoxPlan(f"荣誉{k + 1}线", Box(r.x, y, TOP_BAR, h), fill="primary"),
                    BoxPlan(f"荣誉{k + 1}序号", Box(r.x + TOP_BAR, y, num_w, h), num, anchor="ctr"),
                    BoxPlan(f"荣誉{k + 1}文字", Box(r.x + TOP_BAR + num_w, y, inner + PAD, h), t,
                            insets=(0, 0, PAD, 0), anchor="ctr")]
        return tuple(out)

    # -- the closing ----------------------------------------------------------------------
    def closing(self, s: M.Section) -> list[SlidePlan]:
        """The statement as a quote, then the goals as tiles with the final message under them."""
        said = [b for b in s.blocks if isinstance(b, (M.Paragraph, M.Quote))]
        notes = self.notes(said)
        out: list[SlidePlan] = []
        if said:
            L = "引语"
            quote = [Para(tuple(TRun(x.text, "quote", color="primary" if x.figure else None) for x in runs))
                     for runs in block_inlines(said)]
            texts = [self.one(L, "栏目", self.theme.labels.closing), ("引语", self.must_fit(L, "引语", quote))]
            speakers = [b.speaker for b in said if isinstance(b, M.Quote) and b.speaker]
            if speakers:
                texts.append(self.one(L, "出处", "、".join(speakers)))
            out.append(SlidePlan(L, tuple(texts), notes=notes))
        L = "结束"
        goals = [M.plain(g) for b in s.blocks if isinstance(b, M.Points) for g in b.items]
        texts = [self.one(L, "标题", self.doc.subtitle or self.doc.title)]
        finale = [b.text for b in s.blocks if isinstance(b, M.Heading)]
        if finale:
            texts.append(self.one(L, "寄语", "\n".join(finale)))
        out.append(SlidePlan(L, tuple(texts), self.tiles(goals, self.geo[L]["目标区"]), notes=notes))
        return out
