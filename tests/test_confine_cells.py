"""Rule 4: no wrong document with exit 0 — a workbook cell is read as the statistician sees it, or refused with
the cell named (number formats, percent on a total, hidden decimals, merged cells). Also the workbook itself
(rule 6/7): a zip bomb, a password-protected or old .xls file, a device or a pipe are refused by name."""

from __future__ import annotations

import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.yearly.cells import shown_number
from tests.conftest import run_cli, tree_digest
from tests.test_yearly import YEAR, _fill, _new_year

# ---- the rule, over formats and values ----------------------------------------------------------------

VALUES = st.decimals(min_value=Decimal("-100000"), max_value=Decimal("100000"), places=4, allow_nan=False)
PLAIN = st.builds(lambda comma, d, pct: ("#,##" if comma else "") + "0" + ("." + "0" * d if d else "") + ("%" if pct else ""),
                  st.booleans(), st.integers(0, 4), st.booleans())


@settings(max_examples=400, deadline=None)
@given(value=VALUES, fmt=PLAIN, unit=st.sampled_from(["%", "亿元", "个", "元"]))
def it_reads_the_shown_digits_or_refuses(value, fmt, unit):
    digits, why = shown_number(value, fmt, unit)
    assert (digits is None) != (why is None)
    percent = fmt.endswith("%")
    if percent and unit != "%":
        assert digits is None and "百分比" in why  # a total in a percent cell is never ×100 silently
        return
    if digits is not None:
        number = value * 100 if percent else value
        assert Decimal(digits) == number  # exactly the stored number: never a rounded or scaled one
        decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
        shown = len(digits.split(".")[1]) if "." in digits else 0
        assert shown == decimals  # as many decimals as the cell shows
    else:
        assert "显示为" in why and "实际存的数" in why


@settings(max_examples=200, deadline=None)
@given(value=VALUES, fmt=st.sampled_from(["0.0,", "0.00,,\"百万\"", "yyyy-mm-dd", "# ?/?", "0.00E+00", "0.0\"亿元\"",
                                           "[红色]0.0;-0.0", "mm:ss", "@\" 元\""]))
def it_refuses_formats_that_change_what_is_shown(value, fmt):
    digits, why = shown_number(value, fmt, "亿元")
    if fmt.startswith("[红色]"):  # a colour does not change the digits
        assert why is None or "显示为" in why
        return
    assert digits is None and fmt in why


# ---- through reportgen import --------------------------------------------------------------------------

def _import(project: Path, wb: Path):
    before = tree_digest(project / "data")
    res = run_cli("import", str(wb), "--root", str(project))
    return res, before


def _edit_workbook(src: Path, dest: Path, edit) -> None:
    from openpyxl import load_workbook

    rows = _fill(src, dest)
    wb = load_workbook(dest)
    edit(wb["填报"], rows)
    wb.save(dest)


def _year_cell(ws, rows, ind):
    header = [c.value for c in ws[1]]
    return ws.cell(rows[ind], header.index(str(YEAR)) + 1)


@pytest.mark.parametrize("case", ["percent-total", "hidden-decimals", "scaled", "merged", "merged-id"])
def it_refuses_a_cell_whose_shown_value_is_not_its_stored_one(project: Path, tmp_path: Path, case: str):
    src = _new_year(project, tmp_path / "new.xlsx")

    def edit(ws, rows):
        cell = _year_cell(ws, rows, "gdp")
        if case == "percent-total":
            cell.value, cell.number_format = 4.848, "0.00%"  # typed 484.8 into a % cell: Excel shows 484.80%
        elif case == "hidden-decimals":
            cell.value, cell.number_format = 484.8333, "0.0"
        elif case == "scaled":
            cell.value, cell.number_format = 4848000, "0.0,"
        elif case == "merged":
            ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row + 1, end_column=cell.column)
        else:
            ws.merge_cells(start_row=cell.row, start_column=1, end_row=cell.row + 1, end_column=1)
    wb = tmp_path / "filled.xlsx"
    _edit_workbook(src, wb, edit)
    res, before = _import(project, wb)
    assert res.code == 2 and "Traceback" not in res.err, res.err
    assert re.search(r"单元格 [A-Z]+\d+", res.err) and "第" in res.err, res.err
    word = {"percent-total": "百分比", "hidden-decimals": "实际存的数", "scaled": "0.0,", "merged": "合并",
            "merged-id": "合并"}[case]
    assert word in res.err, res.err
    assert tree_digest(project / "data") == before


