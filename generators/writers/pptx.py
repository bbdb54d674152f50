"""PowerPoint writer: plan slides from a Document (pure), then fill templates/deck.pptx by layout and placeholder name."""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Pt

from generators import model as M
from generators.errors import InputError, Problem, ReportgenError, TemplateError
from generators.errors import shown
from generators.fonts import metrics
from generators.writers.ooxml import normalize_zip, save_normalized

if TYPE_CHECKING:
    from generators.theme import Theme
    from generators.writers import WriterEnv

TEMPLATE = "deck.pptx"
EMU_PER_PT = 12700
EMU_PER_IN = 914400
EMU_PER_MM = 36000

#: The template contract: layout name -> placeholder names it must have (docs/deck-template.md).
CONTRACT: dict[str, tuple[str, ...]] = {
    "封面": ("标题", "副标题", "场合", "署名", "页脚", "页码"),
    "目录": ("标题", "正文", "页脚", "页码"),
    "章节": ("编号", "标题", "页脚", "页码"),
    "数字力量": ("栏目", "标题", "卡片区", "页脚", "页码"),
    "图表": ("栏目", "标题", "图表区", "来源", "页脚", "页码"),
    "回顾": ("栏目", "标题", "正文", "页脚", "页码"),
    "图片": ("栏目", "图片区", "说明", "页脚", "页码"),
    "结束": ("标题", "目标区", "页脚", "页码"),
}

#: Theme font role of the text each placeholder holds (runs may name their own role).
PH_ROLE = {"标题": "title", "副标题": "heading", "场合": "caption", "署名": "caption", "正文": "body",
           "编号": "figure", "栏目": "caption", "来源": "caption", "说明": "caption", "页脚": "caption",
           "页码": "caption"}

#: Roles drawn bold in Office: their office font has a real bold face and their print font is bold.
BOLD_ROLES = frozenset({"figure"})

# Words the writer itself adds around the data (not county content).
CONTINUED = "（续）"
PHOTO_MISSING = "图片待补充："
GROWTH = "增长"
UNIT = "单位："
ARROW = " → "

FURNITURE = ("页脚", "页码")  # on every slide; python-pptx does not copy these placeholders

# Card and tile geometry (EMU): the template gives the region, these give the rhythm inside it.
GAP = int(0.28 * EMU_PER_IN)
PAD = int(0.2 * EMU_PER_IN)
TOP_BAR = int(0.06 * EMU_PER_IN)
CARD_HEIGHT = 0.6  # share of the card region a card fills at least
SLACK = 3 * EMU_PER_PT  # boxes get a little more height than measured, never less
FIT_WIDTH = 0.97  # measure against 97 % of the width: client fonts differ slightly from ours
SINGLE = 1.2  # single line spacing as a multiple of the size (PowerPoint's convention)

NO_START = set("，。、；：？！）》」』】〕〉”’…—·%％,.;:?!)]}")
NO_END = set("（《「『【〔〈“‘([{")
SENTENCE_END = re.compile(r"(?<=[。！？；])")
_TOKEN = re.compile(r"[A-Za-z0-9_.%+\-/]+|\s+|.", re.S)


# ======================================================================================
# Measuring text with the bundled fonts
# ======================================================================================


def _advance(ch: str, fonts: tuple[Path, ...]) -> float:
    """Advance of one character in em: first font that has it, else a wide/narrow guess."""
    for f in fonts:
        m = metrics(f)
        a = m.advances.get(ord(ch))
        if a is not None:
            return a / m.upm
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6


def _width_fn(fonts: tuple[Path, ...], size: float) -> Callable[[str], float]:
    cache: dict[str, float] = {}

    def width(s: str) -> float:
        if s not in cache:
            cache[s] = sum(_advance(c, fonts) for c in s) * size
        return cache[s]

    return width


