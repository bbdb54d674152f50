"""`reportgen new-year`: the fill-in .xlsx listing every yearly indicator with earlier years' values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generators.errors import InputError, Problem, ReportgenError
from generators.fsutil import atomic_write
from generators.load.dataset import CATEGORIES, Dataset, Figure, Indicator, load_dataset
from generators.load.textio import shown
from generators.typography import display_width
from generators.yearly.common import canonical, check_year, earlier, ordered
from generators.yearly.settings import Settings, load_settings, source_id

if TYPE_CHECKING:
    from generators.yearly.prefill import Prefill

SHEET = "填报"
HELP_SHEET = "说明"
COL_ID, COL_NAME, COL_UNIT, COL_CATEGORY, COL_NOTE = "指标ID", "指标名称", "单位", "类别", "备注"
COL_NEED, COL_USES = "必填", "影响哪些文字"  # rows whose figure the texts and charts use as `@Y`
COL_QUOTE = "公报原文"  # pre-filled from a bulletin: each value's sentence (the import does not read it)
TEXT_FORMAT = "@"  # the new-year column is text: digits stay as typed (455.30 stays 455.30, “—” is allowed)
FIRST_YEAR_COL = 4  # 1-based: 指标ID, 指标名称, 单位, then one column per earlier year, then the new year

HELP_LINES = [
    "{county}{Y}年年度数据填报表 · 填报说明",
    "",
    "1. 在“填报”工作表的“{Y}”列（浅黄色）填写{Y}年的数值，数字取自《{title}》，按公报原样照抄：公报写 455.3 就填 455.3，写 93.25 就填 93.25，不要四舍五入或补零。",
    "2. 单元格是文本格式，照打即可：全角数字（１６６．２１）、减号（−1.2）、千位逗号（1,234）和比率后面的 % 号都会被自动换成半角写法；数字本身不会被改动。单位以“单位”列为准，计数的指标（个、家、人、户……）填整数。",
    "3. 如公报使用的单位不同（例如“万元”而指标单位为“元”），可把该行“单位”改成公报的单位，并按公报原样填写数字；单位必须可以换算。",
    "4. 公报没有公布的指标留空，或写“—”“－”“/”。“必填”列标 @Y 的行是文字和图表要用的数字（“影响哪些文字”列写明用在哪里）：未公布时，按 data/settings.yaml 的 unpublished 规则删去那一句或那根柱子，或改用上一年的数字并标注年份；导入后会逐条列出。",
    "5. 不要修改“指标ID”列，不要改动第1行表头，也不要删除或移动“{Y}”列；可以删除不需要的行。",
    "6. 左侧各年份列是已有数字（换算为指标单位），仅供对照，导入时不读取。“备注”列说明口径，以及{Y}年是否已有其他来源的记录。",
    "{import_step}",
    "   程序会逐格检查；有错误时指出工作表、行号和列字母，不改动 data/ 中的任何文件。",
    "   与最近一年的已有数字相比，总量变化超过 ±{pct}%、比率（%）变化超过 ±{points}个百分点的，会提示复核（仅提示，不阻止导入）。",
    "   数字写入 data/figures/yearly-{Y}.csv，来源记为 {source}（{title}）。",
    "{replace_step}",
    "{wins_step}",
    "{build_step}",
]
# Steps 7–9 in the words of the place the workbook came from: the command line, or the 工作台's 年度更新 page
# (whose users never type a command).
STEPS = {
    "cli": {
        "import_step": "7. 填好后保存为 .xlsx（Excel 或 WPS 均可），在项目文件夹中运行：\n       reportgen import 本文件.xlsx",
        "replace_step": "8. 同一个文件重复导入不会产生变化；如需更正已导入的数字，改好后运行 reportgen import 本文件.xlsx --replace。",
        "wins_step": "   公报数字与文章中同一年的数字不同时，加 --bulletin-wins：以公报为准，文章的数字连同其来源保留在原文件中。",
        "build_step": "9. 导入后运行 reportgen diff {Y0} {Y} 查看变化，再运行 reportgen build --year {Y} 生成全部文档（之前各年的版本原样保留）。",
    },
    "page": {
        "import_step": "7. 填好后保存为 .xlsx（Excel 或 WPS 均可），回到工作台的“年度更新”页，在第 2 步“上传填好的填报表”中选择本文件，点“检查”。",
        "replace_step": "8. 同一个文件重复导入不会产生变化；如需更正已导入的数字，改好后上传时勾选“更正已导入的数字（替换）”。",
        "wins_step": "   公报数字与文章中同一年的数字不同时，上传时勾选“以公报为准”：公报数字写入，文章的数字连同其来源保留在原文件中。",
        "build_step": "9. 检查后页面列出与 {Y0} 年的对比；点“导入并生成该年版本”生成全部文档（之前各年的版本原样保留，在“文档”页下载）。",
    },
}


PREFILL_LINES = [
    "",
    "本表已按统计公报预先填写：“{Y}”列的数字取自公报原文，“公报原文”列是每个数字所在的句子（数字用红色粗体标出）。",
    "请逐行核对；“公报中未找到”的行留空，公报确有公布时请照原文补填。导入时不读取“公报原文”列。",
]


def new_year(root: Path, year: int, dest: Path, force: bool = False,
             settings: Settings | None = None, prefill: dict[str, Prefill] | None = None,
             audience: str = "cli") -> tuple[int, list[int]]:
    """Write the fill-in workbook for `year`; returns (number of indicators, earlier years shown).

    `prefill` (from a statistics bulletin, yearly/prefill.py): the new-year cells filled as printed, the unit
    column set to the bulletin's unit where it differs, and a last column 公报原文 with each value's sentence.
    `audience`: "cli" or "page": whose words the 说明 sheet's steps use."""
    cfg = settings or load_settings(root)
    check_year(year)
    if dest.suffix.lower() != ".xlsx":
        raise InputError(Problem("--out", message="文件名应以 .xlsx 结尾", found=str(dest)))
    from generators.outfolder import claim_file

    dest = claim_file(root, dest)  # never into data/, templates/ … (the default is the working folder)
    if dest.exists() and not force:
        raise InputError(Problem(shown(dest), message="文件已存在；为免覆盖已填写的内容，请换一个文件名，或加 --force 覆盖"))
    ds = load_dataset(root / "data", briefings=False)
    inds = ordered(ds, [i for i in ds.indicators.values() if i.yearly])
    if not inds:
        raise InputError(Problem("data/indicators", message="指标目录中没有 yearly=yes 的指标，无法生成填报表"))
    before = {i.id: earlier(ds, i.id, year) for i in inds}
    years = sorted({y for e in before.values() for y in e})

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [COL_ID, COL_NAME, COL_UNIT, *[str(y) for y in years], str(year), COL_NEED, COL_CATEGORY, COL_NOTE,
               COL_USES] + ([COL_QUOTE] if prefill is not None else [])
    ycol = FIRST_YEAR_COL + len(years)  # 1-based column of the new year
    ws.append(headers)
    from generators.load.gaps import edition_uses

    uses = edition_uses(ds)
    for ind, row in zip(inds, _rows(ds, inds, years, before, year), strict=False):
        used = uses.get(ind.id, [])
        quote: list[Any] = []
        if prefill is not None:
            quote = [_fill(row, ycol, ind, prefill.get(ind.id))]
        ws.append(row[:ycol] + ["@Y" if used else None] + row[ycol:] + ["；".join(used)] + quote)
    _style(ws, inds, headers, ycol)
    _size_columns(ws, headers, ycol)
    _page_setup(ws, headers, last=len(inds) + 1)
    _add_validation(ws, ycol, len(inds) + 1, year, cfg)
    _help_sheet(wb, year, years[-1] if years else year - 1, cfg, prefilled=prefill is not None, audience=audience)
    wb.active = 0
    _set_properties(wb, year, cfg)
    _save(wb, dest)
    return len(inds), years


