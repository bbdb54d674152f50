"""Merge imported values into data/figures/yearly-YYYY.csv and sources.yaml: check a copy first, then replace."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from generators import units
from generators.errors import InputError, Problem, ReportgenError
from generators.fsutil import atomic_write
from generators.load.dataset import FIGURE_COLUMNS, SUPERSEDES, Dataset, load_dataset
from generators.load.textio import read_text, read_yaml, shown
from generators.yearly.common import canonical, yearly_file
from generators.yearly.settings import Settings, source_id

_COL = {c: i for i, c in enumerate(FIGURE_COLUMNS)}


@dataclass
class Entry:
    """One value read from the workbook, validated."""

    where: str  # "FILE.xlsx 工作表“填报”"
    row: int
    cell: str
    indicator: str
    text: str
    unit: str
    value: Decimal  # in the catalogue unit


@dataclass
class ImportResult:
    year: int
    target: str
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped_empty: int = 0
    warnings: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)  # rows left blank or “—”: "gdp 地区生产总值（第2行）"
    needed: list[str] = field(default_factory=list)  # of those, the ones texts and charts use as `@Y`
    gaps: list[str] = field(default_factory=list)  # what the edition's documents do without them
    superseded: list[str] = field(default_factory=list)  # other sources' figures the bulletin now replaces
    source_added: bool = False
    written: bool = False


def merge(ds: Dataset, year: int, entries: list[Entry], book: str, replace_: bool, result: ImportResult,
          cfg: Settings, bulletin_wins: bool = False) -> str | None:
    """The new text of yearly-YYYY.csv, or None when nothing changes; conflicts raise InputError."""
    path = yearly_file(ds.root, year)
    where = shown(path)
    rows = _read_rows(path)
    data_rows = [r for r in rows if _is_data(r)]
    if data_rows and [c.strip() for c in data_rows[0]] != FIGURE_COLUMNS:
        raise InputError(Problem(where, 1, field="表头", expected=",".join(FIGURE_COLUMNS), found=",".join(data_rows[0])))
    if not rows:
        rows = [list(FIGURE_COLUMNS),
                [f"# {cfg.source_title(year)}（{source_id(year)}）：由年度填报表导入（reportgen import）"]]
    index = _index(rows)
    problems: list[Problem] = []
    changed = False
    for e in entries:
        outcome = _merge_one(ds, year, e, rows, index, where, f"由年度填报表 {book} 导入", replace_, result,
                             bulletin_wins)
        if isinstance(outcome, Problem):
            problems.append(outcome)
        changed |= outcome is True
    if problems:
        raise InputError(problems)
    if not changed:
        return None
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _read_rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    text, _ = read_text(path)
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _is_data(row: list[str]) -> bool:
    return any(c.strip() for c in row) and not row[0].lstrip().startswith("#")


def _index(rows: list[list[str]]) -> dict[tuple[str, str, str], int]:
    """(indicator, period, scope) → row number of each well-formed data row after the header."""
    index: dict[tuple[str, str, str], int] = {}
    header_seen = False
    for i, r in enumerate(rows):
        if not _is_data(r):
            continue
        if not header_seen:
            header_seen = True
            continue
        if len(r) == len(FIGURE_COLUMNS):
            index.setdefault((r[_COL["indicator"]].strip(), r[_COL["period"]].strip(), r[_COL["scope"]].strip()), i)
    return index


# The command line's words for the two choices of an import; the web page puts its own words in their place
# (generators/web/wording.py), so neither choice is worded twice.
BULLETIN_HINT = "以公报为准请加 --bulletin-wins"
REPLACE_HINT = "确认要替换请加 --replace"


def _merge_one(ds: Dataset, year: int, e: Entry, rows: list[list[str]], index: dict[tuple[str, str, str], int],
               where: str, note: str, replace_: bool, result: ImportResult,
               bulletin_wins: bool = False) -> Problem | bool:
    """Put one entry into `rows`: True when rows changed, False when not, a Problem on a conflict."""
    key = (e.indicator, str(year), "")
    ref = f"{e.indicator}@{year}"
    ind = ds.indicators[e.indicator]
    other = ds.figures.get(key)
    if other is not None and other.file != where and canonical(ds, other) != e.value:
        if not bulletin_wins:
            return Problem(
                e.where, e.row,
                message=f"单元格 {e.cell}（指标 {ind.id} {ind.name}）：{ref} 与 {other.file} 第{other.line}行的已有记录冲突：那里是 {other.text}{other.unit}，"
                        f"填报表是 {e.text}{e.unit}；{BULLETIN_HINT}（{other.file} 的记录连同来源保留，不再使用），"
                        "否则请核实后修改其中之一")
        note = f"{SUPERSEDES}（{other.file} 第{other.line}行、来源 {other.source} 为 {other.text}{other.unit}）；{note}"
        result.superseded.append(f"{ref}：{other.text}{other.unit}（{other.source}）→ {e.text}{e.unit}（公报）")
    new_row = [e.indicator, str(year), "", e.text, e.unit, source_id(year), "", note]
    if key not in index:
        index[key] = len(rows)
        rows.append(new_row)
        result.added.append(ref)
        return True
    old = rows[index[key]]
    try:
        old_value = units.convert(Decimal(old[_COL["value"]].strip()), old[_COL["unit"]].strip(), ind.unit)
    except (InvalidOperation, KeyError):
        old_value = None
    if old_value == e.value:
        result.unchanged.append(ref)
        return False
    if not replace_:
        return Problem(
            e.where, e.row,
            message=f"单元格 {e.cell}（指标 {ind.id} {ind.name}）：{ref} 在 {where} 第{index[key] + 1}行已有不同的数值 {old[_COL['value']]}{old[_COL['unit']]}，"
                    f"填报表是 {e.text}{e.unit}；{REPLACE_HINT}")
    new_row[_COL["section"]] = old[_COL["section"]] if len(old) > _COL["section"] else ""
    if len(old) > _COL["note"] and SUPERSEDES in old[_COL["note"]]:
        new_row[_COL["note"]] = old[_COL["note"]]  # it still replaces the other source's figure
    rows[index[key]] = new_row
    result.replaced.append(ref)
    return True


def sources_text(data: Path, year: int, cfg: Settings) -> str | None:
    """sources.yaml with `bulletinYYYY` appended, or None when it is already there."""
    path = data / "sources.yaml"
    sid = source_id(year)
    current = read_yaml(path)
    if isinstance(current, dict) and sid in current:
        return None
    text, _ = read_text(path)
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = [f"# {year}年统计公报：由 reportgen import 添加（年度填报）", f"{sid}:",
             f"  title: {cfg.source_title(year)}", f"  short: {cfg.source_title(year)}", "  kind: 统计公报",
             f"  covers: \"{year}\""]
    new = text if text.endswith(("\n", "\r")) else text + nl
    return new + nl.join(lines) + nl


def verify(data: Path, new_files: dict[Path, str], year: int, cfg: Settings) -> Dataset:
    """Load a copy of data/ with the new files: the merged data must pass every check the build makes."""
    with tempfile.TemporaryDirectory(prefix="reportgen-import-") as tmp:
        copy_root = Path(tmp) / "data"
        shutil.copytree(data, copy_root, ignore=shutil.ignore_patterns(".*.tmp"))
        _link_images(data.parent / "assets" / "images", Path(tmp) / "assets")
        for path, text in new_files.items():
            (copy_root / path.relative_to(data)).write_text(text, encoding="utf-8", newline="")
        if data / "sources.yaml" in new_files:
            _check_appended_source(copy_root / "sources.yaml", data / "sources.yaml", year, cfg)
        try:
            return load_dataset(copy_root, project=data.parent)  # the copy links the real assets/images
        except InputError as exc:
            fix = [replace(p, file=p.file.replace(str(copy_root.resolve()), shown(data))) for p in exc.problems]
            raise InputError(fix) from None


def _link_images(images: Path, assets: Path) -> None:
    """Texts' `image:` files are checked next to data/: make the real ones visible beside the copy."""
    if not images.is_dir():
        return
    assets.mkdir()
    try:
        os.symlink(images, assets / "images", target_is_directory=True)
    except OSError:  # Windows without the symlink privilege
        shutil.copytree(images, assets / "images")


