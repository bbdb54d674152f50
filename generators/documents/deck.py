"""The congress review deck as a Document: cover, intro, five parts, closing goals."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from generators import model as M
from generators import units
from generators.documents.common import Context, block, chart, key_figures, photo, source_name
from generators.errors import InputError, Problem
from generators.load import refs as R
from generators.load import specs as S
from generators.load.dataset import Dataset
from generators.load.derive import compute
from generators.typography import growth

if TYPE_CHECKING:
    from generators.documents.view import ProjectView


def make(project: ProjectView, _item: str | None) -> M.Document:
    """The deck of the project's edition (the product registry names this builder)."""
    return build(project.dataset, project.dataset.year, project.images)


def build(ds: Dataset, year: int, images: Path) -> M.Document:
    spec = ds.text("deck", S.DeckSpec)
    assert spec is not None, "the deck is planned only when data/texts/deck.yaml is loaded"
    ctx = Context(ds, year, images)
    sections = [M.Section("intro", "", kind="intro", blocks=tuple(b for b in (deck_block(ctx, x) for x in spec.intro) if b is not None))]
    for part in spec.parts:
        body: list[M.Block] = [b for b in (deck_block(ctx, x) for x in part.numbers) if b is not None]
        body += [c for c in (deck_chart(ctx, x) for x in part.charts) if c is not None]  # None: all unpublished
        body += [review(ctx, r) for r in part.review]
        body += [b for b in (deck_block(ctx, p) for p in part.photos) if b is not None]
        sections.append(M.Section(part.id, ctx.plain(part.title), ctx.plain(part.short), part.number,
                                  tuple(body), kind="part"))
    closing: list[M.Block] = [M.Quote(ctx.text(spec.closing.text)),
                              M.Points(tuple(ctx.text(g) for g in spec.closing.goals))]
    if spec.closing.finale:
        closing.append(M.Heading(ctx.plain(spec.closing.finale)))
    sections.append(M.Section("closing", "", kind="closing", blocks=tuple(closing)))
    title = ctx.plain(spec.title)
    return M.Document(
        kind="deck", name="congress-review-deck", title=title, subtitle=ctx.plain(spec.subtitle),
        meta={"author": ctx.plain(spec.credits), "subject": ctx.plain(spec.occasion),
              "source": source_name(ds, spec.source), "year": str(year)},
        front={"occasion": ctx.plain(spec.occasion), "credits": ctx.plain(spec.credits),
               "footer": ctx.plain(spec.footer)},
        sections=tuple(sections),
    )


def deck_block(ctx: Context, b: S.BlockSpec) -> M.Block | None:
    """A text block (None when its figures are all unpublished); a photo keeps its focus point."""
    out = block(ctx, b)
    if isinstance(out, M.Photo) and b.focus is not None:
        out = replace(out, focus=b.focus)
    return out


def review(ctx: Context, r: S.ReviewItem) -> M.Review:
    pic = None
    if r.photo is not None:
        pic = photo(ctx, r.photo, r.image)
        if r.focus is not None:
            pic = replace(pic, focus=r.focus)
    return M.Review(ctx.plain(r.heading), tuple(ctx.text(p) for p in r.points), ctx.text(r.text),
                    figures=key_figures(ctx, r.figures), photo=pic, layout=r.layout or "")


def deck_chart(ctx: Context, chart_id: str) -> M.Chart | None:
    """The chart with the figures it plots and, if the spec asks, a headline derived from the data."""
    c = chart(ctx, chart_id)
    if c is None:  # every bar unpublished: dropped, as the chart policy says
        return None
    spec = ctx.ds.charts[chart_id]
    refs = tuple(ctx.ds.find(R.parse_plain_ref(r), ctx.year).ref() for s in spec.series for r in (s.refs or ()))
    data = replace(c.data, refs=refs, headline=headline(ctx, spec) if spec.headline else "")
    return replace(c, data=data)


def headline(ctx: Context, spec: S.ChartSpec) -> str:
    """The headline's words, then its derived change worded 增长…% / 下降…% (computed as derived.yaml checks it)."""
    h = spec.headline
    assert h is not None, "called for a chart spec with a headline"
    text = ctx.plain(h.text)
    if h.derived is None:
        return text
    where = f"{spec.id}.headline.derived"
    derived = next((d for d in ctx.ds.derived if d.id == h.derived), None)
    if derived is None or derived.kind != "pct_change":
        found = derived.kind if derived else "无此项"
        raise InputError(Problem("data/charts.yaml", field=where, expected="data/derived.yaml 中一项 pct_change（增幅）",
                                 found=f"{h.derived}（{found}）", message="图表标题要用的派生增幅找不到或不是增幅"))
    for ref in derived.inputs:
        ctx.used_refs.add(ctx.ds.find(R.parse_plain_ref(ref), ctx.year).ref())
    value = compute(ctx.ds, derived, ctx.year)
    return text + growth(M.Value(units.fmt_number(value, h.decimals), "%", "", derived.id)).text
