"""Writing one document, shared by the main process (build, check, the web page) and the build workers: the
glyph check, the product's writer, and a writer's rejection located in the data text it came from.

build.py and workers.py both import this module; neither imports the other back.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from generators import products as R
from generators.errors import Problem, shown
from generators.load.textio import walk_strings

if TYPE_CHECKING:
    from generators.load.records import Dataset
    from generators.model import Document
    from generators.project import Project
    from generators.writers import WriterEnv


def write_document(doc: Document, env: WriterEnv, dest: Path) -> None:
    """Check every text against the fonts, then hand the document to its product's writer."""
    env.glyphs.require(doc.texts(), env.glyphs.primary[0], f"{doc.kind}:{doc.name}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    R.for_kind(doc.kind).writer_module(dest.suffix).write(doc, env, dest)


def check_document(project: Project, doc: Document) -> None:
    """Everything write_document checks: the writer's own `check` (measure and plan, no file), or else a
    write into a throw-away folder of the project's build/ (removed at once), so check never passes what build
    would reject."""
    env = project.env
    for fmt in R.for_kind(doc.kind).formats:
        check = getattr(R.for_kind(doc.kind).writer_module(fmt.suffix), "check", None)
        if check is not None:
            env.glyphs.require(doc.texts(), env.glyphs.primary[0], f"{doc.kind}:{doc.name}")
            check(doc, env)
            continue
        scratch = project.root / "build"
        made = not scratch.exists()
        try:
            scratch.mkdir(exist_ok=True)
            with tempfile.TemporaryDirectory(prefix="check-", dir=scratch) as tmp:
                write_document(doc, env, Path(tmp) / f"check{fmt.suffix}")
        finally:
            if made:
                shutil.rmtree(scratch, ignore_errors=True)


_QUOTED = re.compile(r"“([^”]{4,})”")
_RUN = re.compile(r"[\u3400-\u9fffA-Za-z0-9，、；（）《》]{4,}")


def locate_in_data(ds: Dataset, problem: Problem) -> Problem:
    """A writer's problem names the template place (a placeholder too small); name the data text it came from.

    The text quoted in the problem is looked up in the raw YAML texts: the longest run of plain characters that
    a text of data/ contains gives its file, line and field. Problems without a quoted text are kept as they are.
    """
    quoted = " ".join([problem.found or ""] + _QUOTED.findall(problem.message or ""))
    runs = sorted(_RUN.findall(quoted), key=len, reverse=True)
    for run in runs[:3]:
        for file, raw in ds.raw_texts.items():
            for text, line, path, _key in walk_strings(raw):
                if run in text:
                    label = "模板中：" if problem.file.startswith("templates") else "文档："
                    where = f"（{label}{problem.file}" + (f"，{problem.field}" if problem.field else "") + "）"
                    return Problem(shown(Path(file)), line, path, problem.expected, problem.found,
                                   (problem.message or "") + where)
    return problem
