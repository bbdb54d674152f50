"""The one reader of typed figures: full-width digits, Unicode minus, thousands separators normalised; references half-width."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Characters an input method or Word puts where an ASCII one is meant, with the ASCII one to type instead.
_LOOKALIKE = {
    "\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\ufe63": "-", "\uff0d": "-",  # minus signs and dashes
    "\uff0e": ".", "\u3002": ".", "\uff0c": ",", "\uff05": "%", "\uff0b": "+",
}
# In texts only what breaks a reference or a typed number is refused; the rest of full-width punctuation is prose.
_TEXT_CHARS = {chr(c) for c in range(0xFF10, 0xFF1A)} | {"\uff5b", "\uff5d", "\uff20", "\uff5c"}
MAX_DIGITS = 15  # significant digits a figure may have: exact in a chart's floating point, and no official figure has more
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def halfwidth_of(ch: str) -> str | None:
    """The ASCII character a full-width or look-alike character stands for, or None if it is not one."""
    if ch in _LOOKALIKE:
        return _LOOKALIKE[ch]
    if 0xFF01 <= ord(ch) <= 0xFF5E:
        return unicodedata.normalize("NFKC", ch)
    return None


def _hint(ch: str, text: str) -> str:
    fixed = "".join(halfwidth_of(c) or c for c in text)
    return (f"含全角或形近字符“{ch}”(U+{ord(ch):04X})，数字、引用和花括号只认半角字符（输入法切换到半角，"
            f"或用 Excel/WPS 的“全角转半角”）；应写成“{fixed}”")


def halfwidth_problem(text: str) -> str | None:
    """For a cell or field that holds a number, period or reference: a Chinese hint if it has a full-width character."""
    for ch in text:
        if halfwidth_of(ch) is not None:
            return _hint(ch, text)
    return None


def text_halfwidth_problem(text: str) -> str | None:
    """For prose: full-width digits and braces would print a figure or a reference literally; a hint, or None."""
    for i, ch in enumerate(text):
        if ch in _TEXT_CHARS:
            what = "花括号" if ch in "\uff5b\uff5d" else ("数字" if ch.isdigit() else "引用符号")
            start = max(text.rfind("{", 0, i + 1), text.rfind("\uff5b", 0, i + 1))
            end = min((j for j in (text.find("}", i), text.find("\uff5d", i)) if j >= 0), default=-1)
            span = text[start:end + 1] if 0 <= start <= i <= end else ch
            fixed = "".join(halfwidth_of(c) or c for c in span)
            return (f"文字中含全角{what}“{ch}”(U+{ord(ch):04X})：数字请写成引用（如 {{指标@年份}}），"
                    f"引用的花括号、@、| 和年份都用半角；“{span}”应写成“{fixed}”")
    return None


# How bulletins and people mark a figure that was not published: the cell holds no figure, and says so.
UNPUBLISHED = frozenset({"", "—", "——", "－", "/", "／", "-", "--", "–", "\u2212"})
_GROUPED = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
RATE_UNITS = ("%",)  # a trailing % sign is the unit itself on these


def is_unpublished(text: str) -> bool:
    """Whether a figure cell says "not published" (blank, —, －, /)."""
    return text.strip() in UNPUBLISHED


def normalise_figure(text: str, unit: str | None = None) -> str:
    """The published digits in half-width form: "１２．５" → "12.5", "−1.2" → "-1.2", "1,234" → "1234",
    "6.3%" → "6.3" on a rate. The digits themselves are never changed; what is not a figure is returned as typed."""
    t = "".join(halfwidth_of(c) or c for c in text.strip()).replace(" ", "")
    if t.startswith("+"):
        t = t[1:]
    if unit in RATE_UNITS and t.endswith("%"):
        t = t[:-1]
    if _GROUPED.match(t):
        t = t.replace(",", "")
    return t


def read_figure(text: str, unit: str | None = None) -> tuple[str, Decimal]:
    """(published digits in half-width form, value) of a figure as typed; anything else a Chinese ValueError.

    The one rule for data/figures/*.csv and the yearly workbook: `unit` (the row's unit) allows a trailing % on a rate."""
    t = normalise_figure(text, unit)
    if t.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueError("不是一个数（NaN/无穷大）")
    if not _NUMBER.match(t):
        if "," in t and re.search(r"[0-9]", t):
            raise ValueError("千位分隔符位置不对（应每三位一个，如 1,234.5，或不写逗号）")
        if "%" in t:
            raise ValueError("只有单位为 % 的指标可以带 % 号；这里请只写数字")
        raise ValueError("应为数字（如 12.5，不带单位或文字；未公布的写“—”或留空）")
    digits = len(t.lstrip("-").replace(".", "").lstrip("0"))
    if digits > MAX_DIGITS:
        raise ValueError(f"数字位数过多（{digits} 位有效数字），应不超过 {MAX_DIGITS} 位；请检查是否多打了数字")
    try:
        return t, Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueError("应为数字") from None


def parse_figure_value(text: str, unit: str | None = None) -> Decimal:
    """A figure as typed ("12.5", "−1.2", "１２．５") → Decimal; anything else a Chinese ValueError."""
    return read_figure(text, unit)[1]