def wrap(text: str, width: Callable[[str], float], max_w: float) -> list[str]:
    """Lines as a slide client breaks them: CJK per character, Latin per word, no line opening with ，。 etc."""
    lines: list[str] = []
    for para in text.split("\n"):
        tokens: list[str] = []
        for t in _TOKEN.findall(para):
            tokens += list(t) if len(t) > 1 and width(t) > max_w else [t]
        line: list[str] = []
        w = 0.0
        for t in tokens:
            if t.isspace():
                if line:
                    line.append(t)
                    w += width(t)
                continue
            tw = width(t)
            if line and w + tw > max_w:
                carry: list[str] = []
                if t[0] in NO_START and len(line) > 1:  # push the last character down with it
                    carry.insert(0, line.pop())
                while len(line) > 1 and line[-1][-1] in NO_END:
                    carry.insert(0, line.pop())
                lines.append("".join(line).rstrip())
                line = carry
                w = sum(width(x) for x in line)
            line.append(t)
            w += tw
        lines.append("".join(line).rstrip())
    return lines


def text_height(text: str, font_file: Path, size_pt: float, box_w_emu: int, *, line_pt: float | None = None,
                space_before: float = 0.0, fallback: tuple[Path, ...] = ()) -> float:
    """Height in pt the text needs in a box `box_w_emu` wide; inf if a single character is wider than the box.

    line_pt: exact line pitch (the writer sets exact spacing); None: the font's own ascent + descent + gap.
    """
    fonts = (Path(font_file), *fallback)
    width = _width_fn(fonts, size_pt)
    max_w = box_w_emu / EMU_PER_PT * FIT_WIDTH
    lines = wrap(text, width, max_w)
    if any(width(line) > max_w for line in lines):
        return math.inf
    paras = text.count("\n") + 1
    pitch = line_pt if line_pt is not None else size_pt * metrics(fonts[0]).line
    return len(lines) * pitch + paras * space_before


def fits(text: str, font_file: Path, size_pt: float, box_w_emu: int, box_h_emu: int, *,
         line_pt: float | None = None, space_before: float = 0.0, fallback: tuple[Path, ...] = ()) -> bool:
    """Does `text` (paragraphs split by newlines) fit a text area of box_w × box_h EMU at size_pt?

    Wraps as PowerPoint does (CJK per character, Latin per word, no line opening with ，。), keeps 3 %
    of the width free for client fonts that run a little wider, counts every paragraph's space-before.
    Line pitch: `line_pt` when the paragraph has exact spacing, else the font's full ascent+descent.
    """
    return text_height(text, font_file, size_pt, box_w_emu, line_pt=line_pt, space_before=space_before,
                       fallback=fallback) <= box_h_emu / EMU_PER_PT + 1e-6


def measuring_font(theme: "Theme", typeface: str, bold: bool) -> Path:
    """The bundled font that stands in for an Office font name when measuring (role with that name and weight)."""
    from generators.theme import ROLES

    same = [r for r in ROLES if theme.role(r).office == typeface]
    exact = [r for r in same if (r in BOLD_ROLES) == bold]
    role = (exact or same or ["body"])[0]
    return theme.font_path(theme.role(role).print)


# ======================================================================================
# Slide plans (pure data)
# ======================================================================================


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class Frame:
    """What planning needs of a template placeholder: where it is and how its text is set."""

    box: Box
    size: float  # pt, the template's text size
    insets: tuple[int, int, int, int] = (91440, 45720, 91440, 45720)  # l t r b
    margin: int = 0  # bullet paragraphs: left margin (EMU)
    indent: int = 0  # bullet paragraphs: first-line indent (negative = hanging)
    space_before: float = 0.0  # pt
    spacing: float = 1.0  # line spacing as the template states it (multiple of single spacing)
    prompt: str = ""  # the layout's own text (a label the template owns, e.g. 目录)

    @property
    def inner(self) -> tuple[int, int]:
        l, t, r, b = self.insets
        return self.box.w - l - r, self.box.h - t - b


Geometry = dict[str, dict[str, Frame]]  # layout -> placeholder -> frame


@dataclass(frozen=True)
class TRun:
    text: str
    role: str
    scale: float = 1.0  # relative to the frame's size
    color: str | None = None  # palette key; None inherits the template's colour


@dataclass(frozen=True)
class Para:
    runs: tuple[TRun, ...]
    bullet: bool = False
    align: str | None = None  # l | ctr | r; None inherits

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class TextPlan:
    paras: tuple[Para, ...]
    size: float | None  # pt; None leaves the size to the template (speaker notes)
    margin: int = 0
    indent: int = 0
    space_before: float = 0.0
    line_pt: float | None = None  # exact line pitch; None leaves spacing to the template (notes)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)


