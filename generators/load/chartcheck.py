"""Chart data shape: every series resolves, categories match values, shares are 0–100 and sum as declared."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from generators import chartkinds, units
from generators.errors import Problems
from generators.load import refs as R
from generators.load import specs as S
from generators.load.textio import line_of, shown

if TYPE_CHECKING:
    from generators.load.records import Dataset, Figure

SHARE_TOLERANCE = Decimal("0.5")  # published shares are rounded: 33.3 + 33.3 + 33.3 is a whole


def series_figures(ds: Dataset, spec: S.ChartSpec, year: int) -> list[list[Figure]]:
    """The figures of each series as the documents draw them (an edition for Y includes figures up to Y+1)."""
    return chart_slots(ds, spec, year)[0]


def chart_slots(ds: Dataset, spec: S.ChartSpec, year: int) -> tuple[list[list[Figure]], list[int] | None]:
    """(figures of each series, positions kept of the `refs` series or None): a position whose edition-year
    figure was not published is dropped from every series under the chart's policy "drop" (gaps.py)."""
    from generators.load.gaps import resolve

    out: list[list[Figure]] = []
    slots: list[list[Figure | None]] = []
    for s in spec.series:
        if s.refs is not None:
            slots.append([resolve(ds, R.parse_plain_ref(r), year, "chart", spec.unpublished) for r in s.refs])
            out.append([])
        elif s.indicator is not None:  # (the spec holds exactly one of refs and indicator)
            periods = [R.resolve_period_expr(p, year) for p in s.periods] if s.periods else None
            out.append([f for f in ds.series(s.indicator, periods) if f.year is None or f.year <= year + 1])
    if not slots:
        return out, None
    if len({len(x) for x in slots}) > 1:  # series of unequal length: drawn as written, the shape check says so
        it = iter(slots)
        return [[f for f in next(it) if f is not None] if s.refs is not None else g
                for s, g in zip(spec.series, out, strict=False)], None
    kept = [i for i in range(len(slots[0])) if all(x[i] is not None for x in slots)]
    it = iter(slots)
    for n, s in enumerate(spec.series):
        if s.refs is not None:
            row = next(it)
            out[n] = [f for i in kept if (f := row[i]) is not None]  # (kept: positions set in every series)
    return out, kept


def _shape_problem(ds: Dataset, spec: S.ChartSpec, groups: list[list[Figure]]) -> tuple[str, str] | None:
    """(field, Chinese message) for the first shape fault of one chart, or None."""
    for i, figs in enumerate(groups, 1):
        if not figs:
            return f"series[{i}]", "这个数据系列没有任何数字（指标或年份不对？），应至少有一个"
    counts = [len(f) for f in groups]
    if len(set(counts)) > 1:
        return "series", f"各数据系列的数字个数应相同，实际为 {'、'.join(map(str, counts))} 个"
    if spec.categories is not None and len(spec.categories) != counts[0]:
        return "categories", (f"分类（categories）有 {len(spec.categories)} 个，而每个数据系列有 {counts[0]} 个数字："
                              "两者应一一对应，否则柱子会标错名称")
    unit = spec.unit or ds.indicators[groups[0][0].indicator].unit
    kind = chartkinds.get(spec.kind)
    for figs in groups:
        for f in figs:
            if not units.convertible(f.unit, unit) and f.unit != unit:
                return "unit", f"{f.ref()} 的单位“{f.unit}”与图表单位“{unit}”不一致，也不能换算"
            if kind.non_negative and f.value < 0:
                return "series", f"{f.ref()} 是负数（{f.text}），“{spec.kind}”图不能画负数；{kind.negative_hint}"
    if kind.parts_of_whole:
        return _share_problem(spec, groups[0], unit)
    return None


def _share_problem(spec: S.ChartSpec, figs: list[Figure], unit: str) -> tuple[str, str] | None:
    values = [units.convert(f.value, f.unit, unit) if units.convertible(f.unit, unit) else f.value for f in figs]
    if unit == "%":
        for f, v in zip(figs, values, strict=False):
            if v > 100:
                return "series", f"{f.ref()} 是 {f.text}%，构成图中的占比应在 0 到 100 之间"
    total = Decimal(str(spec.total)) if spec.total is not None else (Decimal(100) if unit == "%" else None)
    if total is None:
        return None
    got = sum(values, Decimal(0))
    if abs(got - total) > SHARE_TOLERANCE:
        declared = "total 所写的合计" if spec.total is not None else "100%"
        return "series", (f"构成图各部分合计为 {units.fmt_number(got, 2)}，应为{declared} {units.fmt_number(total, 2)}"
                          f"（允许误差 {SHARE_TOLERANCE}）；缺了某一部分，或某个数字有误；只画其中几部分时请写 total: 合计")
    return None


def check_charts(ds: Dataset, year: int, problems: Problems) -> None:
    """Report every chart whose data would be drawn wrong, at the chart's line in data/charts.yaml."""
    path = ds.root / "charts.yaml"
    raw = ds.raw_texts.get(str(path))
    items = raw.get("charts") if isinstance(raw, dict) else None
    for i, spec in enumerate(ds.charts.values()):
        try:
            groups, kept = chart_slots(ds, spec, year)
        except ValueError:
            continue  # an unknown reference is reported, located, by the reference check
        if kept is not None and not kept:
            continue  # every bar unpublished this year: the chart is left out (listed by `check`)
        if kept is not None and spec.categories is not None and len(spec.categories) == len(spec.series[0].refs or []):
            spec = spec.model_copy(update={"categories": [spec.categories[i] for i in kept]})
        bad = _shape_problem(ds, spec, groups)
        if bad:
            node = items[i] if isinstance(items, list) and i < len(items) else None
            key = bad[0].split("[")[0]
            line = line_of(node, key, line_of(items, i)) if node is not None else None
            if key == "series" and isinstance(node, dict) and isinstance(node.get("series"), list):
                line = line_of(node["series"], 0, line)  # the first series item: where its refs are written
            problems.add(shown(Path(path)), line,
                         field=f"charts[{i + 1}]（{spec.id}）.{bad[0]}", message=bad[1])
