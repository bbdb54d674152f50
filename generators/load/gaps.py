"""Figures not published for the edition year: which `@Y` references miss them, and what each use does (policy)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generators.load import refs as R
from generators.load.textio import shown, walk_strings

if TYPE_CHECKING:
    from generators.load.records import Dataset, Figure

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
    written: str = ""  # the reference as the text writes it: "gdp@Y"

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
    out: list[Gap] = []
    for file, raw in ds.raw_texts.items():
        where = shown(Path(file))
        charts = file.endswith("charts.yaml")
        for text, line, path, key in walk_strings(raw):
            out.extend(_gaps_of(ds, text, line, path, key, where, year, charts))
    seen, unique = set(), []
    for g in out:
        if (g.ref, g.file, g.line, g.use) not in seen:
            seen.add((g.ref, g.file, g.line, g.use))
            unique.append(g)
    return unique


def _gaps_of(ds: Dataset, text: str, line: int | None, path: str, key: str, where: str, year: int,
             charts: bool) -> list[Gap]:
    kind, use, declared = _kind_of(ds, key, path, charts)
    if kind is None:
        return []
    try:
        rs = [R.parse_plain_ref(text)] if kind != "text" else R.refs_in(text)
    except R.RefSyntaxError:
        return []
    effect = (lambda r: "这张卡片不显示这一项（卡片若改用较早年份的数字，则显示那一年的）") if key in ("growth", "from") else (
        lambda r: _effect(ds, r, year, kind, declared))
    return [Gap(f"{r.indicator}@{r.resolve_period(year)}" + (f"/{r.scope}" if r.scope else ""), where, line, use,
                effect(r), str(r)) for r in rs if is_gap(ds, r, year)]


def _chart_of(ds: Dataset, path: str) -> tuple[str, str | None]:
    """`charts[3].series[1].refs[2]` → (id of chart 3, the policy declared on it)."""
    m = re.match(r"charts\[(\d+)\]", path)
    specs = list(ds.charts.values())
    if m and int(m.group(1)) - 1 < len(specs):
        spec = specs[int(m.group(1)) - 1]
        return spec.id, spec.unpublished
    return path, None


@dataclass(frozen=True)
class Pinned:
    """A text that names an older year of a figure the edition year also has."""

    ref: str
    file: str
    line: int | None
    newer: str  # the edition year's figure as printed

    def describe(self) -> str:
        at = self.file + (f" 第{self.line}行" if self.line else "")
        return f"{at}：{self.ref}（本版本年份已有 {self.newer}）"


def pinned(ds: Dataset, year: int) -> list[Pinned]:
    """Texts, cards and table rows pinned to the year before the edition (last edition's `current` year) of an
    indicator that has a figure for the edition year: staff decide whether each should become `@Y`.
    Older years (2015, 2020 in a five-year review) and `from:` before-values are history, not listed."""
    out: list[Pinned] = []
    seen: set[tuple[str, str, int | None]] = set()
    for file, raw in ds.raw_texts.items():
        where = shown(Path(file))
        for text, line, _path, key in walk_strings(raw):
            try:
                if key in ("from", "inputs", "stated", "id", "kind", "source", "unit", "use"):
                    continue
                rs = [R.parse_plain_ref(text)] if key in PLAIN_KEYS | {"refs", "table"} else R.refs_in(text)
            except R.RefSyntaxError:
                continue
            for r in rs:
                new = ds.figures.get((r.indicator, str(year), r.scope))
                if r.period == str(year - 1) and new is not None:
                    name = f"{r.indicator}@{r.period}" + (f"/{r.scope}" if r.scope else "")
                    if (name, where, line) not in seen:
                        seen.add((name, where, line))
                        out.append(Pinned(name, where, line, new.text + new.unit))
    return out


def notes(ds: Dataset, year: int, explicit: bool) -> list[str]:
    """What `check` says about an edition: its unpublished figures, and (for --year) the texts pinned older."""
    out = []
    gaps = collect(ds, year)
    if gaps:
        out.append(f"{year}年有 {len({g.ref for g in gaps})} 个数字未公布（或未导入），按 settings.yaml 的 unpublished 规则处理：\n    "
                   + "\n    ".join(g.describe() for g in gaps))
    pins = pinned(ds, year) if explicit else []
    if pins:
        out.append(f"{year}年版本中有 {len(pins)} 处仍固定引用较早年份（{year}年已有数字；如应随版本更新请改为 @Y）：\n    "
                   + "\n    ".join(p.describe() for p in pins))
    return out


def edition_uses(ds: Dataset) -> dict[str, list[str]]:
    """indicator id → where its `@Y` figure is used ("summary.yaml 第14行（句子，删去这一句）"), for the workbook."""
    out: dict[str, list[str]] = {}
    for file, raw in ds.raw_texts.items():
        where = Path(file).name
        charts = file.endswith("charts.yaml")
        for text, line, path, key in walk_strings(raw):
            kind, use, declared = _kind_of(ds, key, path, charts)
            if kind is None:
                continue
            try:
                rs = [R.parse_plain_ref(text)] if kind != "text" else R.refs_in(text)
            except R.RefSyntaxError:
                continue
            for r in rs:
                if r.period and r.period.startswith("Y") and r.indicator in ds.indicators:
                    what = policy(ds, kind, declared)
                    effect = "改用上年数字" if what == "earlier" else {"text": "删句", "chart": "删柱"}.get(kind, "删去")
                    item = f"{where} 第{line}行（{use}；未公布则{effect}）" if line else f"{where}（{use}）"
                    if item not in out.setdefault(r.indicator, []):
                        out[r.indicator].append(item)
    return out


def _kind_of(ds: Dataset, key: str, path: str, charts: bool) -> tuple[str | None, str, str | None]:
    if key == "refs" and charts:
        chart_id, declared = _chart_of(ds, path)
        return "chart", f"图表“{chart_id}”", declared
    if key == "figures":  # the picked figures of a chart written in a briefing
        return "chart", "图表", None
    if key in PLAIN_KEYS:
        return "figures", "数字卡片", None
    if key == "table":
        return "table", "表格", None
    if key in ("refs", "inputs", "stated", "id", "kind", "image", "source", "file", "unit", "use"):
        return None, "", None
    return "text", "句子", None
