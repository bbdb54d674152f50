"""The yearly update: a fill-in workbook for next year's figures, its import, and a year-to-year diff.

`new_year` writes an .xlsx (openpyxl, imported only here, inside the functions) listing every indicator the
catalogue marks `yearly=yes`, with the earlier years' values and an empty column for the new year.
`import_workbook` validates every cell of that column and merges the values into
`data/figures/yearly-YYYY.csv` (temp files, `os.replace` only after everything passed).
`diff_years` compares two years' figures, re-evaluates data/derived.yaml and flags large changes.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from generators import units
from generators.errors import InputError, Problem, ReportgenError
from generators.load.dataset import CATEGORIES, FIGURE_COLUMNS, Dataset, Figure, Indicator, load_dataset
from generators.load.textio import read_text, shown

SHEET = "填报"
HELP_SHEET = "说明"
COL_ID, COL_NAME, COL_UNIT, COL_CATEGORY, COL_NOTE = "指标ID", "指标名称", "单位", "类别", "备注"
REQUIRED_COLUMNS = (COL_ID,)  # plus the year column
DEFAULT_THRESHOLD = Decimal(50)
MIN_YEAR, MAX_YEAR = 1949, 2100
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_PROP_YEAR = re.compile(r"reportgen-year[:：\s]*(\d{4})")
_TITLE_YEAR = re.compile(r"(\d{4})年")


def source_id(year: int) -> str:
    return f"bulletin{year}"


_SETTINGS: dict[str, str] = {}


def settings(root: Path) -> dict[str, str]:
    """data/settings.yaml: the county's name and the bulletin's title (no county text lives in code)."""
    from generators.load.textio import read_yaml

    path = root / "data" / "settings.yaml"
    raw = read_yaml(path) if path.is_file() else {}
    county = str((raw or {}).get("county", ""))
    title = str((raw or {}).get("bulletin_title", "{county}{year}年统计公报"))
    _SETTINGS.update(county=county, bulletin_title=title)
    return dict(_SETTINGS)


def county() -> str:
    return _SETTINGS.get("county", "")


def source_title(year: int) -> str:
    return _SETTINGS.get("bulletin_title", "{county}{year}年统计公报").format(county=county(), year=year)


def yearly_file(data: Path, year: int) -> Path:
    return data / "figures" / f"yearly-{year}.csv"


def _check_year(year: int, what: str = "年份") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(Problem(what, message="年份超出范围", expected=f"{MIN_YEAR} 到 {MAX_YEAR} 之间的四位年份",
                                 found=str(year)))


def _ordered(ds: Dataset, inds: list[Indicator]) -> list[Indicator]:
    """Category order of the catalogue (经济运行 first), then catalogue order."""
    cat = {c: i for i, c in enumerate(CATEGORIES)}
    pos = {k: i for i, k in enumerate(ds.indicators)}
    return sorted(inds, key=lambda i: (cat.get(i.category, 99), pos[i.id]))


def _canonical(ds: Dataset, fig: Figure) -> Decimal:
    return units.convert(fig.value, fig.unit, ds.indicators[fig.indicator].unit)


def _earlier(ds: Dataset, indicator: str, year: int) -> dict[int, Figure]:
    """Single-year, scope-less records of an indicator before `year`."""
    return {f.year: f for f in ds.by_indicator(indicator) if not f.scope and f.year is not None and f.year < year}


def _fmt(value: Decimal, decimals: int) -> str:
    return units.fmt_number(value, decimals)


def _pct(a: Decimal, b: Decimal) -> Decimal | None:
    return None if a == 0 else (b - a) / abs(a) * 100


def _beyond(a: Decimal, b: Decimal, threshold: Decimal) -> bool:
    pct = _pct(a, b)
    return (b != 0) if pct is None else abs(pct) > threshold


def _signed(value: Decimal, decimals: int, suffix: str = "") -> str:
    text = _fmt(value, decimals)
    return ("+" + text if not text.startswith("-") and Decimal(text) != 0 else text) + suffix


# ---- display width (CJK characters count double) ----------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


# ---- deterministic .xlsx ------------------------------------------------------------------------

def _save_deterministic(wb: Any, dest: Path) -> None:
    """Save without openpyxl's `modified = now` and with fixed zip timestamps: same data → same bytes."""
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # save_workbook() would stamp properties.modified with now()
    from generators.writers.ooxml import normalize_zip

    fixed = io.BytesIO(normalize_zip(raw.getvalue()))
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".reportgen-", suffix=".xlsx", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(fixed.getvalue())
        os.replace(tmp, dest)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ReportgenError(f"无法写入 {shown(dest)}（{exc.strerror or exc}；文件可能正在 Excel/WPS 中打开，请关闭后重试）") from None
        raise