@dataclass(frozen=True)
class BoxPlan:
    """A free shape: filled rectangle and/or text box."""

    name: str
    box: Box
    text: TextPlan | None = None
    fill: str | None = None  # palette key
    insets: tuple[int, int, int, int] = (0, 0, 0, 0)
    anchor: str = "t"


@dataclass(frozen=True)
class ChartPlan:
    chart: M.Chart
    label_size: float
    tick_size: float


@dataclass(frozen=True)
class SlidePlan:
    layout: str
    texts: tuple[tuple[str, TextPlan], ...] = ()  # placeholder name -> text
    shapes: tuple[BoxPlan, ...] = ()
    chart: tuple[str, ChartPlan] | None = None  # placeholder name, chart
    picture: tuple[str, M.Photo] | None = None  # placeholder name, photo with an image file
    notes: TextPlan | None = None


class Planner:
    """Turns a Document into slide plans: fitting text to the template's boxes, splitting what is too long."""

    def __init__(self, doc: M.Document, geometry: Geometry, theme: "Theme"):
        self.doc = doc
        self.geo = geometry
        self.theme = theme
        self.min_size = theme.deck.min_body_size
        self.fallback = tuple(theme.font_path(f) for f in theme.fonts.fallback)

    # -- fitting -----------------------------------------------------------------------
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

        def pack(size: float) -> list[list[tuple[int, Para]]] | None:
            pages: list[list[tuple[int, Para]]] = [[]]
            for u in units:
                if self.text_fits(self.plan_text(frame, [x for _, x in [*pages[-1], u]], size), w, h):
                    pages[-1].append(u)
                elif pages[-1] and self.text_fits(self.plan_text(frame, [u[1]], size), w, h):
                    pages.append([u])
                else:
                    return None
            return pages

        least = pack(floor)
        if least is None:
            raise too_long(layout, ph, "\n".join(p.text for p in paras))
        for s in self.sizes(frame.size):
            pages = pack(s)
            if pages is not None and len(pages) == len(least):
                # pieces of one paragraph that share a page become one paragraph again (never taller)
                return [self.plan_text(frame, rejoin(page), s) for page in pages]
        raise AssertionError("unreachable: the floor size packs")

    def one(self, layout: str, ph: str, text: str, role: str | None = None, **kw) -> tuple[str, TextPlan]:
        return ph, self.must_fit(layout, ph, [Para((TRun(text, role or PH_ROLE[ph]),), **kw)])

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
        label = PHOTO_MISSING + p.caption + (f"（{p.name}）" if p.name else "")
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


def pitch(size: float, spacing: float = 1.0) -> float:
    """Exact line pitch in pt: written as exact spacing, so every client sets the lines the plan measured."""
    return round(size * SINGLE * spacing, 1)


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
                out.append(r + ((M.Run("——" + s),) if s else ()))
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
        lines.append(Para((TRun(f"{f.before.period} {f.before.text}{ARROW}{f.value.period} {f.value.text}", "caption",
                                color="ink"),)))
    elif f.value.period:
        lines.append(Para((TRun(f.value.period, "caption", color="muted"),)))
    if f.growth:
        lines.append(Para((TRun(f"{GROWTH} {f.growth.text}", "caption", color="primary"),)))
    if f.note:
        lines.append(Para((TRun(f.note, "caption", color="muted"),)))
    return TextPlan(tuple(lines), size, line_pt=pitch(size))


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


# ======================================================================================
# Emitting: the only code that touches python-pptx
# ======================================================================================

_RPR_AFTER_FONTS = {qn(f"a:{t}") for t in ("cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst")}
SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def set_fonts(rpr, typeface: str) -> None:
    """Name the font in both the Latin and the East Asian slot (schema order: … latin, ea, cs …)."""
    for tag in ("latin", "ea"):
        for el in rpr.findall(qn(f"a:{tag}")):
            rpr.remove(el)
    after = next((c for c in rpr if c.tag in _RPR_AFTER_FONTS), None)
    for tag in ("latin", "ea"):
        el = etree.Element(qn(f"a:{tag}"), typeface=typeface)
        if after is not None:
            after.addprevious(el)
        else:
            rpr.append(el)


