"""Custom briefings: a spec from anywhere (a YAML file, the web form) → a checked Document → .docx bytes."""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from generators import publish
from generators.errors import InputError, Problem, Problems, shown
from generators.fsutil import open_temp
from generators.project import Project


def checked_spec(ds, raw: Any, where: str):
    """A raw briefing spec validated exactly as `check` validates the shipped ones (InputError otherwise).

    References are checked on a view of the dataset that holds only this spec's text, so the shared dataset
    is never changed (the web server checks specs from several requests)."""
    from generators.load import specs as S
    from generators.load.chartcheck import check_inline_charts
    from generators.load.dataset import check_references, check_uses

    spec, problems = S.validate(S.BriefingSpec, raw, where)
    view = dataclasses.replace(ds, raw_texts={where: raw})
    errs = Problems()
    errs.items += problems
    year = getattr(spec, "year", None) or ds.year
    try:  # references are checked even when the shape is not right yet: every problem at once, at its field
        check_references(view, year, errs)
    except Exception:  # re-raised unless: a spec of the wrong shape may trip the walk; its shape problems stand
        if not problems:
            raise
    if spec is not None:
        check_uses(view, spec, raw, where, errs)
        if not errs.items:  # charts from picked figures: units that share an axis, a composition that adds up
            check_inline_charts(ds, spec, raw, where, year, errs)
    errs.raise_if_any()
    return spec


def docx_bytes(project: Project, doc) -> bytes:
    """A briefing Document written through a private scratch file in the project's build/ folder."""
    from generators.writing import write_document

    scratch = project.root / "build" / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="briefing-", dir=scratch) as tmp:
        dest = Path(tmp) / f"{doc.name}.docx"
        write_document(doc, project.env, dest)
        return dest.read_bytes()


def render_briefing(project: Project, raw: Any, where: str, stem: str = "briefing") -> tuple[str, bytes]:
    """The .docx of a raw spec: (file stem, bytes)."""
    from generators.build import check_templates
    from generators.documents import briefing
    from generators.products import for_kind

    spec = checked_spec(project.dataset, raw, where)
    check_templates(project, [for_kind("briefing")])
    doc = briefing.build(project.dataset, spec, stem, project.dataset.year, project.images)
    return doc.name, docx_bytes(project, doc)


def run_single_briefing(root: Path, spec_path: Path, out: Path | None, year: int | None, quiet: bool = False) -> Path:
    """`reportgen briefing SPEC [--out FILE.docx]`: one briefing, replaced atomically (a locked file: exit 2).
    A spec without its 期号/发文字号 is told on stderr which number the register gives it (not with --quiet)."""
    from generators.load.textio import read_yaml

    project = Project.open(root, year)
    from generators import numbering

    raw = read_yaml(spec_path)
    # its 期号/发文字号 (the spec's name: its file stem), refused when another briefing holds it, before writing
    number = numbering.assigned(project.dataset, spec_path.stem, checked_spec(project.dataset, raw, shown(spec_path)))
    if not quiet and (line := numbering.omitted_line(number)):
        print(line, file=sys.stderr)
    name, data = render_briefing(project, raw, shown(spec_path), spec_path.stem)
    from generators.outfolder import claim_file

    dest = claim_file(project.root, out or project.out / f"{name}.docx")
    if dest.suffix.lower() != ".docx":
        raise InputError(Problem("--out", message="输出文件应以 .docx 结尾", found=str(out)))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = open_temp(dest)
    except OSError as exc:
        raise InputError(Problem("--out", message=f"无法写入输出文件夹（{exc.strerror or exc}）", found=shown(dest.parent))) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        publish.replace_retrying(tmp, dest, dest.name, dest.parent)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"已生成：{shown(dest)}")
    if number is not None and numbering.record(project.data, [number]):
        print(f"已登记编号：{number.series} {number.year} 年 {number.text}（data/{numbering.FILE}）")
    return dest