# ---- 1. new-year: the fill-in workbook -----------------------------------------------------------

HELP_LINES = [
    "{county}{Y}年年度数据填报表 · 填报说明",
    "",
    "1. 在“填报”工作表的“{Y}”列（浅黄色）填写{Y}年的数值，数字取自《{title}》。",
    "2. 只填数字：不带单位、千位逗号或 % 号；百分比指标填 6.3 表示 6.3%。单位以“单位”列为准。",
    "3. 如公报使用的单位不同（例如“万元”而指标单位为“亿元”），可把该行“单位”改成公报的单位，并按公报原样填写数字；单位必须可以换算。",
    "4. 小数位数不要超过单元格格式显示的位数（由指标目录规定）；公报没有公布的指标留空即可，导入时跳过。",
    "5. 不要修改“指标ID”列，不要改动第1行表头，也不要删除或移动“{Y}”列；可以删除不需要的行。",
    "6. 左侧各年份列是已有数字（换算为指标单位），仅供对照，导入时不读取。“备注”列说明口径，以及{Y}年是否已有其他来源的记录。",
    "7. 填好后保存为 .xlsx（Excel 或 WPS 均可），在项目文件夹中运行：",
    "       reportgen import 本文件.xlsx",
    "   程序会逐格检查；有错误时指出工作表、行号和列字母，不改动 data/ 中的任何文件。",
    "   与最近一年的已有数字相比变化超过 ±50% 的，会提示复核（仅提示，不阻止导入）。",
    "   数字写入 data/figures/yearly-{Y}.csv，来源记为 {source}（{title}）。",
    "8. 同一个文件重复导入不会产生变化；如需更正已导入的数字，改好后运行 reportgen import 本文件.xlsx --replace。",
    "9. 导入后运行 reportgen diff {Y0} {Y} 查看变化，再运行 reportgen build --year {Y} 生成全部文档。",
]


def _col_width(values: list[str], minimum: int = 6, maximum: int = 60) -> int:
    return max(minimum, min(maximum, max((_width(v) for v in values), default=0) + 2))


def _number_format(decimals: int) -> str:
    return "0" if decimals == 0 else "0." + "0" * decimals