class Emitter:
    """Fills a copy of the template with the planned slides."""

    def __init__(self, prs, layouts: dict, theme: "Theme"):
        self.prs = prs
        self.layouts = layouts  # name -> (layout, {placeholder name: layout placeholder})
        self.theme = theme

    def color(self, key: str) -> RGBColor:
        return rgb(getattr(self.theme.palette, key))

    def rpr(self, parent, run: TRun, size: float | None):
        rpr = etree.SubElement(parent, qn("a:rPr"), lang="zh-CN", altLang="en-US")
        if size is not None:
            rpr.set("sz", str(round(size * run.scale * 100)))
        rpr.set("b", "1" if run.role in BOLD_ROLES else "0")
        if run.color:
            fill = etree.SubElement(rpr, qn("a:solidFill"))
            etree.SubElement(fill, qn("a:srgbClr"), val=getattr(self.theme.palette, run.color)[1:].upper())
        set_fonts(rpr, self.theme.role(run.role).office)
        return rpr

    def fill_text(self, txbody, t: TextPlan) -> None:
        for p in txbody.findall(qn("a:p")):
            txbody.remove(p)
        if not t.paras:
            etree.SubElement(txbody, qn("a:p"))  # a text body holds at least one paragraph
        for para in t.paras:
            p = etree.SubElement(txbody, qn("a:p"))
            ppr = etree.SubElement(p, qn("a:pPr"), marL=str(t.margin if para.bullet else 0),
                                   indent=str(t.indent if para.bullet else 0))
            if para.align:
                ppr.set("algn", para.align)
            if t.line_pt is not None:
                etree.SubElement(etree.SubElement(ppr, qn("a:lnSpc")), qn("a:spcPts"), val=str(round(t.line_pt * 100)))
            etree.SubElement(etree.SubElement(ppr, qn("a:spcBef")), qn("a:spcPts"),
                             val=str(round(t.space_before * 100)))
            if not para.bullet:
                etree.SubElement(ppr, qn("a:buNone"))
            for run in para.runs:
                r = etree.SubElement(p, qn("a:r"))
                self.rpr(r, run, t.size)
                etree.SubElement(r, qn("a:t")).text = run.text

    def slide(self, sp: SlidePlan) -> None:
        layout, phs = self.layouts[sp.layout]
        slide = self.prs.slides.add_slide(layout)
        by_idx = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
        used: set[int] = set()

        def target(name: str):
            idx = phs[name].placeholder_format.idx
            used.add(idx)
            return by_idx.get(idx)

        for name, text in sp.texts:
            if name in FURNITURE:
                self.furniture(slide, phs[name], name, text)
                continue
            ph = target(name)
            if ph is None:  # a placeholder type python-pptx does not copy to slides: a plain box in its place
                self.box(slide, BoxPlan(name, Box(*box_of(phs[name])), text, insets=(91440, 45720, 91440, 45720)))
                continue
            ph.name = name
            self.fill_text(ph.text_frame._txBody, text)
        if sp.chart:
            name, cp = sp.chart
            self.chart(slide, target(name), phs[name], cp)
        if sp.picture:
            name, photo = sp.picture
            ph = target(name)
            if ph is not None and hasattr(ph, "insert_picture"):
                pic = ph.insert_picture(str(photo.image))
            else:
                pic = slide.shapes.add_picture(str(photo.image), *box_of(phs[name]))
            pic.name = name
            pic._element.nvPicPr.cNvPr.set("descr", photo.caption)
        for idx, ph in by_idx.items():  # regions (卡片区, 目标区 …) and anything left empty
            if idx not in used:
                ph._element.getparent().remove(ph._element)
        for bp in sp.shapes:
            self.box(slide, bp)
        if sp.notes is not None:
            self.fill_text(slide.notes_slide.notes_text_frame._txBody, sp.notes)

    def box(self, slide, bp: BoxPlan) -> None:
        tb = slide.shapes.add_textbox(bp.box.x, bp.box.y, bp.box.w, bp.box.h)
        tb.name = bp.name
        if bp.fill:
            tb.fill.solid()
            tb.fill.fore_color.rgb = self.color(bp.fill)
        tf = tb.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE  # python-pptx text boxes grow to their text by default
        tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = bp.insets
        tf.vertical_anchor = {"t": MSO_ANCHOR.TOP, "ctr": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}[bp.anchor]
        self.fill_text(tf._txBody, bp.text or TextPlan((), None))

    def furniture(self, slide, layout_ph, name: str, text: TextPlan) -> None:
        """Footer and slide number: copied from the layout (python-pptx does not), position and style inherited."""
        sp = copy.deepcopy(layout_ph._element)
        sp.nvSpPr.cNvPr.set("id", str(slide.shapes._next_shape_id))
        sp.nvSpPr.cNvPr.set("name", name)
        for child in list(sp.spPr):
            sp.spPr.remove(child)
        txbody = sp.find(qn("p:txBody"))
        style = txbody.find(qn("a:lstStyle"))
        for child in list(style if style is not None else ()):
            style.remove(child)
        old = txbody.find(f".//{qn('a:fld')}")
        self.fill_text(txbody, text)
        if name == "页码":  # the number as a field, so it stays right when slides are moved
            r = txbody.find(f".//{qn('a:r')}")
            r.tag = qn("a:fld")
            r.set("id", old.get("id") if old is not None else SLIDENUM_FIELD_ID)
            r.set("type", "slidenum")
        slide.shapes._spTree.append(sp)

    def chart(self, slide, ph, layout_ph, cp: ChartPlan) -> None:
        d = cp.chart.data
        kind = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "before_after": XL_CHART_TYPE.COLUMN_CLUSTERED,
                "bar": XL_CHART_TYPE.BAR_CLUSTERED, "growth": XL_CHART_TYPE.BAR_CLUSTERED,
                "composition": XL_CHART_TYPE.DOUGHNUT, "line": XL_CHART_TYPE.LINE_MARKERS}.get(d.kind)
        if kind is None:
            raise ReportgenError(f"幻灯片不支持图表类型“{d.kind}”（图表 {d.id}）")
        fmt = "0" if d.decimals <= 0 else "0." + "0" * d.decimals
        if d.kind in ("growth", "composition") or d.unit == "%":
            fmt += '"%"'
        data = CategoryChartData(number_format=fmt)
        data.categories = list(d.categories)
        for s in d.series:
            data.add_series(s.label, list(s.values))
        if ph is not None and hasattr(ph, "insert_chart"):
            frame = ph.insert_chart(kind, data)
        else:
            if ph is not None:
                ph._element.getparent().remove(ph._element)
            frame = slide.shapes.add_chart(kind, *box_of(layout_ph), data)
        frame.name = cp.chart.caption
        frame._element.nvGraphicFramePr.cNvPr.set("descr", d.alt)
        chart = frame.chart
        chart.has_title = False  # the slide title is the caption (图N …)
        chart.font.size = Pt(cp.tick_size)
        chart.font.color.rgb = self.color("ink")
        palette = self.theme.palette.chart
        plot = chart.plots[0]
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = fmt
        labels.number_format_is_linked = False
        labels.font.size = Pt(cp.label_size)
        labels.font.bold = True
        many = len(d.series) > 1
        if d.kind == "composition":
            labels.show_value = True
            labels.font.color.rgb = self.color("paper")
            for i, point in enumerate(plot.series[0].points):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = rgb(palette[i % len(palette)])
            chart.has_legend = True
            chart.legend.position = XL_LEGEND_POSITION.RIGHT
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(cp.tick_size)
        else:
            labels.position = XL_LABEL_POSITION.ABOVE if d.kind == "line" else XL_LABEL_POSITION.OUTSIDE_END
            if hasattr(plot, "gap_width"):
                plot.gap_width = 120 if len(d.categories) <= 2 else 70
            for i, series in enumerate(plot.series):
                c = rgb(palette[i % len(palette)])
                if d.kind == "line":
                    series.format.line.color.rgb = c
                    series.format.line.width = Pt(2.5)
                    series.marker.format.fill.solid()
                    series.marker.format.fill.fore_color.rgb = c
                    series.smooth = False
                else:
                    series.format.fill.solid()
                    series.format.fill.fore_color.rgb = c
            if d.kind == "before_after" and not many:
                points = plot.series[0].points
                for i in range(len(d.categories) - 1):  # earlier states in the second colour, the latest in the first
                    points[i].format.fill.solid()
                    points[i].format.fill.fore_color.rgb = rgb(palette[1])
            chart.has_legend = many
            if many:
                chart.legend.position = XL_LEGEND_POSITION.BOTTOM
                chart.legend.include_in_layout = False
            va, ca = chart.value_axis, chart.category_axis
            va.has_major_gridlines = self.theme.chart.grid
            if va.has_major_gridlines:
                va.major_gridlines.format.line.color.rgb = self.color("rule")
                va.major_gridlines.format.line.width = Pt(0.75)
            va.format.line.fill.background()
            va.tick_labels.font.size = Pt(cp.tick_size)
            va.tick_labels.font.color.rgb = self.color("muted")
            va.has_title = True
            va.axis_title.text_frame.text = UNIT + d.unit
            va.axis_title.text_frame._bodyPr.set("rot", "0")  # Chinese reads upright, not turned 90°
            va.axis_title.text_frame._bodyPr.set("vert", "horz")
            va.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(cp.tick_size)
            va.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False
            va.axis_title.text_frame.paragraphs[0].runs[0].font.color.rgb = self.color("muted")
            ca.format.line.color.rgb = self.color("rule")
            ca.tick_labels.font.size = Pt(cp.tick_size)
            ca.has_major_gridlines = False
            ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # clear of bars that go below zero
            if d.kind in ("bar", "growth"):  # first category on top, value axis at the bottom
                ca.reverse_order = True
                va._element.find(qn("c:crosses")).set("val", "max")  # python-pptx sets this on the other axis only
        office = self.theme.role("caption").office
        cs = chart._chartSpace
        for el in cs.iter(qn("a:defRPr"), qn("a:rPr"), qn("a:endParaRPr")):
            set_fonts(el, office)


def rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_[1:])


def box_of(ph) -> tuple[int, int, int, int]:
    return ph.left, ph.top, ph.width, ph.height


# -- reading the template ----------------------------------------------------------------


def open_template(path: Path):
    where = shown(path)
    if not path.is_file():
        raise TemplateError(Problem(where, message="找不到幻灯片模板；可运行 python tools/make_deck_template.py 重新生成"))
    try:
        return Presentation(str(path))
    except Exception as exc:  # noqa: BLE001 - any unreadable template is an input problem
        raise TemplateError(Problem(where, message=f"幻灯片模板无法打开（{type(exc).__name__}）；请用 PowerPoint 另存为 .pptx")) \
            from None


def find_layouts(prs, path: Path) -> dict:
    """Layouts and their placeholders by name; every missing one is reported at once."""
    where = shown(path)
    found: dict[str, object] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name, layout)
    problems, out = [], {}
    for name, needed in CONTRACT.items():
        layout = found.get(name)
        if layout is None:
            problems.append(Problem(where, field=f"版式：{name}", message=(
                f"模板中没有名为“{name}”的幻灯片版式（现有：{'、'.join(found) or '无'}）。"
                f"请在 PowerPoint 中打开模板，“视图 → 幻灯片母版”，右击对应版式 → “重命名版式”，改为“{name}”")))
            continue
        phs = {}
        for ph in layout.placeholders:
            phs.setdefault(ph.name, ph)
        for ph_name in needed:
            if ph_name not in phs:
                problems.append(Problem(where, field=f"版式：{name} / 占位符：{ph_name}", message=(
                    f"版式“{name}”中没有名为“{ph_name}”的占位符（现有：{'、'.join(phs) or '无'}）。"
                    f"请在幻灯片母版中选中该版式，“开始 → 排列 → 选择窗格”，把对应占位符重命名为“{ph_name}”")))
        out[name] = (layout, phs)
    if problems:
        raise TemplateError(problems)
    return out


