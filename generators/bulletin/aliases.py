"""data/bulletin-aliases.yaml: how bulletins name each yearly indicator, validated with located Chinese errors."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.errors import InputError, Problem, did_you_mean
from generators.load.records import Indicator
from generators.load.textio import line_of, read_yaml, shown

FILE = "bulletin-aliases.yaml"
GAP = "…"
_KEYS = {"names", "growth_of", "read", "ratio", "not_after", "same_units"}


@dataclass(frozen=True)
class Spec:
    """How one indicator is read: its wordings, whether its value is a growth rate, a part of a ratio."""

    indicator: str
    unit: str
    names: tuple[str, ...]
    growth: bool = False
    ratio_part: int | None = None
    ratio_names: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    not_in_clause: tuple[str, ...] = ()
    same_units: tuple[str, ...] = ()  # units the bulletin may print for this indicator's own (户 for 家)


def load_specs(data: Path, indicators: dict[str, Indicator]) -> list[Spec]:
    """One Spec per yearly indicator named in the file (catalogue order); InputError on any mistake."""
    path = data / FILE
    where = shown(path)
    if not path.is_file():
        raise InputError(Problem(where, message="找不到公报说法文件（读取统计公报需要它）"))
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), dict):
        raise InputError(Problem(where, message="应有 indicators: 下面按指标ID列出说法", found=type(raw).__name__))
    problems: list[Problem] = []
    common = _strings(raw.get("not_after", []), where, line_of(raw, "not_after"), "not_after", problems)
    clause = _strings(raw.get("not_in_clause", []), where, line_of(raw, "not_in_clause"), "not_in_clause", problems)
    structure = _strings(raw.get("structure_names", []), where, line_of(raw, "structure_names"), "structure_names",
                         problems)
    entries = raw["indicators"]
    specs: dict[str, Spec] = {}
    for key, entry in entries.items():
        line = line_of(entries, key)
        ind = indicators.get(str(key))
        if ind is None or not ind.yearly:
            problems.append(Problem(where, line, field=f"indicators.{key}",
                                    message=("不是指标目录中的指标。" + did_you_mean(str(key), indicators)) if ind is None
                                    else "不是年度指标（指标目录 yearly 列不是 yes），填报表中没有这一行"))
            continue
        spec = _spec(ind, entry, entries, common, where, line, problems, structure)
        if spec is not None:
            specs[ind.id] = dataclasses.replace(spec, not_in_clause=clause)
    if problems:
        raise InputError(problems)
    return [specs[i] for i in indicators if i in specs]


def _spec(ind: Indicator, entry: Any, entries: dict, common: tuple[str, ...], where: str, line: int | None,
          problems: list[Problem], structure: tuple[str, ...] = ()) -> Spec | None:
    field = f"indicators.{ind.id}"
    if not isinstance(entry, dict):
        problems.append(Problem(where, line, field=field, message="应是一组设置（names、growth_of 等）",
                                found=str(entry)))
        return None
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        problems.append(Problem(where, line_of(entry, unknown[0], line), field=f"{field}.{unknown[0]}",
                                message="不认识的设置。" + did_you_mean(str(unknown[0]), _KEYS),
                                expected="、".join(sorted(_KEYS))))
        return None
    names = _strings(entry.get("names", []), where, line_of(entry, "names", line), f"{field}.names", problems)
    growth = entry.get("read") == "growth"
    if "read" in entry and entry["read"] != "growth":
        problems.append(Problem(where, line_of(entry, "read", line), field=f"{field}.read",
                                expected="growth（或不写）", found=str(entry["read"])))
    if (of := entry.get("growth_of")) is not None:
        partner = entries.get(of)
        if not isinstance(partner, dict) or not partner.get("names"):
            problems.append(Problem(where, line_of(entry, "growth_of", line), field=f"{field}.growth_of",
                                    message="应是本文件中另一个写了 names 的指标ID", found=str(of)))
        else:
            names += _strings(partner["names"], where, line, f"{field}.growth_of", problems)
            growth = True
    part, ratio_names = _ratio(entry.get("ratio"), where, line_of(entry, "ratio", line), field, problems)
    if part is not None and not ratio_names:
        ratio_names = structure
    if not names and not ratio_names:
        problems.append(Problem(where, line, field=field, message="没有写 names（公报里的叫法）"))
        return None
    extra = _strings(entry.get("not_after", []), where, line_of(entry, "not_after", line), f"{field}.not_after",
                     problems)
    same = _strings(entry.get("same_units", []), where, line_of(entry, "same_units", line), f"{field}.same_units",
                    problems)
    return Spec(ind.id, ind.unit, tuple(dict.fromkeys(names)), growth, part, ratio_names, common + extra,
                same_units=same)


def _ratio(raw: Any, where: str, line: int | None, field: str,
           problems: list[Problem]) -> tuple[int | None, tuple[str, ...]]:
    if raw is None:
        return None, ()
    part = raw.get("part") if isinstance(raw, dict) else None
    if not isinstance(part, int) or isinstance(part, bool) or not 1 <= part <= 5:
        problems.append(Problem(where, line, field=f"{field}.ratio", message="应写 part（第几项，1–5），可另写 names",
                                found=str(raw)))
        return None, ()
    return part, _strings(raw.get("names", []), where, line, f"{field}.ratio.names", problems)


def _strings(raw: Any, where: str, line: int | None, field: str, problems: list[Problem]) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(x, str) and x.strip(GAP + " ") for x in items):
        problems.append(Problem(where, line, field=field, message="应是一串文字（如 [地区生产总值, GDP]）", found=str(raw)))
        return ()
    return tuple(x.strip() for x in items)