def _check_appended_source(copy: Path, real: Path, year: int, cfg: Settings) -> None:
    """The appended `bulletinYYYY` must read back as a mapping with the title: else ask for a manual edit."""
    sid = source_id(year)
    try:
        parsed = read_yaml(copy)
    except InputError:
        parsed = None
    if not (isinstance(parsed, dict) and isinstance(parsed.get(sid), dict)
            and parsed[sid].get("title") == cfg.source_title(year)):
        raise InputError(Problem(shown(real), message=f"无法安全地追加来源 {sid}（文件结构不是“来源ID: 说明”的映射）；请手工添加"))


def write_all(new_files: dict[Path, str]) -> None:
    """Replace each file atomically, all or nothing: when one write fails (a full disk, a file held open, a
    file-size limit, Ctrl+C) the files already replaced get their old bytes back and new ones are removed, so
    data/ (sources.yaml included) is exactly as before."""
    old: dict[Path, bytes | None] = {}
    for path in new_files:
        try:
            old[path] = path.read_bytes()
        except FileNotFoundError:
            old[path] = None
    done: list[Path] = []
    try:
        for path, text in new_files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text)
            done.append(path)
    except BaseException as exc:
        failed = next((p for p in new_files if p not in done), None)
        _restore(done, old)
        if isinstance(exc, OSError):
            raise ReportgenError(f"无法写入 {shown(failed) if failed else 'data/'}（{exc.strerror or exc}；磁盘可能已满，"
                                 "或文件正在 Excel/WPS 中打开，请处理后重试）；data/ 已恢复原样，未导入任何数字") from None
        raise


def _restore(done: list[Path], old: dict[Path, bytes | None]) -> None:
    for path in reversed(done):
        try:
            if old[path] is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, old[path] or b"")
        except OSError:
            pass  # nothing more can be done; the message says what failed
