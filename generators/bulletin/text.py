"""A bulletin's text made readable: PDF spacing and broken lines mended, sentences split, numbers found.

Two forms of each sentence are kept, of the same length: `printed` (what the bulletin prints, full-width digits
and all; quoted to the statistician and copied into the workbook) and `work` (full-width digits, point, per cent
and minus signs made half-width, one character for one), on which the patterns run. An index into one is an
index into the other, so a value is always copied exactly as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = "。！？"  # a sentence ends here (and at a paragraph's end)
_KEEP_LINE = "。！？；：:”’」』）)"  # a line ending in one of these is not joined to the next one
_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_SPACE = re.compile(r"[ \u00a0\u2002-\u200a\u202f\u205f\u3000]+")
_ZERO = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\ufffe\x00-\x08\x0b\x0c\x0e-\x1f]")  # pdfium marks, controls
# A space is dropped when a neighbour is Chinese or it sits inside a number ("493. 27", "6.6 %", "1 2月" no).
_GAP = re.compile(rf"(?<=[{_CJK}%.,:∶])[ ]+|[ ]+(?=[{_CJK}%.,:∶])|(?<=\d)[ ]+(?=[%.])")
# Digits grouped by spaces (GB/T 8170: “39 520元”): the same digits without the spaces.
_GROUPED = re.compile(r"(?<![\d.,])(\d{1,3})((?: \d{3})+)(?!\d)")
_HALF = {**{chr(0xFF10 + i): str(i) for i in range(10)}, "\uff0e": ".", "\uff05": "%", "\u2212": "-",
         "\uff0d": "-", "\u2236": ":", "\uff1a": ":", "\uff0b": "+"}
_TRANS = str.maketrans(_HALF)
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十]+[章节部分]|附注|注[：:])")


@dataclass(frozen=True)
class Sentence:
    printed: str
    work: str
    index: int  # position in the bulletin (0-based)
    other_year: int = -1  # where the sentence first names a year other than the bulletin's (“2024年”), or -1


def clean_lines(lines: list[str]) -> list[str]:
    """Paragraphs: spaces around numbers and Chinese removed, a line broken inside a sentence joined again.

    A line is joined to the next unless a blank line or sentence-ending punctuation ends it, or the next one
    starts a heading (一、 （二） 第三); in a PDF any line may break inside a word, and text copied from one into
    a .txt keeps those breaks. Table rows (cells separated by tabs) are never joined."""
    out: list[str] = []
    joinable = False
    for raw in lines:
        line = _ZERO.sub("", raw).replace("\r", "")
        if "\t" in line:
            cells = [_tidy(c) for c in line.split("\t")]
            out.append("\t".join(cells))
            joinable = False
            continue
        for part in line.split("\n"):
            part = _tidy(part)
            if not part:
                joinable = False
                continue
            if joinable and out and not _HEADING.match(part):
                out[-1] = _tidy(out[-1] + part)
            else:
                out.append(part)
            heading = _HEADING.match(part) is not None and len(part) <= 20 and "，" not in part
            joinable = part[-1] not in _KEEP_LINE and not heading
    return out


def _tidy(text: str) -> str:
    text = _SPACE.sub(" ", text)
    text = _GROUPED.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), text)
    return _GAP.sub("", text).strip()




def sentences(paragraphs: list[str]) -> list[Sentence]:
    """Each sentence (to 。！？ or the paragraph's end) as printed and in its working form; a table row is one."""
    out: list[Sentence] = []
    for para in paragraphs:
        start = 0
        for i, ch in enumerate(para):
            if ch in _END:
                _add(out, para[start:i + 1])
                start = i + 1
        _add(out, para[start:])
    return out


def _add(out: list[Sentence], text: str) -> None:
    text = text.strip()
    if text:
        out.append(Sentence(text, text.translate(_TRANS), len(out)))


def halfwidth(text: str) -> str:
    return text.translate(_TRANS)


_YEAR = re.compile(r"(?<!\d)(\d{4})年")


def mark_other_years(said: list[Sentence], year: int) -> list[Sentence]:
    """Each sentence with where it first names another year: a wording after that is not this year's figure."""
    out = []
    for s in said:
        at = next((m.start() for m in _YEAR.finditer(s.work) if int(m.group(1)) != year), -1)
        out.append(Sentence(s.printed, s.work, s.index, at) if at >= 0 else s)
    return out