def new_year(root: Path, year: int, dest: Path, force: bool = False) -> tuple[int, list[int]]:
    """Write the fill-in workbook for `year`; returns (number of indicators, earlier years shown)."""
    settings(root)
    _check_year(year)
    if dest.suffix.lower() != ".xlsx":
        raise InputError(Problem("--out", message="文件名应以 .xlsx 结尾", found=str(dest)))
    if dest.exists() and not force:
        raise InputError(Problem(shown(dest), message="文件已存在；为免覆盖已填写的内容，请换一个文件名，或加 --force 覆盖"))
    ds = load_dataset(root / "data", briefings=False)
    inds = _ordered(ds, [i for i in ds.indicators.values() if i.yearly])
    if not inds:
        raise InputError(Problem("data/indicators", message="指标目录中没有 yearly=yes 的指标，无法生成填报表"))
    earlier = {i.id: _earlier(ds, i.id, year) for i in inds}
    years = sorted({y for e in earlier.values() for y in e})

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [COL_ID, COL_NAME, COL_UNIT, *[str(y) for y in years], str(year), COL_CATEGORY, COL_NOTE]
    ycol = 4 + len(years)  # 1-based column of the new year
    ws.append(headers)

    src_names = {k: str(v.get("short") or v.get("title") or k) for k, v in ds.sources.items()}
    notes: list[str] = []
    for ind in inds:
        row: list[Any] = [ind.id, ind.name, ind.unit]
        for y in years:
            fig = earlier[ind.id].get(y)
            row.append(None if fig is None else _excel_number(_canonical(ds, fig)))
        row.append(None)
        note = []
        have = ds.figures.get((ind.id, str(year), ""))
        if have is not None:
            note.append(f"{year}年已有记录：{have.text}{have.unit}（{src_names.get(have.source, have.source)}）；"
                        "公报数字相同可照填，不同请先核实")
        if ind.description:
            note.append(ind.description)
        notes.append("；".join(note))
        row += [CATEGORIES.get(ind.category, ind.category), notes[-1]]
        ws.append(row)

    last = len(inds) + 1
    thin = Side(style="thin", color="A6A6A6")
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    input_head = PatternFill("solid", fgColor="FFD966")
    for c, _ in enumerate(headers, 1):
        cell = ws.cell(1, c)
        cell.font = Font(bold=True)
        cell.fill = input_head if c == ycol else head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = Border(bottom=thin)
    for r, ind in enumerate(inds, 2):
        fmt = _number_format(ind.decimals)
        for c in range(4, ycol + 1):
            cell = ws.cell(r, c)
            cell.number_format = fmt
            if c == ycol:
                cell.fill = input_fill
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            else:
                cell.font = Font(color="595959")
        ws.cell(r, 1).font = Font(color="595959")

    columns = list(zip(*([headers] + [[str(v) if v is not None else "" for v in row]
                                      for row in ws.iter_rows(min_row=2, values_only=True)])))
    for c, values in enumerate(columns, 1):
        letter = get_column_letter(c)
        if 4 <= c <= ycol:
            ws.column_dimensions[letter].width = 12 if c == ycol else 11
        elif headers[c - 1] == COL_NOTE:
            ws.column_dimensions[letter].width = 60
        else:
            ws.column_dimensions[letter].width = _col_width(list(values), maximum=32)
    ws.freeze_panes = "D2"  # header row and 指标ID / 指标名称 / 单位 stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    yl = get_column_letter(ycol)
    dv = DataValidation(
        type="decimal", operator="between", formula1="-1000000000000", formula2="1000000000000", allow_blank=True,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop",
        promptTitle=f"填写{year}年数值"[:32],
        prompt=(f"请填写《{source_title(year)}》中的{year}年数值，单位见“单位”列。只填数字，不带单位、逗号或 % 号；"
                "小数位数不超过单元格显示的位数；公报没有的留空。")[:255],
        errorTitle="请输入数字",
        error="这里只能填数字（如 484.80、6.3），不带单位、逗号或 % 号；没有数字请留空。",
    )
    ws.add_data_validation(dv)
    dv.add(f"{yl}2:{yl}{last}")

    hs = wb.create_sheet(HELP_SHEET)
    y0 = years[-1] if years else year - 1
    for n, line in enumerate(HELP_LINES, 1):
        text = line.format(Y=year, Y0=y0, title=source_title(year), source=source_id(year), county=county())
        cell = hs.cell(n, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if n == 1:
            cell.font = Font(bold=True, size=14)
    hs.column_dimensions["A"].width = 110
    wb.active = 0

    stamp = dt.datetime(year + 1, 1, 1)
    props = wb.properties
    props.creator = "reportgen"
    props.lastModifiedBy = "reportgen"
    props.created = stamp
    props.modified = stamp
    props.title = f"{county()}{year}年年度数据填报表"
    props.subject = source_title(year)
    props.keywords = f"reportgen-year:{year}"
    props.description = "由 reportgen new-year 生成；填好后运行 reportgen import 导入"
    _save_deterministic(wb, dest)
    return len(inds), years


def _excel_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)


# ---- 2. import ---------------------------------------------------------------------------------------

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
    source_added: bool = False
    written: bool = False


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _open_workbook(path: Path) -> tuple[Any, Any]:
    """(values workbook, formulas workbook); a located Chinese error when it is not a readable .xlsx."""
    where = shown(path)
    if not path.is_file():
        raise InputError(Problem(where, message="找不到文件"))
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(Problem(where, message="应为 Excel 工作簿 .xlsx；.xls、.et 或 .csv 请在 Excel/WPS 中“另存为”→“Excel 工作簿(*.xlsx)”"))
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "Data Validation extension is not supported"
            values = load_workbook(path, data_only=True)
            formulas = load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - zipfile, KeyError, lxml …: all mean "not a readable xlsx"
        raise InputError(Problem(where, message=f"无法作为 .xlsx 工作簿读取（{type(exc).__name__}）；"
                                 "请在 Excel/WPS 中打开后“另存为”→“Excel 工作簿(*.xlsx)”")) from None
    return values, formulas


