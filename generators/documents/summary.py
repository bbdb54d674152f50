"""The 14th-FYP summary as a Document: cover, headline figures, five chapters, closing, appendix."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generators import model as M
from generators.documents.common import Context, appendix_table, blocks, key_figures, source_name
from generators.load import specs as S
from generators.load.dataset import Dataset

if TYPE_CHECKING:
    from generators.documents.view import ProjectView
    from generators.theme import Labels


def make(project: ProjectView, _item: str | None) -> M.Document:
    """The summary of the project's edition (the product registry names this builder)."""
    return build(project.dataset, project.dataset.year, project.images, project.labels)


def build(ds: Dataset, year: int, images: Path, labels: "Labels") -> M.Document:
    """`labels` are the theme's fixed captions (env.theme.labels: 导语, 附录 …): wording of the frame, not content."""
    spec = ds.text("summary", S.SummarySpec)
    assert spec is not None, "the summary is planned only when data/texts/summary.yaml is loaded"
    ctx = Context(ds, year, images)
    intro = M.Section("intro", labels.intro, kind="intro", blocks=blocks(ctx, spec.intro))
    headline = M.Section("headline", labels.headline.format(year=year), kind="headline",
                         blocks=(M.KeyFigures(key_figures(ctx, spec.headline)),))
    chapters = [M.Section(c.id, ctx.plain(c.title), ctx.plain(c.short), n, blocks(ctx, c.blocks))
                for n, c in enumerate(spec.chapters, 1)]
    closing = M.Section("closing", labels.closing, kind="closing", blocks=blocks(ctx, spec.closing))
    appendix = M.Section("appendix", labels.appendix, kind="appendix",
                         blocks=(appendix_table(ctx, labels.appendix_table, set(ctx.used_refs)),))
    return M.Document(
        kind="summary", name="fyp14-summary", title=ctx.plain(spec.title), subtitle=ctx.plain(spec.subtitle),
        meta={"author": ctx.plain(spec.byline), "subject": ctx.plain(spec.subtitle2 or spec.subtitle),
              "keywords": "、".join(c.short for c in chapters), "source": source_name(ds, spec.source),
              "year": str(year)},
        front={"kicker": ctx.plain(spec.kicker), "subtitle2": ctx.plain(spec.subtitle2),
               "byline": ctx.plain(spec.byline)},
        sections=(headline, intro, *chapters, closing, appendix),
    )
