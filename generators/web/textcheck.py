"""Form helpers over a loaded dataset: texts as they will print, and warnings for hand-typed numbers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterator

from generators.load.specs import BriefingSpec

_NUMBER = re.compile(r"(?<![\d.A-Za-z])\d+(?:\.\d+)?(?![\d.A-Za-z])")  # not the 5 of "5G"
_REF_TOKEN = re.compile(r"\{[^{}]*\}")
TEXT_KINDS = ("p", "quote", "heading")
# The briefing's fields the user types prose into, as its schema marks them (free_text).
FREE_TEXT = tuple(k for k, f in BriefingSpec.model_fields.items()
                  if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get("free_text"))


def _key(text: str) -> str | None:
    try:
        return str(Decimal(text).normalize())
    except InvalidOperation:
        return None


def value_index(ds) -> dict[str, list]:
    """Normalised value → figures that hold it (newest first), for 'this number is indicator X'."""
    index: dict[str, list] = {}
    for f in ds.figures.values():
        k = _key(f.text)
        if k is not None:
            index.setdefault(k, []).append(f)
    for figs in index.values():
        figs.sort(key=lambda f: f.period, reverse=True)
    return index


def texts(raw: Any) -> Iterator[tuple[str, str]]:
    """(field path, text) for every free text of a briefing spec the user typed."""
    if not isinstance(raw, dict):
        return
    for key in FREE_TEXT:
        if isinstance(raw.get(key), str):
            yield key, raw[key]
    for i, sec in enumerate(raw.get("sections") or [], 1):
        if not isinstance(sec, dict):
            continue
        if isinstance(sec.get("title"), str):
            yield f"sections[{i}].title", sec["title"]
        for j, b in enumerate(sec.get("blocks") or [], 1):
            if not isinstance(b, dict):
                continue
            base = f"sections[{i}].blocks[{j}]"
            for kind in TEXT_KINDS:
                if isinstance(b.get(kind), str):
                    yield f"{base}.{kind}", b[kind]
            if isinstance(b.get("points"), list):
                for n, t in enumerate(b["points"], 1):
                    if isinstance(t, str):
                        yield f"{base}.points[{n}]", t


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1949 <= int(text) <= 2100


def hand_numbers(ds, index: dict[str, list], raw: Any) -> list[dict]:
    """A warning for every number typed by hand (not a `{ref}`): first the indicator the words just before it
    name ("社会消费品零售总额……增长6.3%" → its growth, with the value the data holds), then indicators holding
    exactly that value."""
    out = []
    for field, text in texts(raw):
        if field == "date":
            continue
        bare = _REF_TOKEN.sub(lambda m: " " * len(m.group(0)), text)
        for m in _NUMBER.finditer(bare):
            num = m.group(0)
            if _is_year(num):
                continue
            named = _named_nearby(ds, bare, m.start(), m.end(), num)
            same = [f for f in index.get(_key(num) or "", []) if f not in named]
            suggestions = [_suggestion(ds, f, num, "named") for f in named[:2]]
            suggestions += [_suggestion(ds, f, num, "value") for f in same[: 3 - len(suggestions)]]
            msg = f"“{num}”是手写的数字：数字应从指标中插入，才能保证与数据一致、随数据更新（仅提示，不影响生成）"
            if suggestions:
                msg += "；" + "；".join(s["hint"] for s in suggestions)
            out.append({"field": field, "number": num, "message": msg + "。", "suggestions": suggestions})
    return out


def _suggestion(ds, f, num: str, why: str) -> dict:
    name = ds.indicators[f.indicator].name
    if why == "value":
        hint = f"指标“{name}”{f.period}年的数值正是 {f.text}{f.unit}"
    elif _key(f.text) == _key(num):
        hint = f"这里说的应是“{name}”：数据中 {f.period}年为 {f.text}{f.unit}，与手写的相同"
    else:
        hint = f"这里说的可能是“{name}”：数据中 {f.period}年为 {f.text}{f.unit}，与手写的 {num} 不同，请核对"
    return {"ref": f.ref(), "name": name, "value": f.text, "unit": f.unit, "period": f.period, "why": why, "hint": hint}


def _names(name: str) -> set[str]:
    """An indicator's name as texts write it: whole, without a place prefix (地区/全县), without a final 数."""
    out = {name}
    if len(name) >= 6:
        out.add(name[2:])
    if len(name) >= 4 and name.endswith("数"):
        out.add(name[:-1])
    return out


_YEAR_WORD = re.compile(r"((?:19|20)\d{2})年")


def _named_nearby(ds, text: str, start: int, end: int, num: str, window: int = 40) -> list:
    """Figures of the indicator named closest before a number (its family: "X" and "X增速"…; the unit typed
    after the number picks among them), for the year the text names, else the one of that value, else the newest."""
    before = re.split(r"[。；！？\n]", text[max(0, start - window):start])[-1]  # the same sentence only
    best = None  # (end position of the name in `before`, name length, indicator)
    for ind in ds.indicators.values():
        for name in _names(ind.name):
            at = before.rfind(name)
            if at >= 0 and (best is None or (at + len(name), len(name)) > best[:2]):
                best = (at + len(name), len(name), ind)
    if best is None:
        return []
    base = best[2].name
    family = [i for i in ds.indicators.values() if i.name.startswith(base) or base.startswith(i.name)]
    after = text[end:end + 8]
    typed = [i for i in family if i.unit and after.startswith(i.unit)]
    if typed:
        family = typed
    elif after[:1].strip() and after[:1] not in "，。；、：）)":
        return []  # a unit none of them has: the words before name something else
    else:
        family = [best[2]]
    years = _YEAR_WORD.findall(text[:start])
    figs = []
    for ind in family:
        own = sorted(ds.by_indicator(ind.id), key=lambda f: f.period, reverse=True)
        pick = ([f for f in own if years and f.period == years[-1]] or [f for f in own if _key(f.text) == _key(num)]
                or own[:1])
        figs += pick[:1]
    return figs


def rendered(raw: Any, bad: set[str], bind: Callable[[str, int | None], str]) -> dict[str, str]:
    """Each typed text with its references filled in by `bind(text, year)`, as the document will print it."""
    year = raw.get("year") if isinstance(raw, dict) and isinstance(raw.get("year"), int) else None
    out = {}
    for field, text in texts(raw):
        if field in bad or "{" not in text:
            continue
        try:
            out[field] = bind(text, year)
        except ValueError:
            continue
    return out
