"""Custom briefings: a spec from anywhere (a YAML file, the web form) → a checked Document → .docx bytes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from generators import publish
from generators.errors import InputError, Problem, Problems, shown
from generators.fsutil import inside
from generators.project import Project


def briefing_document(project: Project, raw: Any, where: str, stem: str):
    """Validate a raw briefing spec exactly as `check` validates the shipped ones, then build its Document."""
    from generators.documents import briefing
    from generators.load import specs as S
    from generators.load.dataset import check_references, check_uses

    spec, problems = S.validate(S.BriefingSpec, raw, where)
    if problems:
        raise InputError(problems)
    ds = project.dataset
    key = f"<{where}>"
    ds.raw_texts[key] = raw
    try:
        errs = check_references(ds, spec.year or ds.year, Problems())
    finally:
        ds.raw_texts.pop(key, None)
    # check_references names the file by the key it was given; name it as the user knows it
    errs.items = [Problem(where, p.line, p.field, p.expected, p.found, p.message) if p.file == shown(Path(key)) else p
                  for p in errs.items]
    check_uses(ds, spec, raw, where, errs)
    errs.raise_if_any()
    return briefing.build(ds, spec, stem, ds.year, project.images)


def render_briefing(project: Project, raw: Any, where: str, stem: str = "briefing") -> tuple[str, bytes]:
    """The .docx of a raw spec, built in memory through a private temp file: (file stem, bytes)."""
    from generators.build import check_templates, write_document
    from generators.products import get

    doc = briefing_document(project, raw, where, stem)
    check_templates(project, [get("briefings")])
    with tempfile.TemporaryDirectory(prefix="reportgen-briefing-") as tmp:
        dest = Path(tmp) / f"{doc.name}.docx"
        write_document(doc, project.env, dest)
        return doc.name, dest.read_bytes()


def run_single_briefing(root: Path, spec_path: Path, out: Path | None, year: int | None) -> Path:
    """`reportgen briefing SPEC [--out FILE.docx]`: one briefing, replaced atomically (a locked file: exit 2)."""
    from generators.load.textio import read_yaml

    project = Project.open(root, year)
    raw = read_yaml(spec_path)
    name, data = render_briefing(project, raw, shown(spec_path), spec_path.stem)
    dest = (out or project.out / f"{name}.docx").resolve()
    if dest.suffix.lower() != ".docx":
        raise InputError(Problem("--out", message="输出文件应以 .docx 结尾", found=str(out)))
    for p in project.protected:
        if inside(dest, p):
            raise InputError(Problem("--out", message="不能把文档写进项目的 data/、templates/、assets/",
                                     expected="其他文件夹中的 .docx 文件", found=shown(dest)))
    if dest.is_dir():
        raise InputError(Problem("--out", message="输出位置是一个文件夹", expected="文件名，如 会前简报.docx", found=shown(dest)))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise InputError(Problem("--out", message=f"无法写入输出文件夹（{exc.strerror or exc}）", found=shown(dest.parent))) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        publish.replace_retrying(Path(tmp), dest, dest.name, dest.parent)
    finally:
        Path(tmp).unlink(missing_ok=True)
    print(f"已生成：{shown(dest)}")
    return dest
