"""The 年度更新 page's side of the service: workbook, cell check, diff, whether the year can be built, import."""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from generators.errors import InputError


class Yearly:
    """Mixed into Service: needs `root`, `images` and `catalogue`."""

    root: Path
    images: Path

    def workbook(self, year: int) -> bytes:
        from generators.yearly.workbook import new_year

        with tempfile.TemporaryDirectory(prefix="reportgen-wb-") as tmp:
            dest = Path(tmp) / f"年度填报-{year}.xlsx"
            new_year(self.root, year, dest, force=True)
            return dest.read_bytes()

    def check_workbook(self, xlsx: Path, replace: bool) -> dict:
        """Every cell checked (nothing written); then, on a private copy of data/, the diff to the previous year
        and whether that year's edition could be built after the import (and which figures it still lacks)."""
        from generators.yearly import diff as yearly_diff
        from generators.yearly.importer import import_workbook
        from generators.yearly.settings import load_settings

        with _named_as_uploaded(xlsx):
            res = import_workbook(self.root, xlsx, replace_=replace, dry_run=True)
        out = _import_dict(res, self.root)
        with tempfile.TemporaryDirectory(prefix="reportgen-diff-") as tmp:
            copy = Path(tmp)
            shutil.copytree(self.root / "data", copy / "data", ignore=shutil.ignore_patterns(".*", "~$*"))
            if self.images.is_dir():
                (copy / "assets").mkdir()
                shutil.copytree(self.images, copy / "assets" / "images")
            try:
                import_workbook(copy, xlsx, year=res.year, replace_=replace)
                out["diff"] = yearly_diff.diff_years(copy, res.year - 1, res.year)
                out["diff_text"] = yearly_diff.diff_text(out["diff"], load_settings(copy))
            except InputError as exc:
                out["diff"], out["diff_text"] = None, "\n".join(p.render() for p in exc.problems)
            out["edition"] = edition_after(copy / "data", res.year)
        return out

    def import_workbook(self, xlsx: Path, replace: bool) -> dict:
        """Write the year into data/ (atomic, all or nothing); says whether that year's edition can now be built."""
        from generators.yearly.importer import import_workbook

        with _named_as_uploaded(xlsx):
            res = import_workbook(self.root, xlsx, replace_=replace)
        out = _import_dict(res, self.root)
        out["edition"] = edition_after(self.root / "data", res.year)
        return out


def edition_after(data: Path, year: int) -> dict[str, Any]:
    """{"complete": bool, "years": buildable years, "missing": indicators `@Y` texts need but `year` lacks}."""
    from generators.load.dataset import load_dataset
    from generators.load.textcheck import edition_years

    try:
        ds = load_dataset(data)
    except InputError as exc:
        return {"complete": False, "years": [], "missing": [], "problems": [p.render() for p in exc.problems][:20]}
    years = edition_years(ds)
    missing = []
    if year not in years:
        seen = set()
        for ref in _year_refs(ds):
            try:
                ds.find(ref, year)
            except ValueError:
                if ref.indicator not in seen and ref.indicator in ds.indicators:
                    seen.add(ref.indicator)
                    ind = ds.indicators[ref.indicator]
                    missing.append({"indicator": ind.id, "name": ind.name, "unit": ind.unit})
    return {"complete": year in years, "years": years, "missing": missing}


def _year_refs(ds) -> list:
    """The edition-relative references (`@Y…`) of the texts (the core keeps this list private)."""
    from generators.load import textcheck

    finder = getattr(textcheck, "_relative_year_refs", None)
    return finder(ds) if finder else []


def _import_dict(res, root: Path) -> dict:
    """The import's outcome; the target file named inside the project (data/figures/…), wherever the server runs."""
    target = Path(res.target)
    if target.is_absolute() and root in target.resolve().parents:
        target = target.resolve().relative_to(root)
    return {"year": res.year, "target": target.as_posix(), "added": res.added, "replaced": res.replaced,
            "unchanged": res.unchanged, "skipped_empty": res.skipped_empty, "warnings": res.warnings,
            "written": res.written, "source_added": res.source_added}


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
