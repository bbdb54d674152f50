"""Every Office file the project writes is valid by the ECMA-376 transitional schemas (issue 16 §2).

Validated offline with openxml-audit (a pure-Python port of the Open XML SDK validator: schema,
semantic and package checks, plus the Excel/Word/PowerPoint "will repair or rewrite" findings).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.ooxml_schema import validate

YEAR = 2025



@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    """`reportgen build` of the shipped data (what `make demo` writes), once for this module."""
    out = tmp_path_factory.mktemp("ooxml-out")
    res = run_cli("build", "--root", str(ROOT), "--out", str(out), "--quiet", "--force")
    assert res.code == 0, res.err
    return out


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("ooxml-xlsx") / f"年度填报-{YEAR}.xlsx"
    res = run_cli("new-year", str(YEAR), "--out", str(dest), "--root", str(ROOT))
    assert res.code == 0, res.err
    return dest


def _briefings(outputs: Path) -> list[Path]:
    files = sorted((outputs / "briefings").glob("*.docx"))
    assert len(files) == len(list((ROOT / "data" / "briefings").glob("*.yaml"))) > 0
    return files


# ---- the yearly workbook: fixed in generators/yearly/xlsx_package.py --------------------------------

def it_writes_a_yearly_workbook_excel_opens_without_repair_or_rewrite(workbook: Path):
    assert validate(workbook) == []
    with zipfile.ZipFile(workbook) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        shared = z.read("xl/sharedStrings.xml").decode()
    assert 't="inlineStr"' not in sheet and 't="s"' in sheet
    assert "指标ID" in shared and shared.count("<si>") == len(set(re.findall(r"<si>(.*?)</si>", shared, re.S)))  # a string may hold a line break


def it_keeps_the_workbook_readable_after_sharing_strings(workbook: Path):
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    header = [c.value for c in wb["填报"][1]]
    assert header[:3] == ["指标ID", "指标名称", "单位"] and str(YEAR) in header
    assert wb["填报"]["A2"].value == "gdp" and "reportgen import" in "".join(str(c.value) for c in wb["说明"]["A"])


# ---- the deck and the briefings: zero findings --------------------------------------------------------

def it_writes_a_schema_valid_deck(outputs: Path):
    assert validate(outputs / "congress-review-deck.pptx") == []


def it_writes_schema_valid_briefings(outputs: Path):
    assert {p.name: validate(p) for p in _briefings(outputs)} == {p.name: [] for p in _briefings(outputs)}




# ---- the validator itself finds and locates errors ---------------------------------------------------

def it_names_the_part_and_element_of_a_schema_error(workbook: Path, tmp_path: Path):
    broken = tmp_path / "broken.xlsx"
    src = zipfile.ZipFile(workbook)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/styles.xml":  # `color` before `b`: out of schema order
                data = data.replace(b"<font><b val=\"1\"/>", b"<font><color rgb=\"FF000000\"/><b val=\"1\"/>", 1)
            dst.writestr(name, data)
    broken.write_bytes(buf.getvalue())
    errors = validate(broken)
    assert errors, "the validator found nothing in a styles part with fonts out of order"
    assert any(e.startswith("/xl/styles.xml /styleSheet[1]/fonts[1]/font[") and "<b>" in e for e in errors), errors
