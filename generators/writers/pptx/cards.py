"""Figure cards and goal tiles: rows of equal boxes inside a template region, type sized to fit."""

from __future__ import annotations

import math
from dataclasses import replace

from generators import model as M
from generators.typography import ARROW, change, growth
from generators.writers.pptx.fit import Fitter, pitch, too_long
from generators.writers.pptx.measure import EMU_PER_IN, EMU_PER_PT, FIT_WIDTH, width_fn, wrap
from generators.writers.pptx.slides import Box, BoxPlan, Frame, Para, TextPlan, TRun

# Card and tile geometry (EMU): the template gives the region, these give the rhythm inside it.
GAP = int(0.28 * EMU_PER_IN)
PAD = int(0.2 * EMU_PER_IN)
TOP_BAR = int(0.06 * EMU_PER_IN)
CARD_HEIGHT = 0.6  # share of the card region a card fills at least
FEWER_CARDS = 0.2  # each card fewer than four makes the numbers this much bigger
RULE_W = int(1.1 * EMU_PER_IN)  # the short rule over a figure set on a panel (as under slide titles)


class Cards(Fitter):
    """Key-figure cards and goal tiles."""

    def card_groups(self, items: list[M.KeyFigure], region: Frame) -> list[tuple[BoxPlan, ...]]:
        """2–4 cards a slide, spread evenly over as few slides as possible."""
        for per in (4, 3, 2, 1):
            count = math.ceil(len(items) / per)
            sizes = [len(items) // count + (1 if i < len(items) % count else 0) for i in range(count)]
            groups, start, ok = [], 0, True
            for k in sizes:
                # fewer cards, bigger numbers: the type takes the room the missing cards leave
                big = self.theme.deck.card_number_size * (1 + FEWER_CARDS * max(0, 4 - k))
                cards = self.cards(items[start:start + k], region, number_size=big)
                if cards is None:
                    ok = False
                    break
                groups.append(cards)
                start += k
            if ok:
                return groups
        raise too_long("数字力量", "卡片区", "、".join(k.label for k in items))

    def cards(self, items: list[M.KeyFigure], region: Frame, *, number_size: float | None = None,
              share: float = CARD_HEIGHT, fill: str | None = "tint", first: int = 1) -> tuple[BoxPlan, ...] | None:
        """One row of cards inside the region, or None if they cannot fit at min_body_size.

        number_size: the big number's largest size (default the theme's card_number_size); share: the part of
        the region's height a card fills at least; fill None: no card, only a short rule over the label (for
        figures on a panel); first: number of the first card in the shape names.
        """
        k = len(items)
        r = region.box
        cw = (r.w - (k - 1) * GAP) // k
        inner = cw - 2 * PAD
        sized = self._card_texts(items, region, inner, number_size or self.theme.deck.card_number_size)
        if sized is None:
            return None
        labels, values, details = sized
        lh = max(self.height(t, inner) for t in labels)
        vh = max(self.height(t, inner) for t in values)
        dh = max((self.height(t, inner) for t in details if t.paras), default=0)
        gap = PAD // 2
        ch = TOP_BAR + PAD + lh + gap + vh + (gap + dh if dh else 0) + PAD
        room = max(0, int(share * r.h) - ch)  # a card is at least this tall: the figure sits low
        ch += room
        y0 = r.y + (r.h - ch) // 2
        out: list[BoxPlan] = []
        for n in range(len(items)):
            x = r.x + n * (cw + GAP)
            y = y0 + TOP_BAR + PAD
            vy = y + lh + gap + room
            name = f"卡片{first + n}"
            out += [BoxPlan(name, Box(x, y0, cw, ch), fill=fill)] if fill else []
            out += [BoxPlan(f"{name}线", Box(x, y0, cw, TOP_BAR) if fill else Box(x + PAD, y0, min(inner, RULE_W), TOP_BAR),
                            fill="primary"),
                    BoxPlan(f"{name}名称", Box(x + PAD, y, inner, lh), labels[n]),
                    BoxPlan(f"{name}数字", Box(x + PAD, vy, inner, vh), values[n], anchor="b")]
            if details[n].paras:
                out.append(BoxPlan(f"{name}说明", Box(x + PAD, vy + vh + gap, inner, dh), details[n]))
        return tuple(out)

    def _card_texts(self, items: list[M.KeyFigure], region: Frame, inner: int, big: float):
        """Label, number and detail texts of the cards at the largest sizes that fit: the number shrinks first
        (to three quarters of the theme's card number size), then the labels (never to more than three lines)."""
        h = region.box.h
        gap = PAD // 2
        for label_size in self.sizes(region.size):
            detail_size = max(self.min_size, label_size - 4)
            labels = [TextPlan((Para((TRun(f.label, "heading", color="ink"),)),), label_size, line_pt=pitch(label_size))
                      for f in items]
            lh = max(self.height(t, inner) for t in labels)
            if lh > self.height(labels[0], inner, lines=3):  # labels of more than three lines: smaller
                continue
            if label_size > self.min_size and any(self.orphan(f.label, label_size, inner) for f in items):
                continue  # one character alone on a label's last line: a size smaller
            details = [self.change_lines(detail_text(f, detail_size), inner) for f in items]
            dh = max((self.height(t, inner) for t in details if t.paras), default=0)
            for value_size in [s for s in self.sizes(big) if s >= self.theme.deck.card_number_size * 0.75]:
                values = [value_text(f, value_size) for f in items]
                if not all(self.text_fits(v, inner, self.height(v, inner, lines=1)) for v in values):
                    continue  # the number and its unit on one line
                vh = max(self.height(t, inner) for t in values)
                if TOP_BAR + PAD + lh + gap + vh + (gap + dh if dh else 0) + PAD <= h:
                    return labels, values, details
        return None

    def change_lines(self, t: TextPlan, width: int) -> TextPlan:
        """A from → to line too long for the card breaks after the arrow, never inside a figure."""
        paras: list[Para] = []
        for p in t.paras:
            one = TextPlan((p,), t.size, line_pt=t.line_pt)
            if ARROW in p.text and self.height(one, width) > self.height(one, width, lines=1):
                before, after = p.text.split(ARROW, 1)
                run = p.runs[0]
                paras += [replace(p, runs=(replace(run, text=before + ARROW.rstrip()),)),
                          replace(p, runs=(replace(run, text=after),))]
            else:
                paras.append(p)
        return replace(t, paras=tuple(paras))

    def orphan(self, text: str, size: float, width: int, role: str = "heading") -> bool:
        """Could `text` wrap with a single character alone on its last line (at `size` pt in a box `width` EMU)?

        Checked at the measuring width and at the full width: clients whose fonts run narrower than ours fit
        a character more on a line.
        """
        measure = width_fn((self.font(role), *self.fallback), size)
        for share in (FIT_WIDTH, 1.0):
            lines = wrap(text, measure, width / EMU_PER_PT * share)
            if len(lines) > 1 and len(lines[-1].strip()) <= 1:
                return True
        return False

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
