"""The one-page 主要指标一览 as a Document: the edition's key figures, group by group, with unit and period; the
sources under each table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generators import model as M
from generators import typography as T
from generators.documents.common import Context, key_figures
from generators.load import specs as S
from generators.load.dataset import Dataset

if TYPE_CHECKING:
    from generators.documents.view import ProjectView

TEXT = "factsheet"  # the stem of its text file (data/texts/factsheet.yaml, declared in the product registry)
NAME = "key-figures"  # the output stem: out/key-figures.pdf and .docx
HEADER = ("指标", "数值", "单位", "时期", "比上年")
ALIGN = ("l", "r", "l", "l", "l")
WIDTHS = (0.36, 0.14, 0.12, 0.20, 0.18)  # one grid for every table of the sheet


def make(project: ProjectView, _item: str | None) -> M.Document:
    """The fact sheet of the project's edition (the product registry names this builder)."""
    return build(project.dataset, project.dataset.year, project.images)


def row(k: M.KeyFigure) -> tuple[str, ...]:
    """One indicator as published: the number and its unit apart, the period as labelled, 增长/下降 as words."""
    return (k.label, k.value.number, k.value.unit, k.value.period, T.growth(k.growth).text if k.growth else "")


def build(ds: Dataset, year: int, images: Path) -> M.Document:
    spec = ds.text(TEXT, S.FactsheetSpec)
    assert spec is not None, "the fact sheet is planned only when data/texts/factsheet.yaml is loaded"
    ctx = Context(ds, year, images)
    tables: list[M.Block] = []
    for g in spec.groups:
        figures = key_figures(ctx, g.figures)  # an unpublished figure drops its row
        if figures:
            sources = T.SOURCE + "；".join(dict.fromkeys(k.source for k in figures if k.source))
            tables.append(M.Table(ctx.plain(g.title), HEADER, tuple(row(k) for k in figures), source=sources,
                                  align=ALIGN, widths=WIDTHS))
    note = ctx.plain(spec.note)
    if note:
        tables.append(M.Paragraph((M.Run(note),)))
    title = ctx.plain(spec.title)
    return M.Document(
        kind="factsheet", name=NAME, title=title, subtitle=ctx.plain(spec.subtitle), layout="sheet",
        meta={"subject": ctx.plain(spec.subtitle), "year": str(year), "preset": "专题",
              "keywords": "、".join(t.caption for t in tables if isinstance(t, M.Table))},
        front={"date": f"{year}年"},
        sections=(M.Section("figures", "", kind="figures", blocks=tuple(tables)),),
    )
