"""Figures not published for the edition year: which `@Y` references miss them, and what each use does (policy)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generators.load import refs as R
from generators.load.textio import shown

if TYPE_CHECKING:
    from generators.load.dataset import Dataset, Figure

DEFAULT_POLICY = {"text": "drop", "figures": "earlier", "chart": "drop", "table": "earlier"}
_END = "。！？；"  # a sentence (or a clause of a long one) ends here
_TOKEN = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
PLAIN_KEYS = {"ref", "from", "growth"}


@dataclass(frozen=True)
class Gap:
    """One use of a figure that was not published for the edition year."""

    ref: str  # as resolved: "gdp@2025"
    file: str
    line: int | None
    use: str  # 句子 / 数字卡片 / 图表 id / 表格
    effect: str  # what the documents do instead

    def describe(self) -> str:
        at = f"{self.file}" + (f" 第{self.line}行" if self.line else "")
        return f"{self.ref}（{at}，{self.use}）：{self.effect}"


def policy(ds: Dataset, kind: str, declared: str | None = None) -> str:
    """The policy of one use: declared on it, else settings.yaml `unpublished.<kind>`, else the default."""
    return declared or (ds.settings.get("unpublished") or {}).get(kind) or DEFAULT_POLICY[kind]


def is_gap(ds: Dataset, ref: R.Ref, year: int) -> bool:
    """An edition-relative reference (`@Y`, `@Y-1`) whose year has no figure: not published, not a typo."""
    if not (ref.period and ref.period.startswith("Y")) or ref.indicator not in ds.indicators:
        return False
    period = ref.resolve_period(year)
    return not any(f.period == period and f.scope == ref.scope for f in ds.by_indicator(ref.indicator))


def earlier(ds: Dataset, ref: R.Ref, year: int) -> Figure | None:
    """The latest single-year figure of the same indicator and scope before the year the reference names."""
    until = int(ref.resolve_period(year) or year)
    cands = [f for f in ds.by_indicator(ref.indicator) if f.scope == ref.scope and f.year is not None and f.year < until]
    return max(cands, key=lambda f: f.year or 0, default=None)


def resolve(ds: Dataset, ref: R.Ref, year: int, kind: str, declared: str | None = None) -> Figure | None:
    """The figure one use shows: the one named; for an unpublished one under "earlier" the latest earlier
    figure; None when the use is to be dropped. Any other missing figure is a ValueError as before."""
    try:
        return ds.find(ref, year)
    except ValueError:
        if not is_gap(ds, ref, year):
            raise
    return earlier(ds, ref, year) if policy(ds, kind, declared) == "earlier" else None


def sentences(text: str) -> list[str]:
    """A text cut after each 。！？； outside references; joined they give the text back."""
    out, start, pos = [], 0, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m:
            pos = m.end()
            continue
        if text[pos] in _END:
            while pos + 1 < len(text) and text[pos + 1] in _END + "”’）":
                pos += 1
            out.append(text[start:pos + 1])
            start = pos + 1
        pos += 1
    if start < len(text):
        out.append(text[start:])
    return out


def _gap_refs(ds: Dataset, text: str, year: int) -> list[R.Ref]:
    try:
        return [r for r in R.refs_in(text) if is_gap(ds, r, year)]
    except R.RefSyntaxError:
        return []


def apply_text(ds: Dataset, text: str, year: int) -> str:
    """A text under the text policy: sentences citing an unpublished figure dropped ("drop"), or the figure
    replaced by the latest earlier one with its year in brackets ("earlier"; dropped when there is none)."""
    if not _gap_refs(ds, text, year):
        return text
    mode = policy(ds, "text")
    kept = []
    for s in sentences(text):
        gaps = _gap_refs(ds, s, year)
        if not gaps:
            kept.append(s)
        elif mode == "earlier" and all(earlier(ds, r, year) for r in gaps):
            kept.append(_TOKEN.sub(lambda m: _earlier_token(ds, m.group(0), year), s))
    out = "".join(kept).strip()
    if out.endswith(("；", "，")) and text.rstrip().endswith("。"):
        out = out[:-1] + "。"
    return out


def _earlier_token(ds: Dataset, token: str, year: int) -> str:
    if token in ("{{", "}}"):
        return token
    inner = token[1:-1].strip()
    try:
        ref = R.parse_ref(inner)
    except R.RefSyntaxError:
        return token
    if not is_gap(ds, ref, year):
        return token
    fig = earlier(ds, ref, year)
    assert fig is not None
    scope = f"/{ref.scope}" if ref.scope else ""
    fmt = f"|{ref.fmt}" if ref.fmt else ""
    return f"{{{ref.indicator}@{fig.period}{scope}{fmt}}}（{fig.period}年）"


# ---- the list staff read: every use of an unpublished figure and what it does ---------------------------

def _effect(ds: Dataset, ref: R.Ref, year: int, kind: str, declared: str | None = None) -> str:
    if policy(ds, kind, declared) == "earlier":
        fig = earlier(ds, ref, year)
        if fig is not None:
            return f"改用 {fig.period} 年的数字 {fig.text}{fig.unit}（标注其年份）"
    return {"text": "删去这一句", "figures": "删去这张数字卡片", "chart": "删去这根柱子",
            "table": "删去这一行"}[kind]


def collect(ds: Dataset, year: int) -> list[Gap]:
    """Every use of an edition-year figure that has no record, located, with what the documents do instead."""
    from generators.load.textcheck import walk_strings

    out: list[Gap] = []
    for file, raw in ds.raw_texts.items():
        where = shown(Path(file))
        charts = file.endswith("charts.yaml")
        for text, line, path, key in walk_strings(raw):
            out.extend(_gaps_of(ds, text, line, path, key, where, year, charts, raw))
    seen, unique = set(), []
    for g in out:
        if (g.ref, g.file, g.line, g.use) not in seen:
            seen.add((g.ref, g.file, g.line, g.use))
            unique.append(g)
    return unique


def _gaps_of(ds: Dataset, text: str, line: int | None, path: str, key: str, where: str, year: int,
             charts: bool, raw: Any) -> list[Gap]:
    if key == "refs" and charts:
        chart_id, declared = _chart_of(ds, path)
        kind, use = "chart", f"图表“{chart_id}”"
    elif key in PLAIN_KEYS:
        kind, use, declared = "figures", "数字卡片", None
    elif key == "table":
        kind, use, declared = "table", "表格", None
    elif key in ("refs", "inputs", "stated", "id", "kind", "image", "source", "file", "unit", "use"):
        return []
    else:
        kind, use, declared = "text", "句子", None
    try:
        rs = [R.parse_plain_ref(text)] if kind != "text" else R.refs_in(text)
    except R.RefSyntaxError:
        return []
    return [Gap(f"{r.indicator}@{r.resolve_period(year)}" + (f"/{r.scope}" if r.scope else ""), where, line, use,
                _effect(ds, r, year, kind, declared)) for r in rs if is_gap(ds, r, year)]


def _chart_of(ds: Dataset, path: str) -> tuple[str, str | None]:
    """`charts[3].series[1].refs[2]` → (id of chart 3, the policy declared on it)."""
    m = re.match(r"charts\[(\d+)\]", path)
    specs = list(ds.charts.values())
    if m and int(m.group(1)) - 1 < len(specs):
        spec = specs[int(m.group(1)) - 1]
        return spec.id, spec.unpublished
    return path, None