def _fill(row: list[Any], ycol: int, ind: Indicator, cell: Prefill | None) -> Any:
    """Put a bulletin value into the row (and the bulletin's unit where it differs); the 公报原文 cell."""
    if cell is None:
        return None
    if cell.text is not None:
        row[ycol - 1] = cell.text
        if cell.unit and cell.unit != ind.unit:
            row[2] = cell.unit
    if cell.text is None or not 0 <= cell.start < cell.end <= len(cell.quote):
        return cell.quote
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    q = cell.quote
    return CellRichText(q[:cell.start], TextBlock(InlineFont(b=True, color="C00000"), q[cell.start:cell.end]),
                        q[cell.end:])


def _rows(ds: Dataset, inds: list[Indicator], years: list[int], before: dict[str, dict[int, Figure]],
          year: int) -> list[list[Any]]:
    """One row per indicator: id, name, unit, earlier values, empty new-year cell, category, note."""
    src_names = {k: str(v.get("short") or v.get("title") or k) for k, v in ds.sources.items()}
    rows = []
    for ind in inds:
        row: list[Any] = [ind.id, ind.name, ind.unit]
        for y in years:
            fig = before[ind.id].get(y)
            row.append(None if fig is None else _excel_number(canonical(ds, fig)))
        row.append(None)
        note = []
        have = ds.figures.get((ind.id, str(year), ""))
        if have is not None:
            note.append(f"{year}年已有记录：{have.text}{have.unit}（{src_names.get(have.source, have.source)}）；"
                        "公报数字相同可照填，不同请先核实")
        if ind.description:
            note.append(ind.description)
        row += [CATEGORIES.get(ind.category, ind.category), "；".join(note)]
        rows.append(row)
    return rows


