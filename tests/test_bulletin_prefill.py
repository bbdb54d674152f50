"""`reportgen new-year YEAR --bulletin FILE`: the workbook pre-filled from a bulletin imports unchanged and builds.

The bulletins are tests/fixtures/bulletins/ (FICTIONAL figures); everything is written into pytest's copy of the
project, never into the real data/.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, tree_digest

FIXTURES = ROOT / "tests" / "fixtures" / "bulletins"
TRUTH = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _real_data_untouched():
    before = tree_digest(ROOT / "data")
    yield
    assert tree_digest(ROOT / "data") == before


def _sheet(path: Path):
    from openpyxl import load_workbook

    ws = load_workbook(path, rich_text=True)["填报"]
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    return ws, header, rows


def it_prefills_every_found_value_with_its_sentence(project: Path, tmp_path: Path):
    dest = tmp_path / "2025.xlsx"
    res = run_cli("new-year", "2025", "--bulletin", str(FIXTURES / "terse.docx"), "--out", str(dest),
                  "--root", str(project))
    assert res.code == 0, res.err
    assert "预先填写 19 个指标" in res.out and "tech_smes 入库科技型中小企业数：公报中未找到" in res.out
    ws, header, rows = _sheet(dest)
    cy, cu, cq = header.index("2025") + 1, header.index("单位") + 1, header.index("公报原文") + 1
    truth = TRUTH["terse"]
    for ind, text in truth["values"].items():
        cell, quote = ws.cell(rows[ind], cy).value, ws.cell(rows[ind], cq).value
        if text is None:
            assert cell is None and str(quote).startswith("公报中未找到"), ind
            continue
        assert cell == text, ind
        assert text.lstrip("-") in str(quote), ind  # the sentence it came from, number inside
    assert ws.cell(rows["budget_revenue"], cu).value == "万元"  # the bulletin's unit, as printed
    assert ws.cell(rows["new_urban_jobs"], cu).value == "人"
    rich = ws.cell(rows["gdp"], cq).value  # the number in red bold within the sentence
    assert any(getattr(part, "text", None) == "498.76" and part.font.b for part in rich)


def it_imports_the_prefilled_workbook_unchanged_and_builds_with_the_bulletins_digits(project: Path, tmp_path: Path):
    dest = tmp_path / "2025.xlsx"
    assert run_cli("new-year", "2025", "--bulletin", str(FIXTURES / "standard.pdf"), "--out", str(dest),
                   "--root", str(project)).code == 0
    check = run_cli("import", str(dest), "--dry-run", "--root", str(project))
    # The article already has 2025 figures for three counts (fyp14.csv); the fictional bulletin differs, so the
    # ordinary rule applies: named conflicts, then --bulletin-wins.
    assert check.code == 2 and "tech_smes@2025" in check.err
    res = run_cli("import", str(dest), "--bulletin-wins", "--root", str(project))
    assert res.code == 0, res.err
    csv = (project / "data" / "figures" / "yearly-2025.csv").read_text(encoding="utf-8")
    for row in ("gdp,2025,,512.34,亿元", "tourist_visits_growth,2025,,6.81,%", "disposable_income,2025,,39876,元",
                "tertiary_industry_share,2025,,52.9,%", "new_urban_jobs,2025,,3.41,万人"):
        assert row in csv, row
    out = project / "out"
    built = run_cli("build", "--root", str(project), "--out", str(out), "--only", "summary", "--quiet")
    assert built.code == 0, built.err
    pdf = subprocess.run(["pdftotext", str(out / "fyp14-summary.pdf"), "-"], capture_output=True, check=True)
    flat = "".join(pdf.stdout.decode("utf-8").split())
    for printed in ("512.34亿元", "171.35亿元", "457.83万人次"):
        assert printed in flat, printed


@pytest.mark.parametrize("body, message", [
    ("衡南县2024年国民经济和社会发展统计公报\n地区生产总值1亿元。", "这是2024年的统计公报"),
    ("祁东县2025年国民经济和社会发展统计公报\n地区生产总值1亿元。", "祁东县的统计公报"),
    ("会议通知\n请准时参加。", "不像统计公报"),
])
def it_writes_nothing_for_a_wrong_bulletin(project: Path, tmp_path: Path, body: str, message: str):
    src = tmp_path / "公报.txt"
    src.write_text(body, encoding="utf-8")
    dest = tmp_path / "2025.xlsx"
    before = tree_digest(project / "data")
    res = run_cli("new-year", "2025", "--bulletin", str(src), "--out", str(dest), "--root", str(project))
    assert res.code == 2 and message in res.err and "Traceback" not in res.err
    assert not dest.exists() and tree_digest(project / "data") == before
