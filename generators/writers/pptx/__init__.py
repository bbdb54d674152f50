"""PowerPoint writer: plan slides from a Document (pure), then fill templates/deck.pptx by layout and placeholder name.

measure (font metrics) → plan/fit (pure slide plans) ← template (contract, geometry) → emit/charts (python-pptx),
with every raw XML edit in xml.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generators import model as M
from generators.writers.ooxml import save_normalized
from generators.writers.pptx import xml
from generators.writers.pptx.emit import Emitter, set_core
from generators.writers.pptx.plan import plan
from generators.writers.pptx.slides import TEMPLATE, SlidePlan
from generators.writers.pptx.template import check_template, find_layouts, geometry, open_template

if TYPE_CHECKING:
    from generators.writers import WriterEnv

__all__ = ["check", "check_template", "write"]


def _open(env: "WriterEnv"):
    path = env.templates / TEMPLATE
    prs = open_template(path)
    return prs, find_layouts(prs, path)


def check(doc: M.Document, env: "WriterEnv") -> list[SlidePlan]:
    """Everything `write` checks, nothing written: template contract, then measure and plan every slide.

    Raises TemplateError for a broken template and InputError for text that does not fit, as `write` would.
    """
    prs, layouts = _open(env)
    return plan(doc, geometry(layouts, prs, env.theme), env.theme)


def write(doc: M.Document, env: "WriterEnv", dest: Path) -> None:
    """Write the deck: template by name, planned slides, native charts, reproducible bytes."""
    prs, layouts = _open(env)
    slides = plan(doc, geometry(layouts, prs, env.theme), env.theme)
    xml.remove_slides(prs)
    emitter = Emitter(prs, layouts, env.theme)
    for sp in slides:
        emitter.slide(sp)
    set_core(prs, doc)
    xml.normalize_embedded(prs)
    save_normalized(prs.save, dest)
