"""One rule for numbers typed by people: half-width only; full-width digits, braces, minus signs are refused with a hint."""

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
            return (f"文字中含全角{what}“{ch}”(U+{ord(ch):04X})：数字请写成引用（如 {{gdp@2024}}），"
                    f"引用的花括号、@、| 和年份都用半角；“{span}”应写成“{fixed}”")
    return None


def parse_figure_value(text: str) -> Decimal:
    """A figure as written in a cell ("461.71", "-1.2") → Decimal; anything else a Chinese ValueError."""
    t = text.strip()
    bad = halfwidth_problem(t)
    if bad:
        raise ValueError(bad)
    if t.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueError("不是一个数（NaN/无穷大）")
    if not _NUMBER.match(t):
        raise ValueError("应为数字（如 12.5，不带单位、千分位逗号或 %）")
    digits = len(t.lstrip("-").replace(".", "").lstrip("0"))
    if digits > MAX_DIGITS:
        raise ValueError(f"数字位数过多（{digits} 位有效数字），应不超过 {MAX_DIGITS} 位；请检查是否多打了数字")
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueError("应为数字") from None
