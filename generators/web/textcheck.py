"""Form helpers over a loaded dataset: texts as they will print, and warnings for hand-typed numbers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterator

_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_REF_TOKEN = re.compile(r"\{[^{}]*\}")
TEXT_KINDS = ("p", "quote", "heading")


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
    for key in ("title", "subtitle", "meeting", "date", "issuer"):
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
    """A warning for every number typed by hand (not a `{ref}`), naming the indicators that hold that value."""
    out = []
    for field, text in texts(raw):
        if field == "date":
            continue
        bare = _REF_TOKEN.sub(lambda m: " " * len(m.group(0)), text)
        for m in _NUMBER.finditer(bare):
            num = m.group(0)
            if _is_year(num):
                continue
            figs = index.get(_key(num) or "", [])[:3]
            suggestions = [{"ref": f.ref(), "name": ds.indicators[f.indicator].name, "value": f.text, "unit": f.unit,
                            "period": f.period} for f in figs]
            msg = f"“{num}”是手写的数字：数字应从指标中插入，才能保证与数据一致、随数据更新"
            if suggestions:
                msg += "；" + "、".join(f"指标“{s['name']}”{s['period']}年的数值正是 {s['value']}{s['unit']}（{{{s['ref']}}}）"
                                       for s in suggestions)
            out.append({"field": field, "number": num, "message": msg + "。", "suggestions": suggestions})
    return out


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
