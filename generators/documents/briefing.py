"""A Word briefing as a Document, from a small spec: title, meeting, key figures, sections."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from generators import model as M
from generators.documents.common import Context, blocks, key_figures
from generators.fsutil import WINDOWS_RESERVED
from generators.load import specs as S
from generators.load.dataset import Dataset

if TYPE_CHECKING:
    from generators.documents.view import ProjectView

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str, fallback: str = "briefing") -> str:
    """A file stem from a title that can never leave the output folder (no ../, no separators)."""
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("-", name).strip(" .-")
    name = re.sub(r"-{2,}", "-", name).replace("..", "-")
    name = name[:60].rstrip(" .-") or fallback
    if name.split(".")[0].upper() in WINDOWS_RESERVED:  # CON, NUL, COM1 … cannot be files on Windows
        name = f"{fallback}-{name}"
    return name


def make(project: ProjectView, item: str | None) -> M.Document:
    """One briefing of data/briefings/ (the item is its spec's name; the product registry names this builder)."""
    ds = project.dataset
    assert item is not None, "one briefing per spec: the item is its name"
    return build(ds, ds.briefings[item], item, ds.year, project.images)


def stem(ds: Dataset, item: str | None) -> str:
    """The output stem of a briefing, known before building (two specs with one output name are refused)."""
    assert item is not None, "one briefing per spec: the item is its name"
    return safe_name(ds.briefings[item].file or item)


def build(ds: Dataset, spec: S.BriefingSpec, stem: str, year: int, images: Path) -> M.Document:
    ctx = Context(ds, spec.year or year, images)
    sections = []
    if spec.keyfigures:
        sections.append(M.Section("keyfigures", "", kind="keyfigures",
                                  blocks=(M.KeyFigures(key_figures(ctx, spec.keyfigures)),)))
    for n, sec in enumerate(spec.sections, 1):
        sections.append(M.Section(f"s{n}", ctx.plain(sec.title), number=n, blocks=blocks(ctx, sec.blocks)))
    title = ctx.plain(spec.title)
    return M.Document(
        kind="briefing", name=safe_name(spec.file or stem), title=title, subtitle=ctx.plain(spec.subtitle),
        meta={"author": ctx.plain(spec.issuer), "subject": ctx.plain(spec.meeting), "preset": spec.preset,
              "charts": spec.charts or "",  # Word charts: native or picture; "" = the theme's choice
              "year": str(ctx.year), "keywords": "、".join(s.title for s in sections if s.title)},
        front={"meeting": ctx.plain(spec.meeting), "date": ctx.plain(spec.date), "issuer": ctx.plain(spec.issuer)},
        sections=tuple(sections),
    )
