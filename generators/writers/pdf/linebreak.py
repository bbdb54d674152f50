"""Chinese line breaking (禁则) for ReportLab: no line starts with closing punctuation, none ends with opening.

ReportLab's CJK splitter hangs at most one "cannot start" character and ignores "cannot end"
characters, and its set misses common Chinese punctuation. We rebuild its splitter from its own
source with a corrected rule (push characters to the next line until both rules hold).
"""

from __future__ import annotations

import inspect
import textwrap

import reportlab.lib.textsplit as textsplit
import reportlab.platypus.paragraph as paragraph
from reportlab.pdfbase.pdfmetrics import stringWidth

from generators.typography import NO_LINE_END, NO_LINE_START, may_break, wrap

# The 禁则 sets every writer shares (generators/typography.py).
CANNOT_START = set(NO_LINE_START)
CANNOT_END = set(NO_LINE_END)

_OLD = """                if u not in ALL_CANNOT_START and i>lineStartPos+1:
                    #otherwise we need to push the character back
                    #the i>lineStart+1 condition ensures progress
                    i -= 1
                    extraSpace += w"""
_NEW = """                if i>lineStartPos+1:
                    i -= 1
                    extraSpace += w
                    while i>lineStartPos+1 and not _RG_MAY_BREAK(str(U[i-1]), str(U[i])):
                        i -= 1
                        extraSpace += U[i].width"""

_installed = False


def _plain_split(text, max_widths, font_name, font_size, encoding="utf8"):
    """ReportLab's wordSplit for a paragraph of one run (it hangs closing punctuation in the margin):
    typography.wrap with ReportLab's own string widths, as [extra space, line] pairs."""
    if isinstance(text, bytes):
        text = text.decode(encoding)

    def width(s: str) -> float:
        return stringWidth(s, font_name, font_size)

    widths = list(max_widths) if isinstance(max_widths, (list, tuple)) else [max_widths]
    lines = wrap(text, width, widths)
    return [[widths[min(i, len(widths) - 1)] - width(line), line] for i, line in enumerate(lines)]


def install() -> None:
    """Replace ReportLab's CJK splitter once per process; fail loudly if ReportLab's code changed."""
    global _installed
    if _installed:
        return
    src = textwrap.dedent(inspect.getsource(paragraph.cjkFragSplit))
    if _OLD not in src:
        raise RuntimeError("ReportLab 的 CJK 断行代码已变化，无法安装中文禁则（请固定 reportlab 版本或更新 generators/writers/pdf/linebreak.py）")
    ns = dict(vars(paragraph))
    ns["_RG_MAY_BREAK"] = may_break  # the rule typography.wrap applies for the deck and the charts
    exec(compile(src.replace(_OLD, _NEW), paragraph.__file__, "exec"), ns)  # noqa: S102 - ReportLab's own code
    paragraph.cjkFragSplit = ns["cjkFragSplit"]
    original = paragraph._justifyDrawParaLineX

    def justify_cjk(tx, offset, line, last=0):
        """Justify CJK lines by letter spacing (ReportLab only stretches spaces, which Chinese has none of)."""
        extra = line.extraSpace
        if getattr(line, "kind", 0) == 1 and not last and not line.lineBreak and extra > 1e-8:
            chars = sum(len(w.text) for w in line.words if not hasattr(w, "cbDefn"))
            if chars > 1:
                tx._x_offset = offset
                paragraph.setXPos(tx, offset)
                tx.setCharSpace(extra / (chars - 1))
                paragraph._putFragLine(offset, tx, line, last, "justify")
                tx.setCharSpace(0)
                paragraph.setXPos(tx, -offset)
                return
        original(tx, offset, line, last)

    paragraph._justifyDrawParaLineX = justify_cjk
    paragraph.wordSplit = _plain_split  # a paragraph of one run: broken exactly as the deck breaks it
    extra = "".join(sorted(CANNOT_START - set(textsplit.ALL_CANNOT_START)))
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START
    _installed = True
