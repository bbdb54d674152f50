"""Helpers the yearly commands share: year checks, figures in catalogue units, changes, display width."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from generators import units
from generators.errors import InputError, Problem
from generators.load.dataset import CATEGORIES, Dataset, Figure, Indicator
from generators.typography import display_width

DEFAULT_THRESHOLD = Decimal(50)  # levels: relative change, per cent
DEFAULT_POINTS = Decimal(5)  # rates and shares (unit %): change in 百分点
MIN_YEAR, MAX_YEAR = 1949, 2100


def yearly_file(data: Path, year: int) -> Path:
    return data / "figures" / f"yearly-{year}.csv"


def check_year(year: int, what: str = "年份") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(Problem(what, message="年份超出范围", expected=f"{MIN_YEAR} 到 {MAX_YEAR} 之间的四位年份",
                                 found=str(year)))


def ordered(ds: Dataset, inds: list[Indicator]) -> list[Indicator]:
    """Category order of the catalogue (经济运行 first), then catalogue order."""
    cat = {c: i for i, c in enumerate(CATEGORIES)}
    pos = {k: i for i, k in enumerate(ds.indicators)}
    return sorted(inds, key=lambda i: (cat.get(i.category, 99), pos[i.id]))


def canonical(ds: Dataset, fig: Figure) -> Decimal:
    """A figure's value in its indicator's catalogue unit."""
    return units.convert(fig.value, fig.unit, ds.indicators[fig.indicator].unit)


def earlier(ds: Dataset, indicator: str, year: int) -> dict[int, Figure]:
    """Single-year, scope-less records of an indicator before `year`."""
    return {f.year: f for f in ds.by_indicator(indicator) if not f.scope and f.year is not None and f.year < year}


def fmt(value: Decimal, decimals: int) -> str:
    return units.fmt_number(value, decimals)


def pct(a: Decimal, b: Decimal) -> Decimal | None:
    """Change from a to b in per cent of |a|; None when a is 0 (units.pct_change, the one formula)."""
    return units.pct_change(a, b)


def beyond(a: Decimal, b: Decimal, threshold: Decimal) -> bool:
    """Whether a → b changes by more than `threshold` per cent (any change from 0 counts)."""
    p = pct(a, b)
    return (b != 0) if p is None else abs(p) > threshold


def plain(value: Decimal) -> str:
    """A threshold as typed: 5 → "5", 2.5 → "2.5"."""
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


def review_change(unit: str, a: Decimal, b: Decimal, threshold: Decimal, points: Decimal) -> str | None:
    """Why a → b needs review, or None: rates and shares in 百分点, levels relatively (any change from 0 counts)."""
    if units.is_rate(unit):
        d = b - a
        return f"变化 {signed(d, 2, '个百分点')}，超过 ±{plain(points)}个百分点" if abs(d) > points else None
    if not beyond(a, b, threshold):
        return None
    p = pct(a, b)
    return ("由 0 变为非 0" if p is None else f"变化 {signed(p, 2, '%')}") + f"，超过 ±{plain(threshold)}%"


def signed(value: Decimal, decimals: int, suffix: str = "") -> str:
    text = fmt(value, decimals)
    return ("+" + text if not text.startswith("-") and Decimal(text) != 0 else text) + suffix


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap
