"""`reportgen import`: validate every cell of a filled-in workbook, then merge it into data/ atomically."""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from generators import units
from generators.errors import InputError, Problem
from generators.load.dataset import Dataset, load_dataset
from generators.load.numbers import is_unpublished, read_figure
from generators.load.textio import shown
from generators.yearly.common import (
    DEFAULT_POINTS,
    canonical,
    check_year,
    earlier,
    fmt,
    review_change,
    yearly_file,
)
from generators.yearly.merge import Entry, ImportResult, merge, sources_text, verify, write_all
from generators.yearly.settings import Settings, load_settings
from generators.yearly.workbook import COL_ID, COL_UNIT, SHEET

REQUIRED_COLUMNS = (COL_ID,)  # plus the year column
YEAR_HINT = "请用 --year 指定，例如 reportgen import 文件.xlsx --year 2025"  # the page words it its own way
NEW_YEAR_HINT = "请使用 reportgen new-year 生成的表格"
_PROP_YEAR = re.compile(r"reportgen-year[:：\s]*(\d{4})")
_TITLE_YEAR = re.compile(r"(\d{4})年")


def import_workbook(root: Path, xlsx: Path, year: int | None = None, replace_: bool = False,
                    dry_run: bool = False, threshold: Decimal | None = None,
                    settings: Settings | None = None, points: Decimal | None = None,
                    bulletin_wins: bool = False) -> ImportResult:
    """Validate every cell of the new-year column, then merge into data/ atomically (nothing changes on error).

    Review thresholds default to settings.yaml `review` (levels 50 %, rates 5 百分点); `bulletin_wins`: a bulletin
    figure that differs from another source's figure for the same year replaces it (that record stays, unused)."""
    from generators.load.gaps import collect

    cfg = settings or load_settings(root)
    data = root / "data"
    ds = load_dataset(data, briefings=False)
    skipped_ids: list[str] = []
    year, entries, skipped = read_workbook(ds, xlsx, year, skipped_ids)
    result = ImportResult(year, shown(yearly_file(data, year)), skipped_empty=skipped)
    result.unpublished = [f"{i} {ds.indicators[i].name}" for i in skipped_ids if i in ds.indicators]
    result.warnings = plausibility(ds, year, entries, Decimal(cfg.review_pct) if threshold is None else threshold,
                                   Decimal(cfg.review_points) if points is None else points)
    csv_text = merge(ds, year, entries, xlsx.name, replace_, result, cfg, bulletin_wins)
    src_text = sources_text(data, year, cfg) if csv_text is not None else None
    result.source_added = src_text is not None
    new_files: dict[Path, str] = {}
    if src_text is not None:
        new_files[data / "sources.yaml"] = src_text  # first: an added, unused source is harmless on its own
    if csv_text is not None:
        new_files[yearly_file(data, year)] = csv_text
    merged = verify(data, new_files, year, cfg) if new_files else ds
    copy = shown(merged.root)  # a gap found in the checked copy is named by its place in the real data/
    result.gaps = [g.describe().replace(copy, shown(data)) for g in collect(merged, year)]
    needed = {g.ref.split("@")[0] for g in collect(merged, year)}
    result.unpublished.sort(key=lambda x: x.split()[0] not in needed)  # the ones the texts use first
    result.needed = [x for x in result.unpublished if x.split()[0] in needed]
    if not new_files or dry_run:
        return result
    write_all(new_files)
    result.written = True
    return result


# ---- reading the workbook ----------------------------------------------------------------------------

@dataclass
class _Sheet:
    """The 填报 sheet (values and formulas) and where its columns are."""

    ws: Any
    wf: Any
    where: str
    year: int
    c_id: int
    c_year: int
    c_unit: int | None


_SKIPPED = object()  # an indicator row whose new-year cell is empty


def read_workbook(ds: Dataset, path: Path, year: int | None,
                  skipped_ids: list[str] | None = None) -> tuple[int, list[Entry], int]:
    """Validate the workbook; returns (year, entries, cells not published) or raises InputError.

    `skipped_ids` collects the indicator ids whose cell was blank or “—”."""
    sheet = _open_sheet(path, year)
    problems: list[Problem] = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    skipped = 0
    for r in range(2, sheet.ws.max_row + 1):
        got = _read_row(ds, sheet, r, seen)
        if got is _SKIPPED:
            skipped += 1
            if skipped_ids is not None:
                skipped_ids.append(_header_text(sheet.ws.cell(r, sheet.c_id).value))
        elif isinstance(got, Problem):
            problems.append(got)
        elif isinstance(got, Entry):
            entries.append(got)
    if problems:
        raise InputError(problems)
    return sheet.year, entries, skipped


