"""One rule for which years can be built: the page, `check` and `build` give the same answer and reason.

States tried: nothing imported (the shipped data), partly imported (a bulletin with blanks), complete, and a
conflict with an article figure (refused, then decided for the bulletin from the page). Every 2025 value is
SYNTHETIC and FAKE; it exists only in pytest's temporary copy of the project.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from tests.conftest import run_cli, tree_digest
from tests.test_web_api import client, make_project
from tests.test_web_jobs import fill, year_column

YEAR = 2025


def _check(proj: Path) -> dict[int, str]:
    res = run_cli("check", "--root", str(proj))
    assert res.code == 0, res.err
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^  (\d{4})年：(.+)$", res.out, re.M)}


def _page(c) -> dict[int, dict]:
    return {y["year"]: y for y in c.get("/api/years").json()["years"]}


def _build(proj: Path, year: int, tmp: Path) -> tuple[bool, str]:
    """(built, reason) from `build --year`: the reason is in its log when it builds, in its error when not."""
    log = tmp / f"build-{year}.log"
    res = run_cli("build", "--root", str(proj), "--year", str(year), "--only", "deck", "--quiet", "--jobs", "1",
                  "--log", str(log))
    if res.code == 0:
        assert res.err == ""  # --quiet: nothing but errors, though the edition has notes (in the log)
        m = re.search(rf"版本年份 {year}：(.+)$", log.read_text(encoding="utf-8"), re.M)
        assert m, log.read_text(encoding="utf-8")
        return True, m.group(1)
    assert res.code == 2, res.err
    m = re.search(rf"{year}年：(.+?)。可以生成的年份", res.err)
    assert m, res.err
    return False, m.group(1)


def _agree(proj: Path, c, tmp: Path, year: int) -> dict:
    check, page = _check(proj), _page(c)
    built, reason = _build(proj, year, tmp)
    assert check[year] == page[year]["reason"] == reason
    assert page[year]["buildable"] is built
    return page[year]


def _book(c, cells: dict[str, object] | None = None, all_cells: bool = False) -> bytes:
    from openpyxl import load_workbook

    data = c.get("/api/yearly/workbook", params={"year": YEAR}).content
    if all_cells:
        return fill(data, cells)
    wb = load_workbook(io.BytesIO(data))
    for cell, value in (cells or {}).items():
        wb["填报"][cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _import_cli(proj: Path, book: bytes, tmp: Path, *extra: str):
    path = tmp / "填报.xlsx"
    path.write_bytes(book)
    return run_cli("import", str(path), "--root", str(proj), *extra)


def it_agrees_when_nothing_is_imported(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    c = client(proj)
    status = _agree(proj, c, tmp_path, YEAR)
    assert status["state"] == "none" and not status["buildable"]
    assert _agree(proj, c, tmp_path, YEAR - 1)["state"] == "complete"


def it_agrees_when_a_year_is_partly_imported_and_builds_it_under_the_unpublished_policy(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    c = client(proj)
    col = year_column(c.get("/api/yearly/workbook", params={"year": YEAR}).content)
    book = _book(c, {f"{col}2": "488.12"})  # FAKE: one figure of the bulletin, the rest left blank
    page = c.post("/api/yearly/check", files={"file": ("部分.xlsx", book, "application/octet-stream")}).json()
    assert _import_cli(proj, book, tmp_path).code == 0
    status = _agree(proj, c, tmp_path, YEAR)
    assert status["state"] == "bulletin" and status["buildable"] and status["default"]
    assert page["edition"]["reason"] == status["reason"]  # what the 年度更新 page said before the import


def it_agrees_when_a_year_is_complete(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    c = client(proj)
    book = _book(c, all_cells=True)
    page = c.post("/api/yearly/check", files={"file": ("全.xlsx", book, "application/octet-stream")}).json()
    assert _import_cli(proj, book, tmp_path).code == 0
    status = _agree(proj, c, tmp_path, YEAR)
    assert status["state"] == "complete" and page["edition"]["reason"] == status["reason"]


def it_agrees_on_a_conflict_with_an_article_figure_decided_on_the_page(tmp_path: Path):
    """hightech_enterprises@2025 is 72家 in the article (fyp14.csv); the FAKE bulletin says 73."""
    from openpyxl import load_workbook

    proj = make_project(tmp_path / "proj")
    c = client(proj)
    data = c.get("/api/yearly/workbook", params={"year": YEAR}).content
    ws = load_workbook(io.BytesIO(data))["填报"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "hightech_enterprises")
    col = year_column(data)
    book = _book(c, {f"{col}{row}": "73", f"{col}2": "488.12"})
    before = tree_digest(proj / "data")
    refused = c.post("/api/yearly/check", files={"file": ("冲突.xlsx", book, "application/octet-stream")})
    assert refused.status_code == 422
    text = " ".join(p["message"] for p in refused.json()["problems"])
    assert "72家" in text and "以公报为准" in text and "--" not in text and "reportgen" not in text
    assert tree_digest(proj / "data") == before
    assert _agree(proj, c, tmp_path, YEAR)["state"] == "none"  # nothing imported yet: still the same answer

    ok = c.post("/api/yearly/check", data={"bulletin_wins": "1"},
                files={"file": ("冲突.xlsx", book, "application/octet-stream")}).json()
    assert ok["edition"]["buildable"]
    res = c.post("/api/yearly/import", json={"upload": ok["upload"], "bulletin_wins": True, "build": False}).json()
    assert res["written"] and any("72家" in s for s in res["superseded"])
    status = _agree(proj, c, tmp_path, YEAR)
    assert status["state"] == "bulletin" and status["reason"] == ok["edition"]["reason"]
    # the same record-keeping as the CLI's --bulletin-wins: a re-import from the command line changes nothing
    assert "没有变化" in _import_cli(proj, book, tmp_path).out


def it_lists_every_year_with_figures_for_a_briefing(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    years = client(proj).get("/api/catalogue").json()["years"]
    assert years[:2] == [YEAR, YEAR - 1] and 2020 in years  # 2025: the article's figures, though not buildable


def it_replaces_an_imported_figure_from_the_page(tmp_path: Path):
    proj = make_project(tmp_path / "proj")
    c = client(proj)
    col = year_column(c.get("/api/yearly/workbook", params={"year": YEAR}).content)
    first = _book(c, {f"{col}2": "488.12"})  # FAKE
    up = c.post("/api/yearly/check", files={"file": ("一.xlsx", first, "application/octet-stream")}).json()
    assert c.post("/api/yearly/import", json={"upload": up["upload"], "build": False}).json()["written"]
    fixed = _book(c, {f"{col}2": "489.01"})  # FAKE: the statistician corrects the figure
    refused = c.post("/api/yearly/check", files={"file": ("二.xlsx", fixed, "application/octet-stream")})
    text = " ".join(p["message"] for p in refused.json()["problems"])
    assert refused.status_code == 422 and "勾选“更正已导入的数字（替换）”" in text and "--" not in text
    ok = c.post("/api/yearly/check", data={"replace": "1"},
                files={"file": ("二.xlsx", fixed, "application/octet-stream")}).json()
    res = c.post("/api/yearly/import", json={"upload": ok["upload"], "replace": True, "build": False}).json()
    assert res["replaced"] == [f"gdp@{YEAR}"]
    assert f"gdp,{YEAR},,489.01," in (proj / "data" / "figures" / f"yearly-{YEAR}.csv").read_text(encoding="utf-8")
