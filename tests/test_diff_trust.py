"""A diff a statistician can trust: published digits as imported, 百分点 for rates, % change for totals, the
thresholds as applied, 新增 only for what the import added, project-relative paths, one content in CLI/JSON/page.

Every 2025 value is SYNTHETIC and FAKE; it exists only in pytest's temporary copy of the project.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from tests.conftest import run_cli
from tests.test_web_api import client, make_project
from tests.test_web_jobs import fill, year_column

YEAR = 2025
TYPED = {"hightech_zone_contract_investment": "92.35",  # catalogue decimals 0: stays 92.35, never 92
         "new_urban_jobs": "3.3612",  # decimals 2: stays 3.3612, never 3.36
         "gdp_growth": "6.1"}  # a rate: 6.3 → 6.1 is −0.2 个百分点, never −3.17%


def _book(c) -> bytes:
    from openpyxl import load_workbook

    data = c.get("/api/yearly/workbook", params={"year": YEAR}).content
    ws = load_workbook(io.BytesIO(data))["填报"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    col = year_column(data)
    return fill(data, {f"{col}{rows[k]}": v for k, v in TYPED.items()})


def it_shows_the_same_trustworthy_diff_on_the_page_in_json_and_as_text(tmp_path: Path, monkeypatch):
    proj = make_project(tmp_path / "proj")
    c = client(proj)
    book = _book(c)
    page = c.post("/api/yearly/check", files={"file": ("公报.xlsx", book, "application/octet-stream")}).json()
    (tmp_path / "公报.xlsx").write_bytes(book)
    assert run_cli("import", str(tmp_path / "公报.xlsx"), "--root", str(proj)).code == 0
    monkeypatch.chdir(tmp_path)  # not the project folder: paths must still be data/…
    report = json.loads(run_cli("diff", "2024", str(YEAR), "--root", str(proj), "--format", "json").out)
    text = run_cli("diff", "2024", str(YEAR), "--root", str(proj)).out

    assert page["diff"] == report and page["diff_text"] == text  # one content, three views
    by = {x["indicator"]: x for x in report["changed"]}
    assert by["hightech_zone_contract_investment"]["text_b"] == "92.35"
    assert by["new_urban_jobs"]["text_b"] == "3.3612"
    rate = by["gdp_growth"]
    assert (rate["kind"], rate["change_text"], rate["change_unit"], rate["change_pct"]) == ("rate", "-0.2", "个百分点", None)
    line = next(ln for ln in text.splitlines() if ln.endswith(" gdp_growth"))
    assert "-0.2个百分点" in line and "3.17" not in line and "%" not in line.split("-0.2个百分点")[1].split("gdp_growth")[0].replace("—", "")
    jobs = next(ln for ln in text.splitlines() if ln.endswith(" new_urban_jobs"))
    assert "3.3612" in jobs and "+0.0012" in jobs
    gdp = by["gdp"]
    assert gdp["kind"] == "level" and gdp["change_pct_text"].startswith("+5.") and gdp["change_pct_text"].endswith("%")
    assert report["thresholds"] == "总量 ±50%，比率（%）±5个百分点" and "复核阈值：总量 ±50%，比率（%）±5个百分点" in text
    # 新增 only for what the bulletin added: the article's 2025 records are listed apart
    assert all(x["source_b"] == f"bulletin{YEAR}" for x in report["new"])
    assert "hightech_enterprises" in {x["indicator"] for x in report["other_new"]}
    assert "hightech_enterprises" not in text.split("二、")[1].split("二（续）")[0]
    for where in (json.dumps(page, ensure_ascii=False), text):
        assert str(tmp_path) not in where and "/tmp" not in where and "reportgen-diff" not in where


def it_tells_web_users_what_to_click_not_what_to_type(tmp_path: Path):
    from openpyxl import load_workbook

    proj = make_project(tmp_path / "proj")
    data = client(proj).get("/api/yearly/workbook", params={"year": YEAR}).content
    help_page = "\n".join(str(c.value or "") for row in load_workbook(io.BytesIO(data))["说明"].iter_rows() for c in row)
    assert "年度更新" in help_page and "以公报为准" in help_page and "reportgen" not in help_page and "--" not in help_page
    book = tmp_path / "cli.xlsx"
    assert run_cli("new-year", str(YEAR), "--out", str(book), "--root", str(proj)).code == 0
    help_cli = "\n".join(str(c.value or "") for row in load_workbook(book)["说明"].iter_rows() for c in row)
    assert "reportgen import" in help_cli and "--bulletin-wins" in help_cli
