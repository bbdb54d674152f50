"""`reportgen diff`: two years' figures compared, data/derived.yaml re-checked, large changes flagged."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from generators.errors import InputError, Problem
from generators.load import gaps as G
from generators.load.dataset import Dataset, Figure, load_dataset
from generators.typography import display_width
from generators.yearly.common import (
    DEFAULT_POINTS,
    DEFAULT_THRESHOLD,
    canonical,
    check_year,
    fmt,
    pad,
    pct,
    review_change,
    signed,
)
from generators.yearly.settings import Settings

Key = tuple[str, str]  # (indicator, scope)


def diff_years(root: Path, year_a: int, year_b: int, threshold: Decimal = DEFAULT_THRESHOLD,
               points: Decimal = DEFAULT_POINTS) -> dict[str, Any]:
    """The comparison as plain data (what `--format json` prints); values in catalogue units.

    Levels are flagged beyond `threshold` %, rates and shares (unit %) beyond `points` 百分点."""
    check_year(year_a, "YEAR_A")
    check_year(year_b, "YEAR_B")
    ds = load_dataset(root / "data")
    a, b = _year_records(ds, year_a), _year_records(ds, year_b)
    for y, recs in ((year_a, a), (year_b, b)):
        if not recs:
            raise InputError(Problem("data/figures", message=f"{y}年没有任何数字记录",
                                     expected="已有数字的年份：" + "、".join(map(str, ds.years()))))
    changed, unchanged, review = _changes(ds, a, b, threshold, points)
    new = [_base(ds, k) | {"value_b": _num(canonical(ds, b[k])), "source_b": b[k].source}
           for k in sorted(set(b) - set(a), key=_order(ds))]
    missing = [_base(ds, k) | {"value_a": _num(canonical(ds, a[k])), "source_a": a[k].source}
               for k in sorted(set(a) - set(b), key=_order(ds))]
    mismatches, unavailable = _derived_for(ds, year_b)
    return {"year_a": year_a, "year_b": year_b, "threshold_pct": _num(threshold), "threshold_points": _num(points),
            "changed": changed, "unchanged": unchanged, "new": new, "missing": missing,
            "derived_mismatches": mismatches, "derived_unavailable": unavailable, "review": review,
            "unpublished": [g.describe() for g in G.collect(ds, year_b)],
            "pinned": [p.describe() for p in G.pinned(ds, year_b)]}


def _year_records(ds: Dataset, year: int) -> dict[Key, Figure]:
    return {(f.indicator, f.scope): f for f in ds.figures.values() if f.period == str(year)}


def _order(ds: Dataset) -> Any:
    """Sort key: catalogue order of the indicator, then scope."""
    pos = {k: i for i, k in enumerate(ds.indicators)}
    return lambda key: (pos.get(key[0], 10**6), key[1])


def _base(ds: Dataset, key: Key) -> dict[str, Any]:
    ind = ds.indicators[key[0]]
    return {"indicator": ind.id, "name": ind.name, "scope": key[1], "unit": ind.unit, "decimals": ind.decimals}


def _changes(ds: Dataset, a: dict[Key, Figure], b: dict[Key, Figure], threshold: Decimal,
             points: Decimal) -> tuple[list[dict[str, Any]], int, list[str]]:
    """(changed items, count unchanged, refs to review) over the records both years have."""
    changed, unchanged, review = [], 0, []
    for key in sorted(set(a) & set(b), key=_order(ds)):
        va, vb = canonical(ds, a[key]), canonical(ds, b[key])
        if va == vb:
            unchanged += 1
            continue
        p = pct(va, vb)
        item = _base(ds, key) | {
            "value_a": _num(va), "value_b": _num(vb), "change": _num(vb - va),
            "change_pct": None if p is None else _num(p.quantize(Decimal("0.01"))),
            "review": review_change(ds.indicators[key[0]].unit, va, vb, threshold, points) is not None,
            "source_a": a[key].source, "source_b": b[key].source,
        }
        changed.append(item)
        if item["review"]:
            review.append(item["indicator"] + (f"/{key[1]}" if key[1] else ""))
    return changed, unchanged, review


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _derived_for(ds: Dataset, year: int) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Every derived check that does not hold for `year` (via derive.evaluate), and those it cannot compute."""
    from generators.load.derive import evaluate

    bad, unavailable = [], []
    for spec in ds.derived:
        one = copy.copy(ds)
        one.derived = [spec]
        try:
            (dv,) = evaluate(one, year)
        except (ValueError, ArithmeticError) as exc:
            unavailable.append({"id": spec.id, "label": spec.label, "reason": str(exc)})
            continue
        if not dv.ok:
            bad.append({"id": dv.id, "label": dv.label, "computed": _num(dv.value.quantize(Decimal("0.01"))),
                        "stated": _num(dv.stated), "tolerance": _num(Decimal(str(spec.tolerance))),
                        "inputs": list(spec.inputs)})
    return bad, unavailable


