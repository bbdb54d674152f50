"""Editions: every year's documents, once built, kept as published in `out/editions/<YEAR>/`.

Each edition folder holds its files, their `manifest.json` and `data-state.json` (every figure as it was read and
the digest of every data/ file: enough to say what changed since). The newest kept edition is also the *current*
one: its files are at the top of out/, where users have always found them, with the same manifest. A build of
one year replaces only that year's edition (and the top level when it is the current one), in the one publish
transaction of publish.py; another year's edition is never touched. Pruning is only on purpose (`prune`).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generators import publish
from generators.errors import InputError, Problem, ReportgenError, shown
from generators.fsutil import files_under
from generators.outfolder import is_safe

FOLDER = "editions"
STATE = "data-state.json"
_YEAR = re.compile(r"^\d{4}$")


def edition_dir(out: Path, year: int) -> Path:
    return out / FOLDER / str(year)


def rel_in(year: int, rel: str) -> str:
    """An edition's file as a path inside out/."""
    return f"{FOLDER}/{year}/{rel}"


def kept_years(out: Path) -> list[int]:
    """Years with a kept edition (a manifest in out/editions/<YEAR>/), newest first; links are not followed."""
    folder = out / FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return []
    years = [int(p.name) for p in folder.iterdir()
             if _YEAR.match(p.name) and p.is_dir() and not p.is_symlink() and (p / publish.MANIFEST).is_file()]
    return sorted(years, reverse=True)


def current_year(out: Path, manifest: dict) -> int | None:
    """The edition at the top of out/ (its manifest's year), if any."""
    year = manifest.get("edition_year") if manifest.get("files") else None
    return year if isinstance(year, int) else None


def data_state(project) -> dict:
    """The data an edition is built from: each figure as read (value digits as written) and each data/ file's sha256."""
    ds = project.dataset
    figures = {f"{f.indicator}@{f.period}" + (f"/{f.scope}" if f.scope else ""):
               {"value": f.text, "unit": f.unit, "source": f.source} for f in ds.figures.values()}
    from generators.numbering import FILE as NUMBERS

    files = {p.relative_to(project.root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in files_under(project.data) if p.relative_to(project.data).as_posix() != NUMBERS}
    return {"edition_year": ds.year, "figures": dict(sorted(figures.items())), "files": dict(sorted(files.items()))}


def state_changes(old: dict, new: dict) -> dict[str, list[str]]:
    """What changed in the data since an edition was built: figures changed, added, removed; files changed."""
    a, b = old.get("figures") or {}, new.get("figures") or {}
    fa, fb = old.get("files") or {}, new.get("files") or {}
    return {"changed": sorted(k for k in set(a) & set(b) if a[k] != b[k]), "added": sorted(set(b) - set(a)),
            "removed": sorted(set(a) - set(b)), "files": sorted(k for k in set(fa) | set(fb) if fa.get(k) != fb.get(k))}


@dataclass
class Steps:
    """What one publish puts (staged files, as paths in out/) and removes, beyond the top-level manifest."""

    put: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)


def stage_copy(src: Path, stage: Path, rel: str, steps: Steps) -> None:
    try:
        dest = stage / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    except OSError as exc:
        raise _staging_failed(exc) from None
    steps.put.append(rel)


def stage_json(stage: Path, rel: str, value: dict, steps: Steps) -> None:
    try:
        dest = stage / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise _staging_failed(exc) from None
    steps.put.append(rel)


def _staging_failed(exc: OSError) -> ReportgenError:
    return ReportgenError(f"写入临时文件夹失败（{exc.strerror or exc}）；输出文件夹未作任何改动，请检查磁盘空间和权限后重试")


def _own(rel: str) -> bool:
    """A top-level document (never a path into the kept editions, whatever a manifest claims)."""
    return not rel.startswith(FOLDER + "/")


def adopt_top(out: Path, top: dict, stage: Path, steps: Steps) -> int | None:
    """An out/ from before editions were kept: its top-level set becomes the kept edition of its year (copied in
    the same publish, so a failed build leaves out/ as it was). Returns that year, or None."""
    year = current_year(out, top)
    if year is None or (edition_dir(out, year) / publish.MANIFEST).is_file():
        return None
    for rel in top["files"]:
        if _own(rel) and (out / rel).is_file():
            stage_copy(out / rel, stage, rel_in(year, rel), steps)
    stage_json(stage, rel_in(year, publish.MANIFEST), top, steps)
    return year


