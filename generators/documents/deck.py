"""The congress review deck as a Document: cover, intro, five parts, closing goals."""

from __future__ import annotations

from pathlib import Path

from generators import model as M
from generators.documents.common import Context, block, blocks, chart, source_name
from generators.load.dataset import Dataset


def build(ds: Dataset, year: int, images: Path) -> M.Document:
    spec = ds.deck
    ctx = Context(ds, year, images)
    sections = [M.Section("intro", "", kind="intro", blocks=blocks(ctx, spec.intro))]
    for part in spec.parts:
        body: list[M.Block] = list(blocks(ctx, part.numbers))
        body += [chart(ctx, c) for c in part.charts]
        body += [M.Review(ctx.plain(r.heading), tuple(ctx.text(p) for p in r.points), ctx.text(r.text))
                 for r in part.review]
        body += [block(ctx, p) for p in part.photos]
        sections.append(M.Section(part.id, ctx.plain(part.title), ctx.plain(part.short), part.number,
                                  tuple(body), kind="part"))
    closing = (M.Paragraph(ctx.text(spec.closing.text)), M.Points(tuple(ctx.text(g) for g in spec.closing.goals)))
    sections.append(M.Section("closing", "", kind="closing", blocks=closing))
    title = ctx.plain(spec.title)
    return M.Document(
        kind="deck", name="congress-review-deck", title=title, subtitle=ctx.plain(spec.subtitle),
        meta={"author": ctx.plain(spec.credits), "subject": ctx.plain(spec.occasion),
              "source": source_name(ds, spec.source), "year": str(year)},
        front={"occasion": ctx.plain(spec.occasion), "credits": ctx.plain(spec.credits),
               "footer": ctx.plain(spec.footer)},
        sections=tuple(sections),
    )
