"""PowerPoint writer: plan slides from a Document (pure), then fill templates/deck.pptx by layout and placeholder name."""

# measure (font metrics) → fit/plan (pure slide plans) ← template (contract, geometry) → emit/charts (python-pptx),
# every raw XML edit in xml.py. python-pptx is imported only once a template is opened: the planner runs without it.

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generators import model as M

if TYPE_CHECKING:
    from generators.writers import WriterEnv
    from generators.writers.pptx.slides import SlidePlan

__all__ = ["check", "check_template", "write"]


def _open(env: "WriterEnv"):
    from generators.writers.pptx.slides import TEMPLATE
    from generators.writers.pptx.template import find_layouts, open_template

    path = env.templates / TEMPLATE
    prs = open_template(path)
    return prs, find_layouts(prs, path)


def _plan(doc: M.Document, env: "WriterEnv", prs, layouts) -> list["SlidePlan"]:
    from generators.writers.pptx.plan import plan
    from generators.writers.pptx.template import geometry

    env.glyphs.load(env.theme.font_path(f) for f in env.theme.print_fonts())  # measure.py's metrics, cached
    return plan(doc, geometry(layouts, prs, env.theme), env.theme)


def check_template(env: "WriterEnv") -> None:
    """Raise TemplateError unless templates/deck.pptx has every layout and placeholder of the contract."""
    _open(env)


def check(doc: M.Document, env: "WriterEnv") -> list["SlidePlan"]:
    """Everything `write` checks, nothing written: template contract, then measure and plan every slide.

    Raises TemplateError for a broken template and InputError for text that does not fit, as `write` would.
    """
    prs, layouts = _open(env)
    return _plan(doc, env, prs, layouts)


def write(doc: M.Document, env: "WriterEnv", dest: Path) -> None:
    """Write the deck: template by name, planned slides, native charts, reproducible bytes."""
    from generators.writers.ooxml import save_normalized
    from generators.writers.pptx import xml
    from generators.writers.pptx.emit import Emitter, set_core

    prs, layouts = _open(env)
    slides = _plan(doc, env, prs, layouts)
    xml.remove_slides(prs)
    xml.apply_theme(prs, env.theme)
    emitter = Emitter(prs, layouts, env.theme)
    for sp in slides:
        emitter.slide(sp)
    set_core(prs, doc)
    xml.normalize_embedded(prs)
    save_normalized(prs.save, dest)