def geometry(layouts: dict, prs, theme: "Theme") -> Geometry:
    master = prs.slide_master
    return {name: {ph_name: frame_of(ph, master, theme) for ph_name, ph in phs.items()}
            for name, (layout, phs) in layouts.items()}


def frame_of(ph, master, theme: "Theme") -> Frame:
    """A placeholder's box and text settings, resolved layout → master placeholder → master text styles."""
    el = ph._element
    kind = el.ph_type
    if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
        style, base_kind = "p:titleStyle", PP_PLACEHOLDER.TITLE
    elif kind in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE):
        style, base_kind = "p:otherStyle", kind
    else:
        style, base_kind = "p:bodyStyle", PP_PLACEHOLDER.BODY
    base = master.placeholders.get(ph_type=base_kind)
    chain = [x for x in (el, base._element if base is not None else None) if x is not None]
    lvl1s = [x.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}") for x in chain]
    styles = master._element.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}")
    lvl1s = [x for x in [*lvl1s, styles] if x is not None]

    def attr(path: str | None, name: str):
        for lvl in lvl1s:
            node = lvl if path is None else lvl.find(path)
            if node is not None and node.get(name) is not None:
                return node.get(name)
        return None

    bodies = [x.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}") for x in chain]
    bodies = [b for b in bodies if b is not None]

    def inset(name: str, default: int) -> int:
        return next((int(b.get(name)) for b in bodies if b.get(name) is not None), default)

    size = attr(qn("a:defRPr"), "sz")
    spc = attr(f"{qn('a:spcBef')}/{qn('a:spcPts')}", "val")
    line = attr(f"{qn('a:lnSpc')}/{qn('a:spcPct')}", "val")
    prompt = "".join(t.text or "" for t in el.iter(qn("a:t")))
    return Frame(
        box=Box(*box_of(ph)),
        size=int(size) / 100 if size else theme.deck.body_size,
        insets=(inset("lIns", 91440), inset("tIns", 45720), inset("rIns", 91440), inset("bIns", 45720)),
        margin=int(attr(None, "marL") or 0),
        indent=int(attr(None, "indent") or 0),
        space_before=int(spc) / 100 if spc else 0.0,
        spacing=int(line) / 100000 if line else 1.0,
        prompt=prompt,
    )