def _excel_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)


def _style(ws: Any, inds: list[Indicator], headers: list[str], ycol: int) -> None:
    """Header row shaded, the new-year column yellow and boxed, reference columns grey."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

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
    for r in range(2, len(inds) + 2):
        for c in range(FIRST_YEAR_COL, ycol + 1):
            cell = ws.cell(r, c)
            cell.number_format = TEXT_FORMAT if c == ycol else "General"  # no padding: figures as published
            if c == ycol:
                cell.fill = input_fill
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            else:
                cell.font = Font(color="595959")
        ws.cell(r, 1).font = Font(color="595959")


def _col_width(values: list[str], minimum: int = 6, maximum: int = 60) -> int:
    return max(minimum, min(maximum, max((display_width(v) for v in values), default=0) + 2))


def _size_columns(ws: Any, headers: list[str], ycol: int) -> None:
    from openpyxl.utils import get_column_letter

    columns = list(zip(*([headers] + [[str(v) if v is not None else "" for v in row]
                                      for row in ws.iter_rows(min_row=2, values_only=True)]), strict=False))
    for c, values in enumerate(columns, 1):
        letter = get_column_letter(c)
        if FIRST_YEAR_COL <= c <= ycol:
            ws.column_dimensions[letter].width = 12 if c == ycol else 11
        elif headers[c - 1] in (COL_NOTE, COL_USES, COL_QUOTE):
            ws.column_dimensions[letter].width = 80 if headers[c - 1] == COL_QUOTE else 60
        else:
            ws.column_dimensions[letter].width = _col_width(list(values), maximum=32)


def _page_setup(ws: Any, headers: list[str], last: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "D2"  # header row and 指标ID / 指标名称 / 单位 stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _add_validation(ws: Any, ycol: int, last: int, year: int, cfg: Settings) -> None:
    """Excel/WPS refuse anything but a number in the new-year column, with a prompt saying what to type."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    yl = get_column_letter(ycol)
    dv = DataValidation(  # a prompt only: the cells are text, and the import reads every way of typing a figure
        allow_blank=True, showInputMessage=True, showErrorMessage=False,
        promptTitle=f"填写{year}年数值"[:32],
        prompt=(f"请按《{cfg.source_title(year)}》原样填写{year}年数值（不要四舍五入或补零），单位见“单位”列；"
                "只填数字，不带单位或文字；公报没有公布的留空或写“—”。")[:255],
    )
    ws.add_data_validation(dv)
    dv.add(f"{yl}2:{yl}{last}")


def _help_sheet(wb: Any, year: int, y0: int, cfg: Settings, prefilled: bool = False, audience: str = "cli") -> None:
    from openpyxl.styles import Alignment, Font

    hs = wb.create_sheet(HELP_SHEET)
    words = dict(Y=year, Y0=y0, title=cfg.source_title(year), source=source_id(year), county=cfg.county,
                 pct=cfg.review_pct, points=cfg.review_points)
    steps = {k: v.format(**words) for k, v in STEPS[audience].items()}
    for n, line in enumerate(HELP_LINES + (PREFILL_LINES if prefilled else []), 1):
        text = line.format(**words, **steps)
        cell = hs.cell(n, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if n == 1:
            cell.font = Font(bold=True, size=14)
    hs.column_dimensions["A"].width = 110


def _set_properties(wb: Any, year: int, cfg: Settings) -> None:
    """Fixed dates (1 January after the year) and the year in the keywords, where the import finds it."""
    stamp = dt.datetime(year + 1, 1, 1)
    props = wb.properties
    props.creator = "reportgen"
    props.lastModifiedBy = "reportgen"
    props.created = stamp
    props.modified = stamp
    props.title = f"{cfg.county}{year}年年度数据填报表"
    props.subject = cfg.source_title(year)
    props.keywords = f"reportgen-year:{year}"
    props.description = "年度数据填报表（报告生成器）"


def _save(wb: Any, dest: Path) -> None:
    """Same data → same bytes (no `modified = now`, fixed zip dates); replaced atomically."""
    from generators.yearly.xlsx_package import package_bytes

    data = package_bytes(wb)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(dest, data)
    except OSError as exc:
        raise ReportgenError(f"无法写入 {shown(dest)}（{exc.strerror or exc}；文件可能正在 Excel/WPS 中打开，请关闭后重试）") from None