def _open_sheet(path: Path, year: int | None) -> _Sheet:
    """The sheet to read, the year it is for, and its columns; a located error when the header is wrong."""
    wbv, wbf = _open_workbook(path)
    name = SHEET if SHEET in wbv.sheetnames else wbv.sheetnames[0]
    ws, wf = wbv[name], wbf[name]
    where = f"{path.name} 工作表“{name}”"
    if year is None:
        year = _workbook_year(wbv)
    if year is None:
        raise InputError(Problem(where, message="无法确定填报年份（工作簿不是本工具生成的填报表，或属性被清除）；"
                                 f"{YEAR_HINT}"))
    check_year(year)
    header = {_header_text(c.value): c.column for c in ws[1] if _header_text(c.value)} if ws.max_row >= 1 else {}
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if str(year) not in header:
        missing.append(str(year))
    if missing:
        have = "、".join(header) or "（空）"
        raise InputError(Problem(where, 1, field="表头", message="表头缺少列 " + "、".join(f"“{m}”" for m in missing)
                                 + f"（{NEW_YEAR_HINT}，不要修改第1行）",
                                 expected="至少含“指标ID”和“" + str(year) + "”列", found=have))
    return _Sheet(ws, wf, where, year, header[COL_ID], header[str(year)], header.get(COL_UNIT))