def mirror_top(out: Path, top: dict, edition: dict, sources: dict[str, Path], rebuilt: set[str], stage: Path,
               steps: Steps) -> None:
    """The top of out/ becomes `edition` (the current one): its files put (those rebuilt, and all of them when
    the top held another year), the top's other files removed. `sources`: where each edition file is now."""
    same_year = current_year(out, top) == edition.get("edition_year")
    for rel in edition["files"]:
        if rel in rebuilt or not same_year or not (out / rel).is_file():
            stage_copy(sources[rel], stage, rel, steps)
    steps.remove += [rel for rel in top.get("files", {})
                     if _own(rel) and rel not in edition["files"] and (out / rel).is_file()]


def editions_list(out: Path, read_manifest) -> list[dict]:
    """Every kept edition: year, whether it is the current one, its files (size, sha256), built-from data state."""
    top = read_manifest(out)
    current = current_year(out, top)
    newest = kept_years(out)
    result = []
    for year in newest:
        folder = edition_dir(out, year)
        manifest = read_manifest(folder)
        try:
            state = json.loads((folder / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
        result.append({"year": year, "current": year == current, "folder": f"{FOLDER}/{year}/",
                       "files": [{"path": rel, "size": v.get("size"), "sha256": v.get("sha256", "")}
                                 for rel, v in manifest.get("files", {}).items()],
                       "generator": manifest.get("generator", ""), "state": state if isinstance(state, dict) else {}})
    return result


def prune_plan(out: Path, year: int, read_manifest, stage: Path) -> tuple[Steps, dict | None]:
    """(steps, new top manifest or None) that delete one kept edition; the current one is replaced at the top by
    the next newest kept edition, and refused when it is the only one."""
    years = kept_years(out)
    if year not in years:
        raise InputError(Problem(shown(out / FOLDER), field="--prune", message=f"没有保存的 {year} 年版本",
                                 expected="已保存的版本：" + ("、".join(map(str, years)) or "无"), found=str(year)))
    folder = edition_dir(out, year)
    steps = Steps()  # only what the edition's build wrote: its documents, manifest and data state (never a
    # file someone put there; outfolder.is_safe: never through a link)
    ours = [*read_manifest(folder).get("files", {}), publish.MANIFEST, STATE]
    steps.remove = [rel_in(year, rel) for rel in ours if is_safe(out, rel_in(year, rel)) and (folder / rel).is_file()]
    top = read_manifest(out)
    if current_year(out, top) != year:
        return steps, None
    rest = [y for y in years if y != year]
    if not rest:
        raise InputError(Problem(shown(out / FOLDER), field="--prune", message=f"{year} 年版本是唯一保存的版本，也是 out/ 中的当前版本，不能删除",
                                 expected="先生成另一年的版本", found=str(year)))
    nxt = read_manifest(edition_dir(out, rest[0]))
    sources = {rel: edition_dir(out, rest[0]) / rel for rel in nxt.get("files", {})}
    mirror_top(out, top, nxt, sources, set(), stage, steps)
    return steps, nxt


def drop_empty(out: Path, year: int) -> None:
    """After a prune: the edition's emptied folders go (only folders, only empty ones)."""
    folder = edition_dir(out, year)
    if not folder.is_dir() or folder.is_symlink():
        return
    for d in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        try:
            d.rmdir()
        except OSError:
            pass
    try:
        folder.rmdir()
    except OSError:
        pass


def describe_changes(changes: dict | None) -> str:
    if changes is None:
        return "无法与当前数据比较（数据有误或生成时未记录）"
    if not any(changes.values()):
        return "生成后 data/ 没有变化"
    parts = [f"{len(changes[k])} 个数字{w}" for k, w in (("changed", "改动"), ("added", "新增"), ("removed", "删除"))
             if changes[k]]
    return "生成后 data/ 有变化：" + ("、".join(parts) or "数字未变") + f"（{len(changes['files'])} 个文件）"
