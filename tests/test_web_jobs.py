"""The 工作台's builds and yearly update through the API: progress, downloads, thumbnails, workbook cells, import.

Every value put into a workbook here is SYNTHETIC and FAKE (the 2024 figure + 5 %, or a deliberately wrong
cell); it exists only inside pytest's temp folder.
"""

from __future__ import annotations

import io
import shutil
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from tests.conftest import tree_digest
from tests.test_web_api import client, make_project

YEAR = 2025


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def wait(c, job_id: str, limit: float = 240) -> dict:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        job = c.get(f"/api/jobs/{job_id}").json()
        if job["state"] != "running":
            return job
        time.sleep(0.3)
    raise AssertionError("build did not finish")


def it_builds_with_progress_then_serves_downloads_and_thumbnails(proj):
    c = client(proj)
    res = c.post("/api/build", json={"only": ["summary"]})
    assert res.status_code == 202 and res.json()["started"]
    again = c.post("/api/build", json={"only": ["summary"]}).json()
    assert again["job"] == res.json()["job"] and not again["started"]  # one build at a time
    job = wait(c, res.json()["job"])
    assert job["state"] == "done", job
    assert job["done"] == job["total"] == 1 and job["files"][0].endswith(".pdf")
    docs = c.get("/api/documents").json()
    summary = next(p for p in docs["products"] if p["product"] == "summary")
    assert summary["up_to_date"] and summary["edition_year"] == docs["current_year"]
    (f,) = summary["files"]
    got = c.get(f["url"])
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert got.content == (proj / "out" / f["path"]).read_bytes()
    # PDF pages are drawn by PDFium (a wheel): no external program is needed for them.
    from PIL import Image

    assert len(f["pages"]) > 3 and len(f["page_sizes"]) == len(f["pages"])
    page = c.get(f["pages"][0]).content
    with Image.open(io.BytesIO(page)) as im:  # the strip reserves each page's real shape before it loads
        assert list(im.size) == f["page_sizes"][0] and im.height > im.width
    outline = c.get("/api/documents/outline", params={"file": f["path"]}).json()["outline"]
    assert len(outline) > 2
    deck = next(p for p in docs["products"] if p["product"] == "deck")
    assert not deck["built"] and not deck["up_to_date"]


def it_makes_missing_thumbnails_by_itself_after_a_build_from_the_command_line(proj):
    from generators import build as B

    B.run_build(B.BuildOptions(root=proj, out=proj / "out", only=("summary",), quiet=True))
    c = client(proj)
    docs = c.get("/api/documents").json()
    assert docs["job"] and docs["job"]["kind"] == "thumbnails"
    assert wait(c, docs["job"]["id"])["state"] == "done"
    docs = c.get("/api/documents").json()
    (f,) = next(p for p in docs["products"] if p["product"] == "summary")["files"]
    assert len(f["pages"]) > 3 and docs["job"] is None  # made once; not started again


def it_reports_a_failed_build_with_the_cli_s_located_messages(proj):
    csv = next((proj / "data" / "figures").glob("*.csv"))
    lines = csv.read_text(encoding="utf-8").splitlines()
    row = next(i for i, ln in enumerate(lines) if ln.startswith("gdp,"))
    cells = lines[row].split(",")
    cells[3] = "十二"  # the value column: not a number
    lines[row] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    c = client(proj)
    page = c.get("/").text
    assert "数据有误" in page and f"第{row + 1}行" in page
    job = wait(c, c.post("/api/build", json={}).json()["job"])
    assert job["state"] == "failed"
    assert any(csv.name in p["message"] and f"第{row + 1}行" in p["message"] and p["field"] == "value"
               for p in job["problems"]), job
    assert [p for p in (proj / "out").iterdir()] == []


