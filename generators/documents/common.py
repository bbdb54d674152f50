"""Shared conversions from specs to model blocks: text blocks, key figures, charts, tables, photos."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generators import units
from generators.load import refs as R
from generators.load import specs as S
from generators.documents.bind import bind, format_figure, numeric, period_label, value_of
from generators.load.dataset import CATEGORIES, Dataset, Figure
from generators import model as M


@dataclass
class Context:
    """What a builder needs: data, edition year, where photos live, and per-document counters."""

    ds: Dataset
    year: int
    images: Path
    charts: int = 0
    tables: int = 0
    used_refs: set[str] = field(default_factory=set)

    def text(self, s: str) -> M.Inline:
        for r in R.refs_in(s):
            self.used_refs.add(self.ds.find(r, self.year).ref())
        return bind(self.ds, s, self.year)

    def plain(self, s: str) -> str:
        return M.plain(self.text(s)) if s else ""

    def value(self, ref: str) -> M.Value:
        v = value_of(self.ds, ref, self.year)
        self.used_refs.add(v.ref)
        return v


def source_name(ds: Dataset, source_id: str) -> str:
    src = ds.sources.get(source_id, {})
    return str(src.get("short") or src.get("title") or source_id)


def key_figure(ctx: Context, item: S.FigureItem) -> M.KeyFigure:
    ds = ctx.ds
    fig = ds.find(R.parse_plain_ref(item.ref), ctx.year)
    label = ctx.plain(item.label) if item.label else ds.indicators[fig.indicator].name
    return M.KeyFigure(
        label=label,
        value=ctx.value(item.ref),
        before=ctx.value(item.from_) if item.from_ else None,
        growth=ctx.value(item.growth) if item.growth else None,
        note=ctx.plain(item.note or ""),
        source=source_name(ds, fig.source),
    )


def block(ctx: Context, b: S.BlockSpec) -> M.Block:
    match b.kind:
        case "p":
            return M.Paragraph(ctx.text(b.p))
        case "heading":
            return M.Heading(ctx.plain(b.heading), level=3)
        case "quote":
            return M.Quote(ctx.text(b.quote), ctx.plain(b.speaker or ""))
        case "figures":
            return M.KeyFigures(tuple(key_figure(ctx, i) for i in b.figures))
        case "chart":
            return chart(ctx, b.chart)
        case "photo":
            return photo(ctx, b.photo, b.image)
        case "points":
            return M.Points(tuple(ctx.text(p) for p in b.points))
        case "table":
            return figure_table(ctx, b.table, ctx.plain(b.caption or ""))
        case "use":
            # The referenced block of data/texts/*.yaml (checked at load: it exists and is not a `use`);
            # a deck review item stands for its full text as a paragraph.
            target = ctx.ds.blocks[b.use]
            if isinstance(target, S.ReviewItem):
                return M.Paragraph(ctx.text(target.text))
            return block(ctx, target)
    raise AssertionError(b.kind)


def blocks(ctx: Context, specs: list[S.BlockSpec]) -> tuple[M.Block, ...]:
    return tuple(block(ctx, b) for b in specs)


def photo(ctx: Context, caption: str, image: str | None) -> M.Photo:
    path = None
    if image:
        candidate = (ctx.images / image).resolve()
        # Only files inside assets/images may be used: a spec cannot reach other files.
        if candidate.is_file() and ctx.images.resolve() in candidate.parents:
            path = candidate
    return M.Photo(ctx.plain(caption), path, image or "")


def _chart_figures(ctx: Context, spec: S.ChartSpec) -> list[tuple[str, list[Figure]]]:
    ds = ctx.ds
    out = []
    for s in spec.series:
        if s.refs is not None:
            figs = [ds.find(R.parse_plain_ref(r), ctx.year) for r in s.refs]
        else:
            periods = [R.resolve_period_expr(p, ctx.year) for p in s.periods] if s.periods else None
            # An edition for year Y is written in Y+1: figures dated Y+1 ("目前") belong to it, later ones do not.
            figs = [f for f in ds.series(s.indicator, periods) if f.year is None or f.year <= ctx.year + 1]
        label = ctx.plain(s.label) if s.label else (ds.indicators[figs[0].indicator].name if figs else "")
        out.append((label, figs))
    return out


def chart(ctx: Context, chart_id: str) -> M.Chart:
    ds = ctx.ds
    spec = ds.charts[chart_id]
    groups = _chart_figures(ctx, spec)
    first = groups[0][1][0]
    unit = spec.unit or ds.indicators[first.indicator].unit
    series = []
    decimals = 0
    for label, figs in groups:
        vals, texts = [], []
        for f in figs:
            ctx.used_refs.add(f.ref())
            v = numeric(ds, f, unit if units.convertible(f.unit, unit) else f.unit)
            d = units.decimals_of(f.text) if f.unit == unit else ds.indicators[f.indicator].decimals
            decimals = max(decimals, d)
            vals.append(float(v))
            texts.append(f.text if f.unit == unit else units.fmt_number(v, d))
        series.append(M.Series(label, tuple(vals), tuple(texts)))
    figs0 = groups[0][1]
    if spec.categories:
        cats = tuple(ctx.plain(c) for c in spec.categories)
    elif len({f.indicator for f in figs0}) == 1:
        cats = tuple(period_label(f.period) + (f"{f.scope}" if f.scope else "") for f in figs0)
    else:
        cats = tuple(ds.indicators[f.indicator].name for f in figs0)
    sources = sorted({f.source for _, figs in groups for f in figs})
    source = ctx.plain(spec.source) if spec.source else "资料来源：" + "；".join(source_name(ds, s) for s in sources)
    title = ctx.plain(spec.title)
    alt = ctx.plain(spec.alt) if spec.alt else title + "：" + "；".join(
        (f"{s.label}：" if len(series) > 1 else "") + "，".join(f"{c} {t}{unit}" for c, t in zip(cats, s.texts))
        for s in series)
    ctx.charts += 1
    data = M.ChartData(spec.id, spec.kind, title, unit, cats, tuple(series), source, alt, decimals,
                       ctx.plain(spec.note or ""))
    return M.Chart(data, ctx.charts)


def figure_table(ctx: Context, items: list[str], caption: str) -> M.Table:
    ds = ctx.ds
    rows = []
    for item in items:
        if R.parse_plain_ref(item).period is None and item in ds.indicators:
            figs = [f for f in ds.series(item) if f.year is not None and f.year <= ctx.year] or ds.by_indicator(item)
            fig = figs[-1]
        else:
            fig = ds.find(R.parse_plain_ref(item), ctx.year)
        ctx.used_refs.add(fig.ref())
        number, unit = format_figure(ds, fig)
        rows.append((ds.indicators[fig.indicator].name, number, unit, period_label(fig.period)))
    ctx.tables += 1
    return M.Table(caption, ("指标", "数值", "单位", "时期"), tuple(rows), ctx.tables, align=("l", "r", "l", "l"))


def appendix_table(ctx: Context, caption: str, refs: set[str] | None = None) -> M.Table:
    """Every figure used (or all), with unit, period and source: the audit trail of a document."""
    ds = ctx.ds
    keys = refs if refs is not None else {f.ref() for f in ds.figures.values()}
    figs = [f for f in ds.figures.values() if f.ref() in keys]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    figs.sort(key=lambda f: (order.get(ds.indicators[f.indicator].category, 99), f.indicator, f.period, f.scope))
    rows = tuple(
        (ds.indicators[f.indicator].name + (f"（{f.scope}）" if f.scope else ""), f.text, f.unit,
         period_label(f.period), source_name(ds, f.source) + (f" · {f.section}" if f.section else ""))
        for f in figs)
    ctx.tables += 1
    return M.Table(caption, ("指标", "数值", "单位", "时期", "来源"), rows, ctx.tables, align=("l", "r", "l", "l", "l"))