def _workbook_year(wb: Any) -> int | None:
    props = wb.properties
    for text, rx in ((props.keywords, _PROP_YEAR), (props.title, _TITLE_YEAR)):
        m = rx.search(text or "")
        if m:
            return int(m.group(1))
    return None


def _cell_value(cell: Any, formula_cell: Any) -> tuple[str, Decimal | None, str | None]:
    """(shown text, number or None, Chinese reason when not a number) of one new-year cell."""
    v = cell.value
    if isinstance(formula_cell.value, str) and formula_cell.value.startswith("=") and v is None:
        return formula_cell.value, None, "是没有计算结果的公式（请在 Excel/WPS 中打开并保存，或“选择性粘贴→数值”）"
    if isinstance(v, bool):
        return str(v), None, "不是数字（是逻辑值 TRUE/FALSE）"
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return str(v), None, "被 Excel 识别成了日期或时间（请把单元格格式设为“数值”后重新输入）"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            return str(v), None, "不是有限的数字"
        d = Decimal(v) if isinstance(v, int) else Decimal(repr(v))
        if "%" in (cell.number_format or ""):
            d *= 100  # typed as "6.3%": Excel stores 0.063 and shows 6.3%
        return format(d.normalize(), "f"), d, None
    text = str(v).strip()
    if _NUMBER.match(text):
        return text, Decimal(text), None
    hint = "不是数字"
    if re.search(r"\d", text):
        if "," in text or "，" in text:
            hint = "不是数字（不要写千位逗号）"
        elif "%" in text or "％" in text:
            hint = "不是数字（不要写 % 号，6.3% 填 6.3）"
        else:
            hint = "不是数字（不要带单位或文字）"
    return text, None, hint


def _digits(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def read_workbook(ds: Dataset, path: Path, year: int | None) -> tuple[int, list[Entry], int]:
    """Validate the workbook; returns (year, entries, empty cells skipped) or raises InputError."""
    wbv, wbf = _open_workbook(path)
    book = path.name
    name = SHEET if SHEET in wbv.sheetnames else wbv.sheetnames[0]
    ws, wf = wbv[name], wbf[name]
    where = f"{book} 工作表“{name}”"
    recorded = _workbook_year(wbv)
    if year is None:
        year = recorded
    if year is None:
        raise InputError(Problem(where, message="无法确定填报年份（工作簿不是由 reportgen new-year 生成，或属性被清除）；"
                                 "请用 --year 指定，例如 reportgen import 文件.xlsx --year 2025"))
    _check_year(year)
    from openpyxl.utils import get_column_letter

    header = {_header_text(c.value): c.column for c in ws[1] if _header_text(c.value)} if ws.max_row >= 1 else {}
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if str(year) not in header:
        missing.append(str(year))
    if missing:
        have = "、".join(header) or "（空）"
        raise InputError(Problem(where, 1, field="表头", message="表头缺少列 " + "、".join(f"“{m}”" for m in missing)
                                 + "（请使用 reportgen new-year 生成的表格，不要修改第1行）",
                                 expected="至少含“指标ID”和“" + str(year) + "”列", found=have))
    c_id, c_year, c_unit = header[COL_ID], header[str(year)], header.get(COL_UNIT)
    yl = get_column_letter(c_year)
    problems: list[Problem] = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    skipped = 0
    for r in range(2, ws.max_row + 1):
        raw_id = ws.cell(r, c_id).value
        cell, fcell = ws.cell(r, c_year), wf.cell(r, c_year)
        ind_id = _header_text(raw_id)
        empty = cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())
        if empty and not (isinstance(fcell.value, str) and fcell.value.startswith("=")):
            if ind_id:
                skipped += 1
            continue
        ind = ds.indicators.get(ind_id)
        label = f"{ind.id} {ind.name}" if ind else (ind_id or "（空）")

        def bad(message: str, expected: str | None = None, found: str | None = None, col: str = yl,
                head: str = str(year)) -> None:
            problems.append(Problem(where, r, message=f"单元格 {col}{r}（{col}列“{head}”，指标 {label}）{message}",
                                    expected=expected, found=found))

        il = get_column_letter(c_id)
        if ind is None:
            bad("所在行的指标ID不在指标目录中" if ind_id else "所在行没有指标ID", found=ind_id or None, col=il, head=COL_ID)
            continue
        if ind_id in seen:
            bad(f"指标重复：第{seen[ind_id]}行已经是这个指标", col=il, head=COL_ID)
            continue
        seen[ind_id] = r
        shown_text, number, why = _cell_value(cell, fcell)
        if number is None:
            bad(why or "不是数字", expected="数字（如 484.80；不带单位、千位逗号或 % 号）", found=shown_text)
            continue
        unit = ind.unit
        if c_unit is not None:
            u = _header_text(ws.cell(r, c_unit).value)
            if u:
                if not units.known(u):
                    bad("单位不认识", expected=f"{ind.unit}或可换算的单位", found=u, col=get_column_letter(c_unit),
                        head=COL_UNIT)
                    continue
                if not units.convertible(u, ind.unit):
                    bad("单位与指标目录不一致且不能换算", expected=f"{ind.unit}或可换算的单位", found=u,
                        col=get_column_letter(c_unit), head=COL_UNIT)
                    continue
                unit = u
        if unit == ind.unit:
            if _digits(number) > ind.decimals:
                bad(f"小数位数多于指标规定的 {ind.decimals} 位", expected=f"最多 {ind.decimals} 位小数（按公报填写）",
                    found=shown_text)
                continue
            text = _fmt(number, ind.decimals)
        else:
            text = format(number.normalize(), "f") if _digits(number) else str(int(number))
        entries.append(Entry(where, r, f"{yl}{r}", ind.id, text, unit, units.convert(Decimal(text), unit, ind.unit)))
    if problems:
        raise InputError(problems)
    return year, entries, skipped


