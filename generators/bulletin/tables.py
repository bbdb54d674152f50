"""Figures in a bulletin's tables (.docx, .html and .txt keep cells apart with tabs): row name × column header.

A header row (no number in it) says which column holds the unit (单位), the year's value (the first other
column) and the growth (增长/增速/比上年, in %). A data row counts only when its first cell is exactly one of an
indicator's wordings (a unit in brackets may follow: 地区生产总值（亿元）) and the cell is a bare number.
"""

from __future__ import annotations

import re

from generators import units
from generators.bulletin.aliases import GAP, Spec
from generators.bulletin.match import NUM, Candidate, make_candidate
from generators.bulletin.text import Sentence

_NUMBER = re.compile(rf"-?{NUM}")
_BRACKET = re.compile(r"[（(]([^）)]*)[）)]$")
_GROWTH_HEAD = ("增长", "增速", "比上年", "±", "同比", "增幅")


def table_candidates(specs: list[Spec], sentences: list[Sentence], year: int) -> dict[str, list[Candidate]]:
    """indicator → candidates from table rows, in order."""
    by_name: dict[str, list[Spec]] = {}
    gapped: list[tuple[re.Pattern[str], Spec]] = []
    for spec in specs:
        for name in spec.names:
            if GAP not in name:
                by_name.setdefault(name, []).append(spec)
            else:  # “高新区…合同引资” names the row “<county>高新区合同引资”
                parts = [re.escape(p.strip()) for p in name.split(GAP) if p.strip()]
                gapped.append((re.compile(r"[\u4e00-\u9fff]{0,4}" + ".{0,30}".join(parts)), spec))
    out: dict[str, list[Candidate]] = {}
    header: list[str] | None = None
    for s in sentences:
        if "\t" not in s.work:
            header = None  # the table ended
            continue
        cells = s.work.split("\t")
        if not any(_NUMBER.fullmatch(c) for c in cells[1:]):
            header = cells
            continue
        if header is None:
            continue
        name = _BRACKET.sub("", cells[0]).strip()
        bracket = _BRACKET.search(cells[0])
        matching = by_name.get(name, []) + [spec for rx, spec in gapped if rx.fullmatch(name)]
        for spec in dict.fromkeys(matching):
            c = _row(spec, s, cells, header, bracket.group(1) if bracket else "", year)
            if c is not None:
                out.setdefault(spec.indicator, []).append(c)
    return out


def _row(spec: Spec, s: Sentence, cells: list[str], header: list[str], name_unit: str, year: int) -> Candidate | None:
    """A column headed by another year (“2024年”) is never read; the one headed by the bulletin's year, 本年 or
    全年 is preferred for the value."""
    def other_year(h: str) -> bool:
        return any(int(y) != year for y in re.findall(r"(\d{4})年?", h))

    unit_col = next((i for i, h in enumerate(header) if "单位" in h), None)
    growth_col = next((i for i, h in enumerate(header) if i and any(w in h for w in _GROWTH_HEAD)
                       and not other_year(h)), None)
    free = [i for i in range(1, len(header)) if i not in (unit_col, growth_col) and not any(
        w in header[i] for w in _GROWTH_HEAD) and not other_year(header[i])]
    value_col = next((i for i in free if str(year) in header[i] or any(w in header[i] for w in ("本年", "全年", "本期"))),
                     free[0] if free else None)
    col = growth_col if spec.growth else value_col
    if col is None or col >= len(cells) or not _NUMBER.fullmatch(cells[col]):
        return None
    if spec.growth:
        if "%" not in header[col]:
            return None
        unit = "%"
    else:
        head_unit = _BRACKET.search(header[col])
        unit = (cells[unit_col] if unit_col is not None and unit_col < len(cells) else "") or name_unit \
            or (head_unit.group(1) if head_unit else "")
        if not (unit == spec.unit or units.convertible(unit, spec.unit)):
            return None
    start = sum(len(c) + 1 for c in cells[:col])
    return make_candidate(spec, s, start, start + len(cells[col]), unit, "")
