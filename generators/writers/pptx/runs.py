"""Text runs of the deck: body text with figures in the primary colour, the part kicker, blocks as lines."""

from __future__ import annotations

from typing import Iterable

from generators import model as M
from generators.typography import speaker
from generators.writers.pptx.slides import TRun


def kicker_text(part: M.Section) -> str:
    return f"{part.number:02d}  {part.title}"


def body_runs(runs: M.Inline) -> tuple[TRun, ...]:
    """Body text; figures bound from data stand out in the primary colour."""
    return tuple(TRun(r.text, "body", color="primary" if r.figure else None) for r in runs if r.text)


def block_inlines(blocks: Iterable[M.Block]) -> list[M.Inline]:
    out: list[M.Inline] = []
    for b in blocks:
        match b:
            case M.Paragraph(runs=r):
                out.append(r)
            case M.Heading(text=t):
                out.append((M.Run(t),))
            case M.Quote(runs=r, speaker=s):
                out.append(r + ((M.Run(speaker(s)),) if s else ()))
            case M.Points(items=items):
                out += list(items)
    return out
