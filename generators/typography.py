"""Chinese typography and the writers' own wording: 禁则 sets, display width, key-figure and placeholder texts."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

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


def table_caption(number: int, caption: str) -> str:
    """表N and the caption, two spaces apart (like 图N of a chart); either may be missing."""
    return "  ".join(x for x in (f"表{number}" if number else "", caption) if x)
