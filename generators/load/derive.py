"""Derived figures (growth, ratios, totals) computed from records and checked against stated ones."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from generators import units
from generators.errors import Problems
from generators.load import refs as R
from generators.load.textio import line_of, shown


@dataclass(frozen=True)
class DerivedValue:
    id: str
    label: str
    value: Decimal
    stated: Decimal | None
    ok: bool


def _value(ds, ref_text: str, year: int, unit: str | None = None) -> tuple[Decimal, str]:
    fig = ds.find(R.parse_plain_ref(ref_text), year)
    ind = ds.indicators[fig.indicator]
    target = unit or ind.unit
    return units.convert(fig.value, fig.unit, target), target


def compute(ds, spec, year: int) -> Decimal:
    """Evaluate one derived spec; only a fixed set of operations, never code from data."""
    vals = [_value(ds, r, year)[0] for r in spec.inputs]
    if spec.kind == "sum":
        return sum(vals, Decimal(0))
    if len(vals) != 2:
        raise ValueError(f"“{spec.kind}”需要两个输入，实际为 {len(vals)} 个")
    a, b = vals
    if spec.kind == "diff":
        return b - a
    if a == 0:
        raise ValueError("除数为 0")
    if spec.kind == "pct_change":
        change = units.pct_change(a, b)  # the one formula (a is not 0 here)
        assert change is not None
        return change
    if spec.kind == "ratio":
        return b / a * 100
    return b / a  # multiple


def evaluate(ds, year: int) -> list[DerivedValue]:
    out = []
    for spec in ds.derived:
        value = compute(ds, spec, year)
        stated = None
        if spec.stated:
            stated = _value(ds, spec.stated, year)[0]
        elif spec.expected is not None:
            stated = Decimal(str(spec.expected))
        ok = stated is None or abs(value - stated) <= Decimal(str(spec.tolerance))
        out.append(DerivedValue(spec.id, spec.label, value, stated, ok))
    return out


def run_checks(ds, problems: Problems) -> None:
    """Report every mismatch between a computed and a stated figure with both values."""
    path = Path(ds.root) / "derived.yaml"
    where = shown(path)
    raw = ds.raw_texts.get(str(path))
    items = raw.get("derived") if isinstance(raw, dict) else None
    for i, spec in enumerate(ds.derived):
        line = line_of(items, i)
        try:
            value = compute(ds, spec, ds.year)
            stated = _value(ds, spec.stated, ds.year)[0] if spec.stated else (
                Decimal(str(spec.expected)) if spec.expected is not None else None)
        except ValueError as exc:
            problems.add(where, line, field=spec.id, message=str(exc))
            continue
        if stated is not None and abs(value - stated) > Decimal(str(spec.tolerance)):
            msg = (f"核对不一致：由 {'、'.join(spec.inputs)} 算得 {units.fmt_number(value, 2)}，"
                   f"而文中所述为 {units.fmt_number(stated, 2)}（允许误差 {spec.tolerance}）")
            if spec.on_mismatch == "error":
                problems.add(where, line, field=spec.id, message=msg)
            else:
                ds.warnings.append(f"{where} {spec.id}：{msg}")
