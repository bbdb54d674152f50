"""Shared conversions from specs to model blocks: text blocks, key figures, charts, tables, photos."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generators import model as M
from generators import typography as T
from generators import units
from generators.documents.bind import bind, format_figure, numeric, period_label, value_of
from generators.load import gaps as G
from generators.load import refs as R
from generators.load import specs as S
from generators.load.dataset import CATEGORIES, Dataset, Figure


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
        s = G.apply_text(self.ds, s, self.year)  # sentences citing an unpublished figure: the text policy
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


def _value(ctx: Context, fig: Figure, fmt: str) -> M.Value:
    number, unit = format_figure(ctx.ds, fig, fmt)
    ctx.used_refs.add(fig.ref())
    return M.Value(number, unit, period_label(fig.period, fig.scope), fig.ref(), (fig.period, fig.scope))


def _at(ctx: Context, ref_text: str | None, fig: Figure, main: R.Ref) -> M.Value | None:
    """A card's `from`/`growth`, for the card's own year when it shows an earlier figure; None if unpublished."""
    if not ref_text:
        return None
    ref = R.parse_plain_ref(ref_text)
    year = ctx.year
    wanted = main.resolve_period(ctx.year)
    if wanted and wanted.isdigit() and fig.year is not None:
        year -= int(wanted) - fig.year  # `@Y` of an earlier card means that card's year
    other = G.resolve(ctx.ds, ref, year, "figures", "drop")
    return _value(ctx, other, ref.fmt) if other is not None else None


def key_figure(ctx: Context, item: S.FigureItem) -> M.KeyFigure | None:
    """One card; for an unpublished edition-year figure the latest earlier one (labelled with its year), or
    None (the card is dropped), as the card's or settings' `unpublished` policy says."""
    ds = ctx.ds
    main = R.parse_plain_ref(item.ref)
    fig = G.resolve(ds, main, ctx.year, "figures", item.unpublished)
    if fig is None:
        return None
    label = ctx.plain(item.label) if item.label else ds.indicators[fig.indicator].name
    return M.KeyFigure(
        label=label,
        value=_value(ctx, fig, main.fmt),
        before=_at(ctx, item.from_, fig, main),
        growth=_at(ctx, item.growth, fig, main),
        note=ctx.plain(item.note or ""),
        source=source_name(ds, fig.source),
    )


def key_figures(ctx: Context, items: list[S.FigureItem]) -> tuple[M.KeyFigure, ...]:
    """The cards of a figures block, without those dropped for an unpublished figure."""
    return tuple(k for k in (key_figure(ctx, i) for i in items) if k is not None)


def block(ctx: Context, b: S.BlockSpec) -> M.Block | None:
    """One block; None when the unpublished-figure policy leaves nothing of it."""
    match b.kind:
        case "p" if b.p is not None:
            text = ctx.text(b.p)
            return M.Paragraph(text) if text else None
        case "heading" if b.heading is not None:
            return M.Heading(ctx.plain(b.heading), level=3)
        case "quote" if b.quote is not None:
            return M.Quote(ctx.text(b.quote), ctx.plain(b.speaker or ""))
        case "figures" if b.figures is not None:
            cards = key_figures(ctx, b.figures)
            return M.KeyFigures(cards) if cards else None
        case "chart" if b.chart is not None:
            return chart(ctx, b.chart)
        case "photo" if b.photo is not None:
            return photo(ctx, b.photo, b.image)
        case "points" if b.points is not None:
            return M.Points(tuple(ctx.text(p) for p in b.points))
        case "table" if b.table is not None:
            return figure_table(ctx, b.table, ctx.plain(b.caption or ""))
        case "use" if b.use is not None:
            # The referenced block of data/texts/*.yaml (checked at load: it exists and is not a `use`);
            # a deck review item stands for its full text as a paragraph.
            target = ctx.ds.blocks[b.use]
            if isinstance(target, S.ReviewItem):
                return M.Paragraph(ctx.text(target.text))
            return block(ctx, target)
    raise AssertionError(b.kind)  # the spec holds the field its kind names (checked at load)


def blocks(ctx: Context, specs: list[S.BlockSpec]) -> tuple[M.Block, ...]:
    return tuple(x for x in (block(ctx, b) for b in specs) if x is not None)


def photo(ctx: Context, caption: str, image: str | None) -> M.Photo:
    path = None
    if image:
        candidate = (ctx.images / image).resolve()
        # Only files inside assets/images may be used: a spec cannot reach other files.
        if candidate.is_file() and ctx.images.resolve() in candidate.parents:
            path = candidate
    return M.Photo(ctx.plain(caption), path, image or "")


def _chart_figures(ctx: Context, spec: S.ChartSpec) -> tuple[list[tuple[str, list[Figure]]], list[int] | None]:
    """Each series' label and figures (an edition for Y, written in Y+1, includes figures dated up to Y+1);
    the positions of `refs` series kept under the unpublished-figure policy."""
    from generators.load.chartcheck import chart_slots

    ds = ctx.ds
    groups, kept = chart_slots(ds, spec, ctx.year)
    out = []
    for s, figs in zip(spec.series, groups, strict=False):
        label = ctx.plain(s.label) if s.label else (ds.indicators[figs[0].indicator].name if figs else "")
        out.append((label, figs))
    return out, kept


def _categories(ctx: Context, spec: S.ChartSpec, figs0: list[Figure], kept: list[int] | None) -> tuple[str, ...]:
    ds = ctx.ds
    if spec.categories:
        cats = [ctx.plain(c) for c in spec.categories]
        if kept is not None and len(cats) == len(spec.series[0].refs or []):
            cats = [cats[i] for i in kept]
    elif len({f.indicator for f in figs0}) == 1:
        return tuple(period_label(f.period) + (f"{f.scope}" if f.scope else "") for f in figs0)
    else:
        cats = [ds.indicators[f.indicator].name for f in figs0]
    if kept is not None and spec.series[0].refs is not None:  # a bar showing an earlier year says so
        wanted = [R.parse_plain_ref(spec.series[0].refs[i]).resolve_period(ctx.year) for i in kept]
        cats = [c + (f"（{f.period}年）" if w and f.period != w else "") for c, f, w in zip(cats, figs0, wanted, strict=False)]
    return tuple(cats)


def chart(ctx: Context, chart_id: str) -> M.Chart | None:
    """A chart block; None when every bar of it was not published for the edition year."""
    ds = ctx.ds
    spec = ds.charts[chart_id]
    groups, kept = _chart_figures(ctx, spec)
    if not groups[0][1]:
        return None
    first = groups[0][1][0]
    unit = spec.unit or ds.indicators[first.indicator].unit
    series = []
    decimals = 0
    for label, figs in groups:
        vals, texts = [], []
        for f in figs:
            ctx.used_refs.add(f.ref())
            v = numeric(ds, f, unit if units.convertible(f.unit, unit) else f.unit)
            # In another unit of its family a figure keeps every published digit (4932712万元 → 493.2712亿元).
            text = f.text if f.unit == unit or not units.convertible(f.unit, unit) else format_figure(ds, f, unit)[0]
            decimals = max(decimals, units.decimals_of(text))
            vals.append(float(v))
            texts.append(text)
        series.append(M.Series(label, tuple(vals), tuple(texts)))
    cats = _categories(ctx, spec, groups[0][1], kept)
    sources = sorted({f.source for _, figs in groups for f in figs})
    source = ctx.plain(spec.source) if spec.source else T.SOURCE + "；".join(source_name(ds, s) for s in sources)
    title = ctx.plain(spec.title)
    alt = ctx.plain(spec.alt) if spec.alt else title + "：" + "；".join(
        (f"{s.label}：" if len(series) > 1 else "") + "，".join(f"{c} {t}{unit}" for c, t in zip(cats, s.texts, strict=False))
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
            found = G.resolve(ds, R.parse_plain_ref(item), ctx.year, "table")
            if found is None:
                continue  # not published this year: the row is dropped (policy "drop")
            fig = found
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