def it_reads_a_rate_typed_as_a_percent_as_shown(project: Path, tmp_path: Path):
    src = _new_year(project, tmp_path / "new.xlsx")
    from generators.load import load_dataset

    ds = load_dataset(project / "data", briefings=False)
    rate = next(i.id for i in ds.indicators.values() if i.yearly and i.unit == "%")

    def edit(ws, rows):
        cell = _year_cell(ws, rows, rate)
        cell.value, cell.number_format = 0.063, "0.0%"
    wb = tmp_path / "filled.xlsx"
    _edit_workbook(src, wb, edit)
    res = run_cli("import", str(wb), "--root", str(project))
    assert res.code == 0, res.err
    text = (project / "data" / "figures" / f"yearly-{YEAR}.csv").read_text(encoding="utf-8")
    assert re.search(rf"^{rate},{YEAR},,6\.3,%", text, re.M), text


# ---- the workbook file itself --------------------------------------------------------------------------

def it_refuses_a_workbook_that_unpacks_to_hundreds_of_megabytes(project: Path, tmp_path: Path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    res, before = _import(project, bomb)
    assert res.code == 2 and "bomb.xlsx" in res.err and "解压后过大" in res.err, res.err
    assert tree_digest(project / "data") == before


def it_says_a_workbook_has_a_password(project: Path, tmp_path: Path):
    locked = tmp_path / "加密.xlsx"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    locked.write_bytes(ole + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1024)
    res, _ = _import(project, locked)
    assert res.code == 2 and "加密.xlsx" in res.err and "密码" in res.err, res.err
    old = tmp_path / "旧.xlsx"
    old.write_bytes(ole + b"Workbook".decode().encode("utf-16-le"))
    res, _ = _import(project, old)
    assert res.code == 2 and ".xls" in res.err and "密码" not in res.err, res.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def it_refuses_devices_and_pipes_as_inputs(project: Path, tmp_path: Path):
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    res, before = _import(project, fifo)
    assert res.code == 2 and "特殊文件" in res.err, res.err
    res = run_cli("import", "/dev/zero", "--root", str(project))
    assert res.code == 2 and "Traceback" not in res.err, res.err
    spec = tmp_path / "spec.yaml"
    os.mkfifo(spec)
    res = run_cli("briefing", str(spec), "--root", str(project), "--out", str(tmp_path / "x.docx"))
    assert res.code == 2 and "特殊文件" in res.err and "spec.yaml" in res.err, res.err
    assert tree_digest(project / "data") == before


@pytest.mark.parametrize("fail_at,error", [(1, OSError(28, "No space left on device")),
                                           (2, OSError(27, "File too large")), (2, KeyboardInterrupt())])
def it_leaves_data_exactly_as_before_when_an_import_fails_half_way(project: Path, tmp_path: Path, monkeypatch,
                                                                  fail_at, error):
    from generators.yearly import merge

    src = _new_year(project, tmp_path / "new.xlsx")
    wb = tmp_path / "filled.xlsx"
    _fill(src, wb)
    real, calls = merge.atomic_write, {"n": 0}

    def flaky(path, data, *a, **kw):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise error
        return real(path, data, *a, **kw)

    monkeypatch.setattr(merge, "atomic_write", flaky)
    before = tree_digest(project / "data")
    res = run_cli("import", str(wb), "--root", str(project))
    assert res.code in (1, 2, 130) and "Traceback" not in res.err, res.err
    assert calls["n"] >= fail_at
    assert tree_digest(project / "data") == before  # sources.yaml included
    if isinstance(error, OSError):
        assert "已恢复原样" in res.err, res.err
