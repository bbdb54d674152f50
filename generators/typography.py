"""Chinese typography and the writers' own wording: 禁则 sets, display width, key-figure and placeholder texts."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Callable, NamedTuple, Sequence

from generators import model as M

# ---- 禁则 (line-breaking rules), the union every writer and the charts apply ----------------------
#: May not start a line: closing brackets and quotes, full stops, commas, colons, the enumeration comma,
#: ellipsis, dash, interpunct, wave dash, percent and unit signs (full- and half-width).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕］｝〉”’…—～·%％‰℃°′″,.;:?!)]}")
#: May not end a line: opening brackets and quotes (full- and half-width).
NO_LINE_END = frozenset("（《「『【〔［｛〈“‘([{")


# ---- display width ---------------------------------------------------------------------------------

def is_wide(ch: str) -> bool:
    """A character that takes two columns (East Asian Wide or Fullwidth): CJK ideographs, ，。 and the like."""
    return unicodedata.east_asian_width(ch) in "WF"


def display_width(text: str) -> int:
    """Columns `text` takes in a monospaced grid: wide characters count two, all others one."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


def cjk_width(text: str) -> int:
    """Columns `text` takes set in a Chinese font, where the ambiguous characters (“”‘’…—·) are full-width too."""
    return sum(2 if is_wide(ch) or unicodedata.east_asian_width(ch) == "A" else 1 for ch in text)


# ---- line breaking: the one routine the deck, the charts and the PDF apply ----------------------------

def may_break(before: str, after: str) -> bool:
    """Whether a line may end with `before` and the next begin with `after` (禁则: no line opens with ，。）”
    and the like, none ends with （“《)."""
    return not (after[:1] in NO_LINE_START or before[-1:] in NO_LINE_END)


_TOKEN = re.compile(r"[A-Za-z0-9_.%+\-/]+|\s+|.", re.S)


def _tokens(para: str, width: Callable[[str], float], max_w: float) -> list[str]:
    """Words (Latin runs, numbers), spaces and single characters; a word wider than the line becomes characters."""
    tokens: list[str] = []
    for t in _TOKEN.findall(para):
        tokens += list(t) if len(t) > 1 and width(t) > max_w else [t]
    return tokens


def _wrap_para(para: str, width: Callable[[str], float], widths: Sequence[float]) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    w = 0.0
    for t in _tokens(para, width, min(widths)):
        max_w = widths[min(len(lines), len(widths) - 1)]
        if t.isspace():
            if line:
                line.append(t)
                w += width(t)
            continue
        tw = width(t)
        if line and w + tw > max_w:
            carry: list[str] = []
            while len(line) > 1 and not may_break(line[-1], carry[0] if carry else t):
                carry.insert(0, line.pop())  # push characters down until the break is allowed
            lines.append("".join(line).rstrip())
            line = carry
            w = sum(width(x) for x in line)
        line.append(t)
        w += tw
    lines.append("".join(line).rstrip())
    return lines


def wrap(text: str, width: Callable[[str], float], max_w: float | Sequence[float]) -> list[str]:
    """Lines no wider than `max_w` as measured by `width`: CJK per character, Latin words and numbers whole
    (one wider than the line per character), characters pushed to the next line until `may_break` holds;
    newlines kept. `max_w` may give each line its own width (the last repeats: a first-line indent).
    The deck measures with the fonts' advances, charts with `cjk_width`, the PDF with ReportLab's string
    widths (writers/pdf/linebreak.py: this routine for a plain paragraph, `may_break` inside ReportLab's
    splitter for a paragraph of mixed runs)."""
    widths = [max_w] if isinstance(max_w, (int, float)) else list(max_w)
    out: list[str] = []
    for para in text.split("\n"):
        out += _wrap_para(para, width, widths[len(out):] or widths[-1:])
    return out


def balanced(text: str, columns: int, width: Callable[[str], float] = cjk_width) -> list[str]:
    """Lines of about equal width (`wrap` at the even share, or up to one ideograph more where 禁则 moves a
    break): 12 ideographs in 18 columns become 6 + 6, never 9 + 3; of two equally even choices the one that
    keeps closing punctuation up on its line (“湘商回归” / 到位资金)."""
    total = width(text)
    if total <= columns:
        return [text]
    per = math.ceil(total / math.ceil(total / columns))
    options = [wrap(text, width, per + extra) for extra in (0, 1, 2)]
    return min(options, key=lambda lines: (len(lines), max(map(width, lines)), -width(lines[0])))


# ---- words the writers add around the data (never county content) ----------------------------------
CONTINUED = "（续）"  # title of a continuation slide or page
ARROW = " → "  # from one state to the next: 2015年 5家 → 2021年 27家
UNIT = "单位："  # value axis title of a chart
SOURCE = "资料来源："  # before the sources of a chart or table
SPEAKER_DASH = "——"  # before the speaker of a quote
PHOTO_MISSING = "图片待补充"
RISE, FALL = "增长", "下降"
_MINUS = ("-", "−", "－")


class Growth(NamedTuple):
    """A stated growth figure as words: 增长6.3% / 下降2.1% (the sign becomes the word), as body texts write it."""

    word: str
    figure: str

    @property
    def text(self) -> str:
        return self.word + self.figure


def growth(value: M.Value) -> Growth:
    """增长 for a rise, 下降 for a fall; the figure keeps its digits and unit exactly as published."""
    if value.number.startswith(_MINUS):
        return Growth(FALL, value.number[1:] + value.unit)
    return Growth(RISE, value.text)


def change(before: M.Value, after: M.Value) -> str:
    """Two states of one figure: 2015年 5家 → 2021年 27家."""
    return f"{before.period} {before.text}{ARROW}{after.period} {after.text}"


def speaker(name: str) -> str:
    """The line under a quote: ——name."""
    return SPEAKER_DASH + name


def photo_placeholder(caption: str = "", name: str = "") -> str:
    """What a missing photo's box says: 图片待补充：caption（file name）; either part may be left out."""
    return PHOTO_MISSING + (f"：{caption}" if caption else "") + (f"（{name}）" if name else "")
