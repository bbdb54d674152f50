"""ReportLab flowables of the summary: outline anchors, the one-pass contents, rules, the doc template."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph


class Para(Paragraph):
    """A paragraph that is not broken into lines again for the width it was just broken for. ReportLab's frames
    and tables ask a paragraph for its size several times at one width (in the summary, 7 calls in 10): its
    lines depend on that width alone, so the last answer stands while its lines are the ones it made."""

    _last: tuple[float, object, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        last = self._last
        if last is not None and last[0] == availWidth and last[1] is self.__dict__.get("blPara"):
            return last[2]
        size = super().wrap(availWidth, availHeight)
        self._last = (availWidth, self.__dict__.get("blPara"), size)
        return size


class Anchor(Flowable):
    """Zero-size marker: a bookmark, an outline entry and, for contents lines, its page number as a form."""

    def __init__(self, key: str, title: str, level: int, toc: bool = True, folio: tuple[str, float, str] = ("", 0, "")):
        super().__init__()
        self.key, self.title, self.level, self.toc = key, title, level, toc
        self.folio = folio  # (font, size, colour) of the page number the contents shows
        self.width = self.height = 0

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        canv = self.canv
        canv.bookmarkPage(self.key)
        canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        if self.toc:
            # The contents page drew this form before the page was known; define it now (one pass, no re-layout).
            font, size, colour = self.folio
            canv.beginForm(f"pg_{self.key}", lowerx=-80, lowery=-10, upperx=10, uppery=40)  # room left of x=0
            canv.setFont(font, size)
            canv.setFillColor(colors.HexColor(colour))
            canv.drawRightString(0, 0, str(canv.getPageNumber()))
            canv.endForm()


class Contents(Flowable):
    """The table of contents, laid out once: titles and dot leaders now, page numbers as forward-referenced forms."""

    def __init__(self, entries: list[Anchor], styles: list[ParagraphStyle], rule: str):
        super().__init__()
        self.entries, self.styles, self.rule = entries, styles, rule

    def _lines(self):
        return [(a, self.styles[min(a.level, len(self.styles) - 1)]) for a in self.entries]

    def wrap(self, aw, ah):
        self.width = aw
        self.height = sum(st.leading for _, st in self._lines())
        return aw, self.height

    def draw(self):
        canv = self.canv
        y = self.height
        for a, st in self._lines():
            y -= st.leading
            base = y + (st.leading - st.fontSize) / 2
            canv.setFont(st.fontName, st.fontSize)
            canv.setFillColor(st.textColor)
            canv.drawString(st.leftIndent, base, a.title)
            end = st.leftIndent + canv.stringWidth(a.title, st.fontName, st.fontSize) + 6
            canv.setStrokeColor(colors.HexColor(self.rule))
            canv.setLineWidth(0.6)
            canv.setDash(0.6, 2.4)
            canv.line(end, base + 1, self.width - 24, base + 1)
            canv.setDash()
            canv.saveState()
            canv.translate(self.width, base)
            canv.doForm(f"pg_{a.key}")
            canv.restoreState()


class Rule(Flowable):
    def __init__(self, width: float, color: str, thickness: float = 0.8, space: float = 4):
        super().__init__()
        self.w, self.color, self.t, self.space = width, color, thickness, space

    def wrap(self, aw, ah):
        return min(self.w, aw), self.t + 2 * self.space

    def draw(self):
        self.canv.setStrokeColor(colors.HexColor(self.color))
        self.canv.setLineWidth(self.t)
        self.canv.line(0, self.space, self.w, self.space)


class Summary(BaseDocTemplate):
    """Doc template that feeds the contents and remembers the current chapter for the running header."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.chapter = ""  # shown in this page's running header
        self.pending = ""  # a chapter that began lower on this page: the header from the next page on

    def afterFlowable(self, flowable):
        if isinstance(flowable, Anchor):
            if flowable.level == 0:
                if self.frame._atTop:
                    self.chapter = flowable.title
                else:
                    self.pending = flowable.title
