"""Format-neutral content model: frozen dataclasses every writer reads; imports no format library."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """A piece of inline text; `figure` marks a number bound from data (writers may emphasise it)."""

    text: str
    figure: bool = False


Inline = tuple[Run, ...]


def plain(runs: Inline) -> str:
    return "".join(r.text for r in runs)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    runs: Inline


@dataclass(frozen=True)
class Quote:
    runs: Inline
    speaker: str = ""


@dataclass(frozen=True)
class Value:
    """A formatted figure: number and unit kept apart so writers can size them differently."""

    number: str
    unit: str
    period: str  # display label of the period, e.g. "2024年", "2021—2025年"
    ref: str
    span: tuple[str, str] = ("", "")  # the period as data (e.g. "2024" or "2021-2025") and the scope (期初)

    @property
    def text(self) -> str:
        return self.number + self.unit


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: Value
    before: Value | None = None
    growth: Value | None = None
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]
    title: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]
    texts: tuple[str, ...]  # data labels as printed


@dataclass(frozen=True)
class ChartData:
    id: str
    kind: str  # column | bar | before_after | composition | growth | line
    title: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    source: str
    alt: str
    decimals: int = 1
    note: str = ""
    headline: str = ""  # what the chart shows, in words derived from the data (the title stays the neutral name)
    refs: tuple[str, ...] = ()  # the figures it plots (canonical refs), so a slide shows a figure set once


def numbered(prefix: str, number: int, caption: str) -> str:
    """The one caption rule: 图N / 表N and the caption, two spaces apart; either part may be missing."""
    return "  ".join(x for x in (f"{prefix}{number}" if number else "", caption) if x)


@dataclass(frozen=True)
class Chart:
    data: ChartData
    number: int  # 图N within its document

    @property
    def caption(self) -> str:
        return numbered("图", self.number, self.data.title)


@dataclass(frozen=True)
class Photo:
    caption: str
    image: Path | None  # None: the writer draws a labelled placeholder
    name: str = ""  # the file name the spec asked for (shown on the placeholder)
    focus: tuple[float, float] = (0.5, 0.5)  # kept in view when cropped to a frame (shares of width, height)


@dataclass(frozen=True)
class Points:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Review:
    heading: str
    points: tuple[Inline, ...]
    text: Inline
    figures: tuple[KeyFigure, ...] = ()  # figures the points talk about
    photo: Photo | None = None  # the photo that illustrates the points
    layout: str = ""  # design hint: 对比 (side by side with the next) | 荣誉 (a list of honours)


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    number: int = 0
    source: str = ""
    align: tuple[str, ...] = ()  # "l" | "r" | "c" per column
    widths: tuple[float, ...] = ()  # shares of the text width per column; () = the writer's choice

    @property
    def label(self) -> str:
        """表N and the caption (see `numbered`)."""
        return numbered("表", self.number, self.caption)


Block = Heading | Paragraph | Quote | KeyFigures | Chart | Photo | Points | Review | Table


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    short: str = ""
    number: int = 0
    blocks: tuple[Block, ...] = ()
    kind: str = "chapter"  # chapter | part | appendix | closing | intro


@dataclass(frozen=True)
class Document:
    kind: str  # deck | summary | briefing
    name: str  # output file stem
    title: str
    subtitle: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # author, subject, keywords, edition year ...
    front: dict[str, str] = field(default_factory=dict)  # cover texts by role
    sections: tuple[Section, ...] = ()
    layout: str = "book"  # the PDF's page plan: book (cover, contents, chapters) | sheet (one page, no cover)

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

    def texts(self) -> list[str]:
        """Every string a writer may print (for glyph checks and tests)."""
        out = [self.title, self.subtitle, *self.front.values(), *self.meta.values()]
        for s in self.sections:
            out += [s.title, s.short]
            for b in s.blocks:
                out += block_texts(b)
        return [t for t in out if t]


def block_texts(b: Block) -> list[str]:
    match b:
        case Heading(text=t):
            return [t]
        case Paragraph(runs=r):
            return [plain(r)]
        case Quote(runs=r, speaker=s):
            return [plain(r), s]
        case KeyFigures(items=items, title=t):
            out = [t]
            for k in items:
                out += [k.label, k.value.text, k.value.period, k.note]
                out += [k.before.text, k.before.period] if k.before else []
                out += [k.growth.text] if k.growth else []
            return out
        case Chart(data=d) as c:
            return [c.caption, d.headline, d.unit, d.source, d.alt, *d.categories,
                    *(s.label for s in d.series), *(t for s in d.series for t in s.texts)]
        case Photo(caption=c):
            return [c]
        case Points(items=items):
            return [plain(i) for i in items]
        case Review(heading=h, points=p, text=t, figures=f, photo=ph):
            return [h, plain(t), *(plain(i) for i in p), *block_texts(KeyFigures(f)), *(block_texts(ph) if ph else [])]
        case Table(caption=c, header=h, rows=rows, source=s):
            return [c, s, *h, *(cell for row in rows for cell in row)]
    return []