def fill(data: bytes, edits: dict[str, object] | None = None) -> bytes:
    """The downloaded workbook with 2024 × 1.05 (FAKE) in the 2025 column, then single cells set."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb["填报"]
    header = [c.value for c in ws[1]]
    c24, cy = header.index("2024") + 1, header.index(str(YEAR)) + 1
    for r in range(2, ws.max_row + 1):
        v = ws.cell(r, c24).value
        if v is None:
            continue
        fmt = ws.cell(r, cy).number_format
        q = Decimal(1).scaleb(-len(fmt.split(".")[1])) if "." in fmt else Decimal(1)
        ws.cell(r, cy).value = float((Decimal(str(v)) * Decimal("1.05")).quantize(q, ROUND_HALF_UP))  # FAKE
    for cell, value in (edits or {}).items():
        ws[cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def year_column(data: bytes) -> str:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    header = [c.value for c in load_workbook(io.BytesIO(data))["填报"][1]]
    return get_column_letter(header.index(str(YEAR)) + 1)


def it_names_the_bad_cell_of_an_uploaded_workbook_and_changes_nothing(proj):
    c = client(proj)
    res = c.get("/api/yearly/workbook", params={"year": YEAR})
    assert res.status_code == 200 and res.content.startswith(b"PK")
    col = year_column(res.content)
    before = tree_digest(proj / "data")
    bad = fill(res.content, {f"{col}3": "12,5亿"})
    out = c.post("/api/yearly/check", files={"file": ("填报-2025.xlsx", bad, "application/octet-stream")})
    assert out.status_code == 422
    messages = [p["message"] for p in out.json()["problems"]]
    assert any(f"单元格 {col}3" in m and "填报-2025.xlsx" in m for m in messages), messages
    assert tree_digest(proj / "data") == before


def it_checks_shows_the_diff_and_imports_a_filled_workbook(proj):
    c = client(proj)
    good = fill(c.get("/api/yearly/workbook", params={"year": YEAR}).content)
    before = tree_digest(proj / "data")
    out = c.post("/api/yearly/check", files={"file": ("填报.xlsx", good, "application/octet-stream")})
    assert out.status_code == 200, out.text
    checked = out.json()
    assert checked["year"] == YEAR and checked["added"] and not checked["written"]
    assert checked["target"] == f"data/figures/yearly-{YEAR}.csv"  # inside the project, whatever the working folder
    assert checked["diff"]["year_a"] == YEAR - 1 and checked["diff"]["changed"]
    assert f"{YEAR - 1}年 → {YEAR}年" in checked["diff_text"]
    assert tree_digest(proj / "data") == before  # checking (and the diff) wrote nothing
    res = c.post("/api/yearly/import", json={"upload": checked["upload"], "build": False})
    assert res.status_code == 200 and res.json()["written"]
    assert (proj / "data" / "figures" / f"yearly-{YEAR}.csv").is_file()
    again = c.post("/api/yearly/import", json={"upload": checked["upload"], "build": False}).json()
    assert not again["written"] and len(again["unchanged"]) == len(checked["added"])
    gdp = next(i for i in c.get("/api/catalogue").json()["indicators"] if i["id"] == "gdp")
    assert str(YEAR) in [p["period"] for p in gdp["periods"]]  # the server reloaded the changed data


def it_says_before_importing_how_a_partly_filled_year_is_built_and_builds_it(proj):
    """One cell filled: the bulletin year can be built (the unpublished figures follow the policy), the page says
    so with the same reason check gives, and lists what each unpublished figure does in the documents."""
    from openpyxl import load_workbook

    c = client(proj)
    data = c.get("/api/yearly/workbook", params={"year": YEAR}).content
    wb = load_workbook(io.BytesIO(data))
    wb["填报"][f"{year_column(data)}2"] = 488.12  # FAKE; one cell only: the year stays incomplete
    buf = io.BytesIO()
    wb.save(buf)
    checked = c.post("/api/yearly/check", files={"file": ("一格.xlsx", buf.getvalue(), "application/octet-stream")}).json()
    edition = checked["edition"]
    assert edition["buildable"] and edition["state"] == "bulletin" and YEAR in edition["years"]
    assert "未公布" in edition["reason"] and "unpublished" in edition["reason"]
    assert "地区生产总值增速" in [m["name"] for m in edition["missing"]]  # named, not an id
    assert "地区生产总值" not in [m["name"] for m in edition["missing"]]  # the one filled
    assert edition["gaps"] and all("/tmp" not in g and "reportgen-diff" not in g for g in edition["gaps"])
    res = c.post("/api/yearly/import", json={"upload": checked["upload"]}).json()  # build asked for (the default)
    assert res["written"] and res["edition"]["buildable"] and res["edition"]["reason"] == edition["reason"]
    job = wait(c, res["job"])
    assert job["state"] == "done" and job["year"] == YEAR, job


def it_starts_the_build_of_a_complete_year_after_importing_it(proj):
    c = client(proj)
    good = fill(c.get("/api/yearly/workbook", params={"year": YEAR}).content)
    checked = c.post("/api/yearly/check", files={"file": ("填报.xlsx", good, "application/octet-stream")}).json()
    edition = checked["edition"]
    assert edition["buildable"] and edition["state"] == "complete" and edition["missing"] == [] and edition["gaps"] == []
    assert edition["years"][:2] == [YEAR, YEAR - 1]
    res = c.post("/api/yearly/import", json={"upload": checked["upload"]}).json()
    job = wait(c, res["job"])
    assert job["state"] == "done" and job["year"] == YEAR, job


def it_names_an_unreadable_workbook_by_its_own_name_not_the_upload_folder(proj):
    c = client(proj)
    res = c.post("/api/yearly/check", files={"file": ("坏表.xlsx", b"PK\x03\x04" + b"\0" * 100)})
    message = res.json()["problems"][0]["message"]
    assert res.status_code == 422 and message.startswith("坏表.xlsx：") and "uploads" not in message


def it_refuses_to_build_a_year_that_is_not_complete_before_starting(proj):
    c = client(proj)
    res = c.post("/api/build", json={"year": 1990})
    assert res.status_code == 422 and "1990年：不能生成" in res.json()["problems"][0]["message"]
    assert c.get("/api/documents").json()["job"] is None


def it_refuses_a_year_out_of_range_in_chinese(proj):
    c = client(proj)
    res = c.get("/api/yearly/workbook", params={"year": 3000})
    assert res.status_code == 422 and "年份超出范围" in res.json()["problems"][0]["message"]
    res = c.get("/api/yearly/workbook", params={"year": "abc"})
    assert res.status_code == 422 and "应为整数" in res.json()["problems"][0]["message"]


def it_shows_the_template_check_findings(proj):
    c = client(proj)
    assert c.get("/api/templates/check").json()["problems"] == []
    (proj / "templates" / "briefing-简报.docx").write_bytes(b"not a docx")
    c2 = client(proj)
    problems = c2.get("/api/templates/check").json()["problems"]
    assert problems and any("briefing-简报.docx" in p["message"] for p in problems)
    assert "模板不符合约定" in c2.get("/designer").text


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def it_previews_the_first_page_of_a_briefing(proj):
    from PIL import Image

    from tests.test_web_api import spec

    c = client(proj)
    res = c.post("/api/briefings/preview", json=spec())
    assert res.status_code == 200 and res.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(res.content)) as im:
        assert im.height > im.width > 300  # an A4 page, portrait
    assert c.post("/api/briefings/preview", json=spec(title=None)).status_code == 422


def it_says_in_one_sentence_that_libreoffice_is_missing_and_still_offers_every_download(proj, monkeypatch):
    from generators import build as B

    monkeypatch.setenv("PATH", str(proj / "no-programs-here"))
    monkeypatch.delenv("REPORTGEN_SOFFICE", raising=False)
    monkeypatch.setattr("generators.preview.tools._windows_soffice", lambda: [])
    B.run_build(B.BuildOptions(root=proj, out=proj / "out", quiet=True))
    c = client(proj)
    docs = c.get("/api/documents").json()
    (missing,) = [t for t in docs["tools"].values() if t]
    assert missing.startswith("这台电脑没有安装 LibreOffice") and missing.count("。") == 0 and "apt-get" not in missing
    if docs["job"]:
        assert wait(c, docs["job"]["id"])["state"] == "done"
    docs = c.get("/api/documents").json()
    files = [f for p in docs["products"] for f in p["files"]]
    assert {Path(f["path"]).suffix for f in files} == {".pptx", ".pdf", ".docx"}
    for f in files:  # every download works without LibreOffice
        assert c.get(f["url"]).content == (proj / "out" / f["path"]).read_bytes()
    pdfs = {f["path"]: f for f in files if f["path"].endswith(".pdf")}
    assert len(pdfs["fyp14-summary.pdf"]["pages"]) > 3  # the PDFs still get their pages
    assert len(pdfs["key-figures.pdf"]["pages"]) == 1
    from tests.test_web_api import spec

    res = c.post("/api/briefings/preview", json=spec())
    assert res.status_code >= 400 and "这台电脑没有安装 LibreOffice" in res.text and "apt-get" not in res.text
