"""What the page (and `reportgen list`) can pick from: indicators with their figures and categories, the chart
gallery, and every passage of the deck and the summary by a stable reference."""

from __future__ import annotations

import re
from typing import Any

from generators import products as R

_PLACE = re.compile(r"^(?:(?P<sec>[a-z][a-z0-9_]*)\.)?(?:(?P<list>[a-z_]+)\.)?(?P<n>\d+)$")
LISTS = {"intro": "导语", "closing": "结语", "numbers": "数字力量", "review": "回顾", "photos": "图片"}


def indicator_entries(ds, source_name) -> list[dict[str, Any]]:
    """Every indicator with its figures; `search` holds its words: name, id, description, every category it
    belongs to (its own and those of data/categories.yaml whose words or list take it in) with their words."""
    out = []
    for ind in ds.indicators.values():
        figs = sorted(ds.by_indicator(ind.id), key=lambda f: (f.period, f.scope))
        cats = ds.categories_of(ind)
        words = [ind.name, ind.id, ind.description]
        for c in cats:
            spec = ds.categories.get(c)
            words += [ds.category_name(c), *(spec.words if spec else [])]
        out.append({"id": ind.id, "name": ind.name, "unit": ind.unit, "category": ind.category,
                    "category_name": ds.category_name(ind.category), "categories": cats,
                    "category_names": [ds.category_name(c) for c in cats], "search": " ".join(words).lower(),
                    "periods": [{"period": f.period, "scope": f.scope, "value": f.text, "unit": f.unit,
                                 "source": f.source, "source_name": source_name(ds, f.source), "ref": f.ref()}
                                for f in figs]})
    return out


def place_label(ds, stem: str, place: str) -> str:
    """"economy.review.3" → "经济硬实力 · 回顾第 3 项"; "industry.2" → "<章标题> · 第 2 段"; "closing" → "结语"."""
    if place == "closing":
        return "结语"
    m = _PLACE.match(place)
    if not m:
        return place
    sec, lst, n = m.group("sec"), m.group("list"), m.group("n")
    if sec in LISTS and lst is None:
        sec, lst = None, sec
    head = ""
    spec = ds.texts.get(stem)
    for part in (getattr(spec, "parts", None) or getattr(spec, "chapters", None) or []):
        if part.id == sec:
            head = f"{part.short or part.title} · "
    unit = "项" if lst == "review" else "张" if lst == "photos" else "段"
    return f"{head}{LISTS.get(lst or '', '')}第 {n} {unit}"


def block_entries(ds, plain) -> list[dict[str, Any]]:
    """Every passage once: referenced by its id where it has one, else by its place in the file."""
    from generators.load.specs import ReviewItem

    first: dict[int, str] = {}
    places: dict[int, str] = {}
    for key, b in ds.blocks.items():
        stem, _, rest = key.partition("#")
        if "." in rest or rest == "closing":
            places.setdefault(id(b), key)
        else:
            first.setdefault(id(b), key)
    labels = {stem: t.label for stem, t in R.text_files().items()}  # the registry's names of the texts
    out = []
    seen: set[int] = set()
    for key, b in ds.blocks.items():
        if id(b) in seen:
            continue
        seen.add(id(b))
        ref = first.get(id(b)) or key
        stem = ref.partition("#")[0]
        place = places.get(id(b), key).partition("#")[2]
        if isinstance(b, ReviewItem):
            text, kind = b.heading + "：" + b.text, "review"
        else:
            kind = b.kind
            text = {"points": "；".join(b.points or []), "figures": "关键数据", "chart": "图表"}.get(kind) \
                or str(getattr(b, kind) or "")
        shown = plain(text)
        where = f"{labels.get(stem, stem)} · {place_label(ds, stem, place)}"
        out.append({"id": ref, "block": ref.partition("#")[2], "source": stem,
                    "source_name": labels.get(stem, stem), "where": where, "kind": kind,
                    "first_words": shown[:60], "text": shown[:3000]})
    return out