def _plausibility(ds: Dataset, year: int, entries: list[Entry], threshold: Decimal) -> list[str]:
    out = []
    for e in entries:
        ind = ds.indicators[e.indicator]
        prev = _earlier(ds, e.indicator, year)
        if not prev:
            continue
        y0 = max(prev)
        a = _canonical(ds, prev[y0])
        if _beyond(a, e.value, threshold):
            pct = _pct(a, e.value)
            change = "由 0 变为非 0" if pct is None else f"变化 {_signed(pct, 2, '%')}"
            out.append(f"{e.cell}（第{e.row}行，{ind.id} {ind.name}）：{year}年 {e.text}{e.unit}，较{y0}年 "
                       f"{_fmt(a, ind.decimals)}{ind.unit} {change}，超过 ±{_fmt(threshold, 0)}%，请复核")
    return out


def _read_rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    text, _ = read_text(path)
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _is_data(row: list[str]) -> bool:
    return any(c.strip() for c in row) and not row[0].lstrip().startswith("#")


def _merge(ds: Dataset, year: int, entries: list[Entry], book: str, replace_: bool,
           result: ImportResult) -> str | None:
    """The new text of yearly-YYYY.csv, or None when nothing changes; conflicts raise InputError."""
    path = yearly_file(ds.root, year)
    where = shown(path)
    rows = _read_rows(path)
    data_rows = [r for r in rows if _is_data(r)]
    if data_rows and [c.strip() for c in data_rows[0]] != FIGURE_COLUMNS:
        raise InputError(Problem(where, 1, field="表头", expected=",".join(FIGURE_COLUMNS), found=",".join(data_rows[0])))
    if not rows:
        rows = [list(FIGURE_COLUMNS),
                [f"# {source_title(year)}（{source_id(year)}）：由年度填报表导入（reportgen import）"]]
    col = {c: i for i, c in enumerate(FIGURE_COLUMNS)}
    index: dict[tuple[str, str, str], int] = {}
    header_seen = False
    for i, r in enumerate(rows):
        if not _is_data(r):
            continue
        if not header_seen:
            header_seen = True
            continue
        if len(r) == len(FIGURE_COLUMNS):
            index.setdefault((r[col["indicator"]].strip(), r[col["period"]].strip(), r[col["scope"]].strip()), i)
    problems: list[Problem] = []
    changed = False
    note = f"由年度填报表 {book} 导入"
    for e in entries:
        key = (e.indicator, str(year), "")
        ref = f"{e.indicator}@{year}"
        ind = ds.indicators[e.indicator]
        other = ds.figures.get(key)
        if other is not None and other.file != where and _canonical(ds, other) != e.value:
            problems.append(Problem(
                e.where, e.row,
                message=f"单元格 {e.cell}（指标 {ind.id} {ind.name}）：{ref} 与 {other.file} 第{other.line}行的已有记录冲突：那里是 {other.text}{other.unit}，"
                        f"填报表是 {e.text}{e.unit}；年度导入不改动其他文件，请核实后手工修改其中之一"))
            continue
        new_row = [e.indicator, str(year), "", e.text, e.unit, source_id(year), "", note]
        if key in index:
            old = rows[index[key]]
            try:
                old_value = units.convert(Decimal(old[col["value"]].strip()), old[col["unit"]].strip(), ind.unit)
            except (InvalidOperation, KeyError):
                old_value = None
            if old_value == e.value:
                result.unchanged.append(ref)
                continue
            if not replace_:
                problems.append(Problem(
                    e.where, e.row,
                    message=f"单元格 {e.cell}（指标 {ind.id} {ind.name}）：{ref} 在 {where} 第{index[key] + 1}行已有不同的数值 {old[col['value']]}{old[col['unit']]}，"
                            f"填报表是 {e.text}{e.unit}；确认要替换请加 --replace"))
                continue
            keep_section = old[col["section"]] if len(old) > col["section"] else ""
            new_row[col["section"]] = keep_section
            rows[index[key]] = new_row
            result.replaced.append(ref)
            changed = True
        else:
            index[key] = len(rows)
            rows.append(new_row)
            result.added.append(ref)
            changed = True
    if problems:
        raise InputError(problems)
    if not changed:
        return None
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _sources_text(root: Path, year: int) -> str | None:
    """sources.yaml with `bulletinYYYY` appended, or None when it is already there."""
    import yaml

    path = root / "sources.yaml"
    sid = source_id(year)
    text, _ = read_text(path)
    current = yaml.safe_load(text) or {}
    if isinstance(current, dict) and sid in current:
        return None
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = [f"# {year}年统计公报：由 reportgen import 添加（年度填报）", f"{sid}:",
             f"  title: {source_title(year)}", f"  short: {year}年统计公报", "  kind: 统计公报",
             f"  covers: \"{year}\""]
    new = text if text.endswith(("\n", "\r")) else text + nl
    new += nl.join(lines) + nl
    parsed = yaml.safe_load(new)
    if not (isinstance(parsed, dict) and isinstance(parsed.get(sid), dict)
            and parsed[sid].get("title") == source_title(year)):
        raise InputError(Problem(shown(path), message=f"无法安全地追加来源 {sid}（文件结构不是“来源ID: 说明”的映射）；请手工添加"))
    return new


