"""`reportgen diff`: two years' figures compared, data/derived.yaml re-checked, large changes flagged."""

from __future__ import annotations

import copy
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from generators import units
from generators.errors import InputError, Problem
from generators.load import gaps as G
from generators.load.dataset import Dataset, Figure, load_dataset
from generators.typography import display_width
from generators.yearly.common import (
    DEFAULT_POINTS,
    DEFAULT_THRESHOLD,
    canonical,
    check_year,
    pad,
    pct,
    plain,
    review_change,
    signed,
)
from generators.yearly.settings import Settings

Key = tuple[str, str]  # (indicator, scope)


def diff_years(root: Path, year_a: int, year_b: int, threshold: Decimal = DEFAULT_THRESHOLD,
               points: Decimal = DEFAULT_POINTS) -> dict[str, Any]:
    """The comparison as plain data (what `--format json` prints, and what the page shows); values in catalogue
    units, `text_*` with the published digits (never rounded), numbers beside them for scripts.

    Levels are flagged beyond `threshold` %, rates and shares (unit %) beyond `points` 百分点 (and their change is
    given in 百分点, never as a per cent of a per cent). "new" lists only what a statistical bulletin (an import)
    added; records of other sources for `year_b` (an article's figures) are "other_new". Files are named inside
    the project (data/…)."""
    from generators.load.years import bulletin_years

    check_year(year_a, "YEAR_A")
    check_year(year_b, "YEAR_B")
    ds = load_dataset(root / "data")
    a, b = _year_records(ds, year_a), _year_records(ds, year_b)
    for y, recs in ((year_a, a), (year_b, b)):
        if not recs:
            raise InputError(Problem("data/figures", message=f"{y}年没有任何数字记录",
                                     expected="已有数字的年份：" + "、".join(map(str, ds.years()))))
    changed, unchanged, review = _changes(ds, a, b, threshold, points)
    bulletin = _bulletin_sources(ds) if year_b in bulletin_years(ds) else set()
    added = [_base(ds, k) | _value(ds, b[k], "b") for k in sorted(set(b) - set(a), key=_order(ds))]
    missing = [_base(ds, k) | _value(ds, a[k], "a") for k in sorted(set(a) - set(b), key=_order(ds))]
    mismatches, unavailable = _derived_for(ds, year_b)
    rel = _project_relative(root)
    return {"year_a": year_a, "year_b": year_b, "threshold_pct": _num(threshold), "threshold_points": _num(points),
            "thresholds": f"总量 ±{plain(threshold)}%，比率（%）±{plain(points)}个百分点",
            "changed": changed, "unchanged": unchanged,
            "new": [x for x in added if x["source_b"] in bulletin],
            "other_new": [x for x in added if x["source_b"] not in bulletin],
            "missing": missing, "derived_mismatches": mismatches, "derived_unavailable": unavailable, "review": review,
            "unpublished": [rel(g.describe()) for g in G.collect(ds, year_b)],
            "pinned": [rel(p.describe()) for p in G.pinned(ds, year_b)]}


def _bulletin_sources(ds: Dataset) -> set[str]:
    return {k for k, v in ds.sources.items() if str(v.get("kind") or "") == "统计公报"}