def _open_workbook(path: Path) -> tuple[Any, Any]:
    """(values workbook, formulas workbook); a located Chinese error when it is not a readable .xlsx."""
    where = shown(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") and path.is_file():
        raise InputError(Problem(where, message="应为 Excel 工作簿 .xlsx；.xls、.et 或 .csv 请在 Excel/WPS 中“另存为”→“Excel 工作簿(*.xlsx)”"))
    from generators.yearly.xlsx_guard import check_package

    check_package(path, where)  # a regular file, not encrypted, not a zip bomb: before openpyxl unpacks it
    from openpyxl import load_workbook

    # openpyxl's notes on what it does not read (e.g. "Data Validation extension is not supported") are not the
    # user's concern. A filter for its warnings, not catch_warnings: that saves and restores the process's filters
    # and is not thread-safe (the web server reads workbooks beside other threads).
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - zipfile, KeyError, lxml …: all mean "not a readable xlsx"
        raise InputError(Problem(where, message=f"无法作为 .xlsx 工作簿读取（{type(exc).__name__}）；"
                                 "请在 Excel/WPS 中打开后“另存为”→“Excel 工作簿(*.xlsx)”")) from None
    return values, formulas


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _workbook_year(wb: Any) -> int | None:
    props = wb.properties
    for text, rx in ((props.keywords, _PROP_YEAR), (props.title, _TITLE_YEAR)):
        m = rx.search(text or "")
        if m:
            return int(m.group(1))
    return None


def _read_row(ds: Dataset, sh: _Sheet, r: int, seen: dict[str, int]) -> Entry | Problem | object | None:
    """One row: an Entry, a located Problem, _SKIPPED (blank or “—”: not published) or None (nothing there)."""
    from openpyxl.utils import get_column_letter

    cell, fcell = sh.ws.cell(r, sh.c_year), sh.wf.cell(r, sh.c_year)
    ind_id = _header_text(sh.ws.cell(r, sh.c_id).value)
    merged = _merged(sh, r)
    if merged is not None:
        return merged
    unpublished = cell.value is None or (isinstance(cell.value, str) and is_unpublished(cell.value))
    if unpublished and not (isinstance(fcell.value, str) and fcell.value.startswith("=")):
        return _SKIPPED if ind_id else None
    ind = ds.indicators.get(ind_id)
    label = f"{ind.id} {ind.name}" if ind else (ind_id or "（空）")
    yl = get_column_letter(sh.c_year)

    def bad(message: str, expected: str | None = None, found: str | None = None, col: str = yl,
            head: str = str(sh.year)) -> Problem:
        return Problem(sh.where, r, message=f"单元格 {col}{r}（{col}列“{head}”，指标 {label}）{message}",
                       expected=expected, found=found)

    il = get_column_letter(sh.c_id)
    if ind is None:
        return bad("所在行的指标ID不在指标目录中" if ind_id else "所在行没有指标ID", found=ind_id or None, col=il, head=COL_ID)
    if ind_id in seen:
        return bad(f"指标重复：第{seen[ind_id]}行已经是这个指标", col=il, head=COL_ID)
    seen[ind_id] = r
    unit = ind.unit
    if sh.c_unit is not None and (u := _header_text(sh.ws.cell(r, sh.c_unit).value)):
        ul = get_column_letter(sh.c_unit)
        if not units.known(u):
            return bad("单位不认识", expected=f"{ind.unit}或可换算的单位", found=u, col=ul, head=COL_UNIT)
        if not units.convertible(u, ind.unit):
            return bad("单位与指标目录不一致且不能换算", expected=f"{ind.unit}或可换算的单位", found=u, col=ul, head=COL_UNIT)
        unit = u
    shown_text, text, why = _cell_value(cell, fcell, unit)
    if text is None:
        return bad(why or "不是数字", expected="数字，按公报原样（如 484.8、6.62、１６６．２１；未公布的留空或写“—”）",
                   found=shown_text)
    if units.is_count(unit) and "." in text:
        return bad(f"单位“{unit}”是计数，应为整数", expected="整数（如 152）", found=shown_text)
    return Entry(sh.where, r, f"{yl}{r}", ind.id, text, unit, units.convert(Decimal(text), unit, ind.unit))


def _merged(sh: _Sheet, r: int) -> Problem | None:
    """A row whose ID or year cell lies in a merged range is refused, naming the cell: never "not published"."""
    from openpyxl.utils import get_column_letter

    from generators.yearly.cells import merged_problem

    for col, head in ((sh.c_year, str(sh.year)), (sh.c_id, COL_ID)):
        why = merged_problem(sh.ws, r, col)
        if why:
            ref = f"{get_column_letter(col)}{r}"
            return Problem(sh.where, r, message=f"单元格 {ref}（{get_column_letter(col)}列“{head}”）{why}")
    return None


def _cell_value(cell: Any, formula_cell: Any, unit: str) -> tuple[str, str | None, str | None]:
    """(shown text, the published digits in half-width form or None, Chinese reason) of one new-year cell.

    A text cell keeps its digits as typed ("455.30" stays 455.30); a number cell gives Excel's shortest form
    (455.3). Full-width digits, −, 1,234 and a % on a rate are read by the one number reader (numbers.py)."""
    v = cell.value
    if isinstance(formula_cell.value, str) and formula_cell.value.startswith("=") and v is None:
        return formula_cell.value, None, "是没有计算结果的公式（请在 Excel/WPS 中打开并保存，或“选择性粘贴→数值”）"
    if isinstance(v, bool):
        return str(v), None, "不是数字（是逻辑值 TRUE/FALSE）"
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return str(v), None, "被 Excel 识别成了日期或时间（请把单元格格式设为“文本”后重新输入）"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            return str(v), None, "不是有限的数字"
        from generators.yearly.cells import shown_number

        d = Decimal(v) if isinstance(v, int) else Decimal(repr(v))
        digits, why = shown_number(d, cell.number_format, unit)  # what the statistician sees, or refused
        if digits is None:
            return str(v), None, why
        v = digits
    text = str(v).strip()
    try:
        return text, read_figure(text, unit)[0], None  # the same rule as data/figures/*.csv
    except ValueError as exc:
        return text, None, str(exc)


def plausibility(ds: Dataset, year: int, entries: list[Entry], threshold: Decimal,
                 points: Decimal = DEFAULT_POINTS) -> list[str]:
    """A warning for each value that changed beyond the review thresholds from the latest earlier year:
    levels by more than `threshold` %, rates and shares (unit %) by more than `points` 百分点."""
    out = []
    for e in entries:
        ind = ds.indicators[e.indicator]
        prev = earlier(ds, e.indicator, year)
        if not prev:
            continue
        y0 = max(prev)
        a = canonical(ds, prev[y0])
        why = review_change(ind.unit, a, e.value, threshold, points)
        if why:
            was = prev[y0].text + prev[y0].unit if prev[y0].unit == ind.unit else fmt(a, ind.decimals) + ind.unit
            out.append(f"{e.cell}（第{e.row}行，{ind.id} {ind.name}）：{year}年 {e.text}{e.unit}，较{y0}年 "
                       f"{was} {why}，请复核")
    return out
