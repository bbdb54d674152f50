"""Bind figures into texts and format them: `{gdp@Y}` → Run("12.5亿元", figure=True)."""

from __future__ import annotations

from decimal import Decimal

from generators import units
from generators.units import chinese_numeral  # noqa: F401 - re-exported
from generators.load import refs as R
from generators.load.dataset import Dataset, Figure
from generators.model import Inline, Run, Value

_ROMAN = ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ", "Ⅺ", "Ⅻ"]


def period_label(period: str) -> str:
    if "-" in period:
        a, b = period.split("-")
        return f"{a}—{b}年"
    return f"{period}年"


def format_figure(ds: Dataset, fig: Figure, fmt: str = "") -> tuple[str, str]:
    """(number, unit) of a figure under a format: "", "n", "u", "cn", "roman", or a target unit."""
    if fmt in ("", "n", "u"):
        if fig.unit == "类" and fmt != "u":  # water-quality classes print as Ⅲ类, as standards write them
            return format_figure(ds, fig, "roman")
        return fig.text, fig.unit
    if fmt in ("cn", "roman"):
        if fig.value != fig.value.to_integral_value():
            raise ValueError(f"格式“{fmt}”只能用于整数，{fig.ref()} 是 {fig.text}")
        n = int(fig.value)
        if fmt == "roman" and not 0 < n < len(_ROMAN):
            raise ValueError(f"格式“roman”只能用于 1–12，{fig.ref()} 是 {fig.text}")
        return (chinese_numeral(n) if fmt == "cn" else _ROMAN[n]), fig.unit
    if units.convertible(fig.unit, fmt):
        value = units.convert(fig.value, fig.unit, fmt)
        digits = max(0, units.decimals_of(fig.text) + len(str(units.UNITS[fmt][1])) - len(str(units.UNITS[fig.unit][1])))
        return units.fmt_number(value, min(digits, 4)), fmt
    raise ValueError(f"不认识的格式“|{fmt}”（可用：n、u、cn、roman 或可换算的单位）")


def render_ref(ds: Dataset, ref: R.Ref, year: int) -> str:
    fig = ds.find(ref, year)
    number, unit = format_figure(ds, fig, ref.fmt)
    if ref.fmt in ("n", "cn", "roman"):
        return number
    if ref.fmt == "u":
        return unit
    return units.with_unit(number, unit)


def bind(ds: Dataset, text: str, year: int) -> Inline:
    """A text with its references replaced; figures become their own runs."""
    runs: list[Run] = []
    for tok in R.tokens(text):
        if isinstance(tok, str):
            runs.append(Run(tok))
        elif isinstance(tok, int):
            runs.append(Run(str(year + tok)))
        else:
            # "第{…|cn}" reads as a word (第一), not as a figure to emphasise.
            runs.append(Run(render_ref(ds, tok, year), figure=tok.fmt not in ("u", "cn")))
    merged: list[Run] = []
    for r in runs:
        if merged and merged[-1].figure == r.figure and not r.figure:
            merged[-1] = Run(merged[-1].text + r.text)
        elif r.text:
            merged.append(r)
    return tuple(merged)


def bind_plain(ds: Dataset, text: str, year: int) -> str:
    return "".join(r.text for r in bind(ds, text, year))


def value_of(ds: Dataset, ref_text: str, year: int) -> Value:
    ref = R.parse_plain_ref(ref_text)
    fig = ds.find(ref, year)
    number, unit = format_figure(ds, fig, ref.fmt)
    label = period_label(fig.period) + (f"（{fig.scope}）" if fig.scope else "")
    return Value(number, unit, label, fig.ref())


def numeric(ds: Dataset, fig: Figure, unit: str | None = None) -> Decimal:
    """The figure's value in `unit` (default: the catalogue unit) for charts and checks."""
    return units.convert(fig.value, fig.unit, unit or ds.indicators[fig.indicator].unit)