# -- the writer --------------------------------------------------------------------------


def check_template(env: "WriterEnv") -> None:
    """Raise TemplateError unless templates/deck.pptx has every layout and placeholder of the contract."""
    path = env.templates / TEMPLATE
    find_layouts(open_template(path), path)


def write(doc: M.Document, env: "WriterEnv", dest: Path) -> None:
    """Write the deck: template by name, planned slides, native charts, reproducible bytes."""
    path = env.templates / TEMPLATE
    prs = open_template(path)
    layouts = find_layouts(prs, path)
    slides = plan(doc, geometry(layouts, prs, env.theme), env.theme)
    remove_slides(prs)
    emitter = Emitter(prs, layouts, env.theme)
    for sp in slides:
        emitter.slide(sp)
    set_core(prs, doc)
    normalize_embedded(prs)
    save_normalized(prs.save, dest)


def remove_slides(prs) -> None:
    """Drop any slides a designer left in the template (examples): the deck is generated whole."""
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


def set_core(prs, doc: M.Document) -> None:
    cp = prs.core_properties
    cp.title = doc.title
    cp.subject = doc.meta.get("subject", "")
    cp.author = doc.meta.get("author", "")
    cp.keywords = doc.meta.get("keywords", "")
    cp.comments = doc.meta.get("source", "")
    cp.category = ""
    cp.last_modified_by = ""
    cp.revision = 1
    year = int(doc.meta.get("year") or 2000)
    cp.created = cp.modified = dt.datetime(year, 12, 31)


def normalize_embedded(prs) -> None:
    """Chart workbooks carry their creation time: fix it and the zip dates so two runs give the same bytes."""
    for part in prs.part.package.iter_parts():
        if str(part.partname).endswith(".xlsx"):
            src = zipfile.ZipFile(io.BytesIO(part.blob))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as dst:
                for name in src.namelist():
                    data = src.read(name)
                    if name == "docProps/core.xml":
                        data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
                    dst.writestr(name, data)
            part._blob = normalize_zip(out.getvalue())