def diff_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# ---- the text report ------------------------------------------------------------------------------------

def _label(item: dict[str, Any]) -> str:
    return item["name"] + (f"（{item['scope']}）" if item["scope"] else "")


def _ref(item: dict[str, Any]) -> str:
    return item["indicator"] + (f"/{item['scope']}" if item["scope"] else "")


def _val(item: dict[str, Any], key: str) -> str:
    v = item.get(key)
    return "—" if v is None else fmt(Decimal(str(v)), item["decimals"])


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip() for r in rows]


def diff_text(report: dict[str, Any], settings: Settings) -> str:
    """The comparison as Chinese text tables, aligned for a terminal (CJK counts double)."""
    ya, yb = report["year_a"], report["year_b"]
    th = f"{report['threshold_pct']}%；比率 ±{report.get('threshold_points', 5)}个百分点"
    out = [f"{settings.county}数字对比：{ya}年 → {yb}年", ""]
    out.append(f"一、数值有变化的指标（{len(report['changed'])} 项；数值均换算为指标单位；"
               f"变化超过 ±{th} 的在“复核”列标 ※）")
    if report["changed"]:
        rows = [["指标", "单位", f"{ya}年", f"{yb}年", "变化", "变化率", "复核", "指标ID"]]
        for it in report["changed"]:
            p = "—" if it["change_pct"] is None else signed(Decimal(str(it["change_pct"])), 2, "%")
            rows.append([_label(it), it["unit"], _val(it, "value_a"), _val(it, "value_b"),
                         signed(Decimal(str(it["change"])), it["decimals"]), p, "※" if it["review"] else "", _ref(it)])
        out += _table(rows, {2, 3, 4, 5})
    else:
        out.append("  （无）")
    out.append(f"  另有 {report['unchanged']} 项两年数值相同。")
    for title, key, vkey, y in ((f"二、{yb}年新增的指标（{ya}年没有）", "new", "value_b", yb),
                                (f"三、{yb}年缺少的指标（{ya}年有）", "missing", "value_a", ya)):
        out += ["", f"{title}（{len(report[key])} 项）"]
        if report[key]:
            rows = [["指标", "单位", f"{y}年", "指标ID"]] + [[_label(it), it["unit"], _val(it, vkey), _ref(it)]
                                                           for it in report[key]]
            out += _table(rows, {2})
        else:
            out.append("  （无）")
    out += _derived_text(report, yb)
    out += ["", f"五、需要复核（变化超过 ±{th}；{len(report['review'])} 项）"]
    out.append("  " + ("、".join(report["review"]) if report["review"] else "（无）"))
    for title, key in ((f"六、{yb}年版本中未公布的数字（按 settings.yaml 的 unpublished 规则处理）", "unpublished"),
                       (f"七、{yb}年版本中仍固定引用较早年份的文字（{yb}年已有数字，请决定是否改为 @Y）", "pinned")):
        items = report.get(key, [])
        out += ["", f"{title}（{len(items)} 处）"] + ["  " + x for x in items] + ([] if items else ["  （无）"])
    return "\n".join(out) + "\n"


def _derived_text(report: dict[str, Any], yb: int) -> list[str]:
    out = ["", f"四、计算值与公布值不一致（data/derived.yaml，按 {yb} 年计算；{len(report['derived_mismatches'])} 项）"]
    if report["derived_mismatches"]:
        rows = [["核对项", "计算值", "公布值", "允许误差"]]
        for m in report["derived_mismatches"]:
            rows.append([f"{m['label']} {m['id']}", str(m["computed"]), "—" if m["stated"] is None else str(m["stated"]),
                         str(m["tolerance"])])
        out += _table(rows, {1, 2, 3})
    else:
        out.append("  （无）")
    for u in report["derived_unavailable"]:
        out.append(f"  无法计算：{u['label']} {u['id']}（{u['reason']}）")
    return out