def _write_atomic(path: Path, text: str) -> Path:
    """Write to a temp file next to `path`; the caller os.replace()s it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return Path(tmp)


def _verify(data: Path, new_files: dict[Path, str]) -> None:
    """Load a copy of data/ with the new files: the merged data must pass every check the build makes."""
    with tempfile.TemporaryDirectory(prefix="reportgen-import-") as tmp:
        copy_root = Path(tmp) / "data"
        shutil.copytree(data, copy_root, ignore=shutil.ignore_patterns(".*.tmp"))
        images = data.parent / "assets" / "images"  # texts' `image:` files are checked next to data/
        if images.is_dir():
            (Path(tmp) / "assets").mkdir()
            try:
                os.symlink(images, Path(tmp) / "assets" / "images", target_is_directory=True)
            except OSError:  # Windows without the symlink privilege
                shutil.copytree(images, Path(tmp) / "assets" / "images")
        for path, text in new_files.items():
            (copy_root / path.relative_to(data)).write_text(text, encoding="utf-8", newline="")
        try:
            load_dataset(copy_root)
        except InputError as exc:
            fix = [replace(p, file=p.file.replace(str(copy_root.resolve()), shown(data))) for p in exc.problems]
            raise InputError(fix) from None


def import_workbook(root: Path, xlsx: Path, year: int | None = None, replace_: bool = False,
                    dry_run: bool = False, threshold: Decimal = DEFAULT_THRESHOLD) -> ImportResult:
    """Validate every cell of the new-year column, then merge into data/ atomically (nothing changes on error)."""
    settings(root)
    data = root / "data"
    ds = load_dataset(data, briefings=False)
    year, entries, skipped = read_workbook(ds, xlsx, year)
    result = ImportResult(year, shown(yearly_file(data, year)), skipped_empty=skipped)
    result.warnings = _plausibility(ds, year, entries, threshold)
    csv_text = _merge(ds, year, entries, xlsx.name, replace_, result)
    src_text = _sources_text(data, year) if csv_text is not None else None
    result.source_added = src_text is not None
    new_files: dict[Path, str] = {}
    if src_text is not None:
        new_files[data / "sources.yaml"] = src_text
    if csv_text is not None:
        new_files[yearly_file(data, year)] = csv_text
    if not new_files:
        return result
    _verify(data, new_files)
    if dry_run:
        return result
    temps: list[tuple[Path, Path]] = []
    done: list[str] = []
    current = data
    try:
        for path, text in new_files.items():
            current = path
            temps.append((_write_atomic(path, text), path))
        for tmp, path in temps:  # sources first: an added, unused source is harmless on its own
            current = path
            os.replace(tmp, path)
            done.append(shown(path))
        result.written = True
    except OSError as exc:
        failed = shown(current)
        note = f"；已写入：{'、'.join(done)}（只是新增了来源，数字未导入，可放心重试）" if done else "；data/ 未改动"
        raise ReportgenError(f"无法写入 {failed}（{exc.strerror or exc}；文件可能正在 Excel/WPS 中打开，请关闭后重试）{note}") from None
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return result


# ---- 3. diff -------------------------------------------------------------------------------------------

def _year_records(ds: Dataset, year: int) -> dict[tuple[str, str], Figure]:
    return {(f.indicator, f.scope): f for f in ds.figures.values() if f.period == str(year)}


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _derived_for(ds: Dataset, year: int) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Every derived check that does not hold for `year` (via derive.evaluate), and those it cannot compute."""
    from generators.load.derive import evaluate

    bad, unavailable = [], []
    for spec in ds.derived:
        one = copy.copy(ds)
        one.derived = [spec]
        try:
            (dv,) = evaluate(one, year)
        except (ValueError, ArithmeticError) as exc:
            unavailable.append({"id": spec.id, "label": spec.label, "reason": str(exc)})
            continue
        if not dv.ok:
            bad.append({"id": dv.id, "label": dv.label, "computed": _num(dv.value.quantize(Decimal("0.01"))),
                        "stated": _num(dv.stated), "tolerance": _num(Decimal(str(spec.tolerance))),
                        "inputs": list(spec.inputs)})
    return bad, unavailable