def _project_relative(root: Path):
    """A message's paths inside the project as data/…, wherever the command runs (never a server's folders)."""
    forms = {str(root), str(root.resolve())}
    try:  # errors.shown names a path relative to the working folder when it lies inside it
        forms.add(str(root.resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        pass
    prefixes = sorted({f + os.sep for f in forms if f != "."}, key=len, reverse=True)

    def rel(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix, "")
        return text
    return rel


def _year_records(ds: Dataset, year: int) -> dict[Key, Figure]:
    return {(f.indicator, f.scope): f for f in ds.figures.values() if f.period == str(year)}


def _order(ds: Dataset) -> Any:
    """Sort key: catalogue order of the indicator, then scope."""
    pos = {k: i for i, k in enumerate(ds.indicators)}
    return lambda key: (pos.get(key[0], 10**6), key[1])


def _base(ds: Dataset, key: Key) -> dict[str, Any]:
    ind = ds.indicators[key[0]]
    return {"indicator": ind.id, "name": ind.name, "scope": key[1], "unit": ind.unit, "decimals": ind.decimals,
            "kind": "rate" if units.is_rate(ind.unit) else "level"}


def published(ds: Dataset, fig: Figure) -> str:
    """A figure's digits in its indicator's unit: as published when the units agree, else converted exactly."""
    if fig.unit == ds.indicators[fig.indicator].unit:
        return fig.text
    return _plain(canonical(ds, fig))


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _value(ds: Dataset, fig: Figure, side: str) -> dict[str, Any]:
    return {f"value_{side}": _num(canonical(ds, fig)), f"text_{side}": published(ds, fig), f"source_{side}": fig.source}


def _changes(ds: Dataset, a: dict[Key, Figure], b: dict[Key, Figure], threshold: Decimal,
             points: Decimal) -> tuple[list[dict[str, Any]], int, list[str]]:
    """(changed items, count unchanged, refs to review) over the records both years have."""
    changed, unchanged, review = [], 0, []
    for key in sorted(set(a) & set(b), key=_order(ds)):
        va, vb = canonical(ds, a[key]), canonical(ds, b[key])
        if va == vb:
            unchanged += 1
            continue
        unit = ds.indicators[key[0]].unit
        rate = units.is_rate(unit)
        d = vb - va
        p = None if rate else pct(va, vb)
        why = review_change(unit, va, vb, threshold, points)
        item = _base(ds, key) | _value(ds, a[key], "a") | _value(ds, b[key], "b") | {
            "change": _num(d), "change_text": ("+" if d > 0 else "") + _plain(d),
            "change_unit": "个百分点" if rate else unit,
            "change_pct": None if p is None else _num(p.quantize(Decimal("0.01"))),
            "change_pct_text": None if p is None else signed(p, 2, "%"),
            "review": why is not None, "review_reason": why or "",
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
    """The published digits (text_a / text_b), never re-rounded to the catalogue's decimals."""
    v = item.get("text_" + key[-1])
    return "—" if v is None else str(v)


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip() for r in rows]


def diff_text(report: dict[str, Any], settings: Settings) -> str:
    """The comparison as Chinese text tables, aligned for a terminal (CJK counts double); the same content as
    the JSON and the page: published digits, 百分点 for rates, % change for levels, the thresholds as applied."""
    ya, yb = report["year_a"], report["year_b"]
    th = report.get("thresholds") or f"总量 ±{report['threshold_pct']}%，比率（%）±{report['threshold_points']}个百分点"
    out = [f"{settings.county}数字对比：{ya}年 → {yb}年", f"复核阈值：{th}", ""]
    out.append(f"一、数值有变化的指标（{len(report['changed'])} 项；数值均为指标单位；比率的变化以百分点计，"
               f"总量的变化另列变化率；超过复核阈值的在“复核”列标 ※）")
    if report["changed"]:
        rows = [["指标", "单位", f"{ya}年", f"{yb}年", "变化", "变化率", "复核", "指标ID"]]
        for it in report["changed"]:
            change = it["change_text"] + ("个百分点" if it["kind"] == "rate" else "")
            rows.append([_label(it), it["unit"], _val(it, "value_a"), _val(it, "value_b"), change,
                         it["change_pct_text"] or "—", "※" if it["review"] else "", _ref(it)])
        out += _table(rows, {2, 3, 4, 5})
    else:
        out.append("  （无）")
    out.append(f"  另有 {report['unchanged']} 项两年数值相同。")
    for title, key, vkey, y in ((f"二、{yb}年新增的指标（统计公报导入，{ya}年没有）", "new", "value_b", yb),
                                (f"二（续）、{yb}年文章等其他来源已有的数字（不是导入新增，{ya}年没有）", "other_new", "value_b", yb),
                                (f"三、{yb}年缺少的指标（{ya}年有）", "missing", "value_a", ya)):
        items = report.get(key, [])
        out += ["", f"{title}（{len(items)} 项）"]
        if items:
            rows = [["指标", "单位", f"{y}年", "指标ID"]] + [[_label(it), it["unit"], _val(it, vkey), _ref(it)]
                                                           for it in items]
            out += _table(rows, {2})
        else:
            out.append("  （无）")
    out += _derived_text(report, yb)
    out += ["", f"五、需要复核（{th}；{len(report['review'])} 项）"]
    out += ["  " + f"{_ref(it)}：{it['review_reason']}" for it in report["changed"] if it["review"]] or ["  （无）"]
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
