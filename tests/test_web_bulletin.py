"""The 年度更新 page's bulletin step over HTTP: read, review (accept / correct / blank), workbook; data/ untouched.

Bulletins: tests/fixtures/bulletins/ (FICTIONAL figures). The browser test is in tests/test_web_browser.py.
"""

from __future__ import annotations

import io
from pathlib import Path

from tests.conftest import ROOT, tree_digest
from tests.test_web_api import client, make_project

FIXTURES = ROOT / "tests" / "fixtures" / "bulletins"


def _upload(c, name: str, data: bytes, year: str = "2025"):
    return c.post("/api/yearly/bulletin", files={"file": (name, data)}, data={"year": year})


def _sheet(data: bytes):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data))["填报"]
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    return ws, header, rows


def it_reads_reviews_and_writes_the_workbook_without_touching_data(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    before = tree_digest(proj / "data")
    c = client(proj)
    res = _upload(c, "衡南县2025年统计公报.docx", (FIXTURES / "terse.docx").read_bytes())
    assert res.status_code == 200, res.text
    body = res.json()
    rows = {r["indicator"]: r for r in body["rows"]}
    assert body["found"] == 19 and body["title"] == "衡南县2025年国民经济和社会发展统计公报"
    gdp = rows["gdp"]
    assert gdp["value"] == "498.76" and gdp["quote"][gdp["start"]:gdp["end"]] == "498.76"
    assert rows["budget_revenue"]["value_unit"] == "万元"
    assert not rows["tech_smes"]["found"] and rows["tech_smes"]["quote"].startswith("公报中未找到")
    # FICTIONAL corrections; the three counts set to the article's 2025 records (fyp14.csv), which the ordinary
    # check would otherwise name as conflicts.
    decisions = {"gdp": {"action": "correct", "value": "498.77", "unit": "亿元"},
                 "air_good_rate": {"action": "blank"}, "tech_smes": {"action": "correct", "value": "205", "unit": "家"},
                 "industrial_enterprises_above_scale": {"action": "correct", "value": "152"},
                 "hightech_enterprises": {"action": "correct", "value": "72"}}
    wb = c.post("/api/yearly/bulletin/workbook", json={"upload": body["upload"], "year": 2025, "decisions": decisions})
    assert wb.status_code == 200, wb.text
    ws, header, at = _sheet(wb.content)
    cy, cq = header.index("2025") + 1, header.index("公报原文") + 1
    assert ws.cell(at["gdp"], cy).value == "498.77" and "核对时改填" in ws.cell(at["gdp"], cq).value
    assert ws.cell(at["air_good_rate"], cy).value is None
    assert ws.cell(at["tech_smes"], cy).value == "205"
    assert ws.cell(at["retail_sales"], cy).value == "１６６．２１"  # accepted as printed
    # The ordinary check takes the workbook as it is.
    check = c.post("/api/yearly/check", files={"file": ("年度填报-2025-按公报.xlsx", wb.content)})
    assert check.status_code == 200, check.text
    assert tree_digest(proj / "data") == before


def it_refuses_bad_bulletins_and_bad_corrections_in_chinese(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    before = tree_digest(proj / "data")
    c = client(proj)
    wrong_year = _upload(c, "公报.txt", "衡南县2024年国民经济和社会发展统计公报\n地区生产总值1亿元。".encode())
    assert wrong_year.status_code == 422
    text = wrong_year.text
    assert "这是2024年的统计公报" in text and "公报.txt" in text and "uploads" not in text
    assert _upload(c, "公报.doc", b"\xd0\xcf\x11\xe0").status_code == 422
    assert "年份" in _upload(c, "公报.txt", b"x", year="").json()["problems"][0]["message"]
    ok = _upload(c, "公报.txt", (FIXTURES / "standard.txt").read_bytes()).json()
    bad = c.post("/api/yearly/bulletin/workbook", json={"upload": ok["upload"], "year": 2025,
                                                        "decisions": {"gdp": {"action": "correct", "value": "五百"}}})
    assert bad.status_code == 422 and "gdp" in bad.text
    unit = c.post("/api/yearly/bulletin/workbook", json={"upload": ok["upload"], "year": 2025,
                                                         "decisions": {"gdp": {"action": "correct", "value": "5",
                                                                               "unit": "家"}}})
    assert unit.status_code == 422 and "不能换算" in unit.text
    gone = c.post("/api/yearly/bulletin/workbook", json={"upload": "0" * 32, "year": 2025, "decisions": {}})
    assert gone.status_code == 422 and "重新上传" in gone.text
    assert tree_digest(proj / "data") == before