def diff_years(root: Path, year_a: int, year_b: int, threshold: Decimal = DEFAULT_THRESHOLD) -> dict[str, Any]:
    settings(root)
    _check_year(year_a, "YEAR_A")
    _check_year(year_b, "YEAR_B")
    ds = load_dataset(root / "data", briefings=False)
    a, b = _year_records(ds, year_a), _year_records(ds, year_b)
    for y, recs in ((year_a, a), (year_b, b)):
        if not recs:
            raise InputError(Problem("data/figures", message=f"{y}年没有任何数字记录",
                                     expected="已有数字的年份：" + "、".join(map(str, ds.years()))))
    pos = {k: i for i, k in enumerate(ds.indicators)}

    def order(key: tuple[str, str]) -> tuple[int, str]:
        return pos.get(key[0], 10**6), key[1]

    def base(key: tuple[str, str]) -> dict[str, Any]:
        ind = ds.indicators[key[0]]
        return {"indicator": ind.id, "name": ind.name, "scope": key[1], "unit": ind.unit, "decimals": ind.decimals}

    changed, unchanged, review = [], 0, []
    for key in sorted(set(a) & set(b), key=order):
        va, vb = _canonical(ds, a[key]), _canonical(ds, b[key])
        if va == vb:
            unchanged += 1
            continue
        pct = _pct(va, vb)
        item = base(key) | {
            "value_a": _num(va), "value_b": _num(vb), "change": _num(vb - va),
            "change_pct": None if pct is None else _num(pct.quantize(Decimal("0.01"))),
            "review": _beyond(va, vb, threshold),
            "source_a": a[key].source, "source_b": b[key].source,
        }
        changed.append(item)
        if item["review"]:
            review.append(item["indicator"] + (f"/{key[1]}" if key[1] else ""))
    new = [base(k) | {"value_b": _num(_canonical(ds, b[k])), "source_b": b[k].source}
           for k in sorted(set(b) - set(a), key=order)]
    missing = [base(k) | {"value_a": _num(_canonical(ds, a[k])), "source_a": a[k].source}
               for k in sorted(set(a) - set(b), key=order)]
    mismatches, unavailable = _derived_for(ds, year_b)
    return {"year_a": year_a, "year_b": year_b, "threshold_pct": _num(threshold), "changed": changed,
            "unchanged": unchanged, "new": new, "missing": missing, "derived_mismatches": mismatches,
            "derived_unavailable": unavailable, "review": review}


