"""A workbook cell as the statistician sees it: the number its format shows, or a located refusal — never a guess.

Excel stores 6.3% as 0.063 and shows 484.80 for 484.8 in a "0.00" cell; it also shows 455.3 for 455.333 in a
"0.0" cell, scales by 1000 for a trailing comma ("0.0,") and shows one value over a merged range. Only the
plain number formats are read (General, 0, 0.00, #,##0.0, the same with %); for those the shown digits are the
figure when they are the stored number exactly, and the cell is refused (naming it, what it shows and what it
holds) when they are not. A percent format on a figure whose unit is not % is refused: a total typed there is
shown ×100.
"""

from __future__ import annotations

import re
from decimal import Decimal

_PLAIN = re.compile(r"(#,##)?0(?:\.(0+))?(%)?")  # the formats whose shown digits are known exactly


def _section(fmt: str) -> str:
    """The first section of a format (positive numbers), without colours, conditions and escaped quotes."""
    first = fmt.split(";")[0]
    return re.sub(r"\[[^\]]*\]", "", first).strip()


def shown_number(value: Decimal, fmt: str | None, unit: str) -> tuple[str | None, str | None]:
    """(the digits the cell shows, None) or (None, the Chinese reason to refuse it)."""
    fmt = (fmt or "General").strip()
    if fmt in ("General", "@", ""):
        return _plain(value), None
    sec = _section(fmt)
    m = _PLAIN.fullmatch(sec)
    if m is None:
        return None, (f"的单元格格式“{fmt}”会改变显示的数字（缩放、日期、分数、科学计数或附加文字），无法确定看到的数值；"
                      "请把单元格格式设为“文本”后按公报原样重新输入")
    decimals = len(m.group(2) or "")
    percent = bool(m.group(3))
    if percent and unit != "%":
        return None, (f"是百分比格式（“{fmt}”），显示为 {_plain(value * 100)}%，但指标单位是“{unit}”，不是百分比；"
                      "请把单元格格式改为“文本”或“常规”后重新输入数值")
    number = value * 100 if percent else value
    digits = number.quantize(Decimal(1).scaleb(-decimals))
    if digits != number:
        return None, (f"显示为 {digits}{'%' if percent else ''}，实际存的数是 {_plain(number)}（单元格格式“{fmt}”"
                      "只显示了一部分小数位）；请按公报原样输入，或把格式设为“文本”后重新输入")
    return format(digits, "f"), None


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))


def merged_problem(ws, row: int, col: int) -> str | None:
    """Why a cell cannot be read because it lies in a merged range (with the range), or None."""
    from openpyxl.utils import get_column_letter

    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            span = f"{get_column_letter(rng.min_col)}{rng.min_row}:{get_column_letter(rng.max_col)}{rng.max_row}"
            return (f"与 {span} 合并了（合并后只有左上角一格有值，其余格被读成空白）；请选中 {span}，"
                    "“开始 → 合并后居中”取消合并，再给每个指标分别填写")
    return None
