"""The 年度更新 page's side of the service: workbook, cell check, diff, whether the year can be built, import."""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from generators.errors import InputError
from generators.web.wording import page_data


class Yearly:
    """Mixed into Service: needs `root`, `images` and `catalogue`."""

    root: Path
    images: Path

    def workbook(self, year: int) -> bytes:
        from generators.yearly.workbook import new_year

        with tempfile.TemporaryDirectory(prefix="reportgen-wb-") as tmp:
            dest = Path(tmp) / f"年度填报-{year}.xlsx"
            new_year(self.root, year, dest, force=True, audience="page")  # its 说明 speaks of the page, not commands
            return dest.read_bytes()

    def check_workbook(self, xlsx: Path, replace: bool, bulletin_wins: bool = False) -> dict:
        """Every cell checked (nothing written); then, on a private copy of data/, the diff to the previous year
        and whether that year's edition could be built after the import (and which figures it still lacks)."""
        from generators.yearly import diff as yearly_diff
        from generators.yearly.importer import import_workbook
        from generators.yearly.settings import load_settings

        with _named_as_uploaded(xlsx):
            res = import_workbook(self.root, xlsx, replace_=replace, dry_run=True, bulletin_wins=bulletin_wins)
        out = _import_dict(res, self.root)
        with tempfile.TemporaryDirectory(prefix="reportgen-diff-") as tmp:
            copy = Path(tmp)
            shutil.copytree(self.root / "data", copy / "data", ignore=shutil.ignore_patterns(".*", "~$*"))
            if self.images.is_dir():
                (copy / "assets").mkdir()
                shutil.copytree(self.images, copy / "assets" / "images")
            try:
                import_workbook(copy, xlsx, year=res.year, replace_=replace, bulletin_wins=bulletin_wins)
                out["diff"] = yearly_diff.diff_years(copy, res.year - 1, res.year)
                out["diff_text"] = yearly_diff.diff_text(out["diff"], load_settings(copy))
            except InputError as exc:
                out["diff"], out["diff_text"] = None, "\n".join(p.render() for p in exc.problems)
            out["edition"] = edition_after(copy / "data", res.year)
            return page_data(out, (copy, self.root))  # data/… only, never the private copy's folder

    def import_workbook(self, xlsx: Path, replace: bool, bulletin_wins: bool = False) -> dict:
        """Write the year into data/ (atomic, all or nothing); says whether that year's edition can now be built.
        `bulletin_wins`: the CLI's --bulletin-wins, with its record-keeping (the article's record kept, unused)."""
        from generators.yearly.importer import import_workbook

        with _named_as_uploaded(xlsx):
            res = import_workbook(self.root, xlsx, replace_=replace, bulletin_wins=bulletin_wins)
        out = _import_dict(res, self.root)
        out["edition"] = edition_after(self.root / "data", res.year)
        return page_data(out, (self.root,))


def edition_after(data: Path, year: int) -> dict[str, Any]:
    """Whether `year`'s edition can be built with this data, and why (generators/load/years.py, the rule check and
    build apply): {"buildable", "default", "reason", "state", "years": buildable years, "missing": the `@Y`
    indicators still without a figure, "gaps": what the documents do about each}."""
    from generators.load.dataset import load_dataset
    from generators.load.gaps import collect
    from generators.load.years import status_of, year_statuses

    try:
        ds = load_dataset(data)
    except InputError as exc:
        return {"buildable": False, "default": False, "state": "none", "reason": "数据有误，不能生成", "years": [],
                "missing": [], "gaps": [], "problems": [p.render() for p in exc.problems][:20]}
    status = status_of(ds, year)
    seen, missing = set(), []
    for key in status.missing:
        ind = ds.indicators.get(key.split("/")[0])
        if ind is not None and ind.id not in seen:
            seen.add(ind.id)
            missing.append({"indicator": ind.id, "name": ind.name, "unit": ind.unit})
    gaps = [g.describe() for g in collect(ds, year)] if status.buildable else []
    return {"buildable": status.buildable, "default": status.default, "state": status.state, "reason": status.reason,
            "years": [s.year for s in year_statuses(ds) if s.buildable], "missing": missing, "gaps": gaps}


def _import_dict(res, root: Path) -> dict:
    """The import's outcome; the target file named inside the project (data/figures/…), wherever the server runs."""
    target = Path(res.target)
    if target.is_absolute() and root in target.resolve().parents:
        target = target.resolve().relative_to(root)
    return {"year": res.year, "target": target.as_posix(), "added": res.added, "replaced": res.replaced,
            "unchanged": res.unchanged, "skipped_empty": res.skipped_empty, "warnings": res.warnings,
            "written": res.written, "source_added": res.source_added, "superseded": res.superseded}


class _named_as_uploaded:
    """Problems that name the private upload path (build/web/uploads/<id>/x.xlsx) name the uploaded file instead."""

    def __init__(self, xlsx: Path):
        self.name = xlsx.name
        self.paths = sorted({str(xlsx), str(xlsx.resolve()), os.path.relpath(xlsx)}, key=len, reverse=True)

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, InputError):
            exc.problems = [self._renamed(p) for p in exc.problems]
        return False

    def _renamed(self, p):
        file, message = p.file, p.message
        for path in self.paths:
            file = file.replace(path, self.name) if file else file
            message = message.replace(path, self.name) if message else message
        return dataclasses.replace(p, file=file, message=message)