def diff_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip() for r in rows]


def diff_text(report: dict[str, Any]) -> str:
    ya, yb, th = report["year_a"], report["year_b"], report["threshold_pct"]

    def label(item: dict[str, Any]) -> str:
        return item["name"] + (f"（{item['scope']}）" if item["scope"] else "")

    def ref(item: dict[str, Any]) -> str:
        return item["indicator"] + (f"/{item['scope']}" if item["scope"] else "")

    def val(item: dict[str, Any], key: str) -> str:
        v = item.get(key)
        return "—" if v is None else _fmt(Decimal(str(v)), item["decimals"])

    out = [f"{county()}数字对比：{ya}年 → {yb}年", ""]
    out.append(f"一、数值有变化的指标（{len(report['changed'])} 项；数值均换算为指标单位；"
               f"变化超过 ±{th}% 的在“复核”列标 ※）")
    if report["changed"]:
        rows = [["指标", "单位", f"{ya}年", f"{yb}年", "变化", "变化率", "复核", "指标ID"]]
        for it in report["changed"]:
            pct = "—" if it["change_pct"] is None else _signed(Decimal(str(it["change_pct"])), 2, "%")
            rows.append([label(it), it["unit"], val(it, "value_a"), val(it, "value_b"),
                         _signed(Decimal(str(it["change"])), it["decimals"]), pct, "※" if it["review"] else "", ref(it)])
        out += _table(rows, {2, 3, 4, 5})
    else:
        out.append("  （无）")
    out.append(f"  另有 {report['unchanged']} 项两年数值相同。")
    for title, key, vkey, y in ((f"二、{yb}年新增的指标（{ya}年没有）", "new", "value_b", yb),
                                (f"三、{yb}年缺少的指标（{ya}年有）", "missing", "value_a", ya)):
        out += ["", f"{title}（{len(report[key])} 项）"]
        if report[key]:
            rows = [["指标", "单位", f"{y}年", "指标ID"]] + [[label(it), it["unit"], val(it, vkey), ref(it)]
                                                           for it in report[key]]
            out += _table(rows, {2})
        else:
            out.append("  （无）")
    out += ["", f"四、计算值与公布值不一致（data/derived.yaml，按 {yb} 年计算；{len(report['derived_mismatches'])} 项）"]
    if report["derived_mismatches"]:
        rows = [["核对项", "计算值", "公布值", "允许误差"]]
        for m in report["derived_mismatches"]:
            rows.append([f"{m['label']} {m['id']}", str(m["computed"]), "—" if m["stated"] is None else str(m["stated"]),
                         str(m["tolerance"])])
        out += _table(rows, {1, 2, 3})
    else:
        out.append("  （无）")
    for u in report["derived_unavailable"]:
        out.append(f"  无法计算：{u['label']} {u['id']}（{u['reason']}）")
    out += ["", f"五、需要复核（变化超过 ±{th}%；{len(report['review'])} 项）"]
    out.append("  " + ("、".join(report["review"]) if report["review"] else "（无）"))
    return "\n".join(out) + "\n"
