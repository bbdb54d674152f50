"""Slide plans as plain data: the template's geometry going in, boxes, texts and charts per slide coming out."""

from __future__ import annotations

from dataclasses import dataclass

from generators import model as M

TEMPLATE = "deck.pptx"  # under templates/
DEFAULT_INSETS = (91440, 45720, 91440, 45720)  # l t r b: PowerPoint's own text box insets (EMU)


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
    insets: tuple[int, int, int, int] = DEFAULT_INSETS  # l t r b
    margin: int = 0  # bullet paragraphs: left margin (EMU)
    indent: int = 0  # bullet paragraphs: first-line indent (negative = hanging)
    space_before: float = 0.0  # pt
    spacing: float = 1.0  # line spacing as the template states it (multiple of single spacing)
    prompt: str = ""  # the layout's own text (a label the template owns, e.g. 目录)

    @property
    def inner(self) -> tuple[int, int]:
        left, top, right, bottom = self.insets
        return self.box.w - left - right, self.box.h - top - bottom


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

    @property
    def pt(self) -> float:
        """The size of a planned slide text (every text but the speaker notes has one)."""
        assert self.size is not None, "speaker notes have no planned size"
        return self.size


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
