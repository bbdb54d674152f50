"""How a figure prints under a reference format (`|n`, `|cn`, `|万元`…): number and unit, no model objects."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from generators import units
from generators.load import refs as R
from generators.units import (
    chinese_numeral,
    period_label,  # noqa: F401 - the one home is units; named here for callers
)

if TYPE_CHECKING:
    from generators.load.records import Dataset, Figure

_ROMAN = ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ", "Ⅺ", "Ⅻ"]


def format_figure(ds: Dataset, fig: Figure, fmt: str = "") -> tuple[str, str]:
    """(number, unit) of a figure under a format: "", "n", "u", "cn", "roman", "round", or a target unit."""
    if fmt in ("", "n", "u"):
        if fig.unit == "类" and fmt != "u":  # water-quality classes print as Ⅲ类, as standards write them
            return format_figure(ds, fig, "roman")
        shown_in = (ds.settings.get("display_units") or {}).get(fig.indicator)
        if shown_in and shown_in != fig.unit and units.convertible(fig.unit, shown_in):
            return format_figure(ds, fig, shown_in)  # one edition reads in one unit, every published digit kept
        return fig.text, fig.unit
    if fmt == "round":  # the text asks for rounding: the catalogue's `decimals`, half-up (a published figure stays as is)
        return units.fmt_number(fig.value, ds.indicators[fig.indicator].decimals), fig.unit
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
    raise ValueError(f"不认识的格式“|{fmt}”（可用：n、u、cn、roman、round 或可换算的单位）")


def render_ref(ds: Dataset, ref: R.Ref, year: int) -> str:
    fig = ds.find(ref, year)
    number, unit = format_figure(ds, fig, ref.fmt)
    if ref.fmt in ("n", "cn", "roman"):
        return number
    if ref.fmt == "u":
        return unit
    return units.with_unit(number, unit)


def numeric(ds: Dataset, fig: Figure, unit: str | None = None) -> Decimal:
    """The figure's value in `unit` (default: the catalogue unit) for charts and checks."""
    return units.convert(fig.value, fig.unit, unit or ds.indicators[fig.indicator].unit)
