"""The yearly update: new-year workbook → fill in → import → diff → build, on a throw-away copy of the project.

Every value put into a workbook here is SYNTHETIC and FAKE (the 2024 figure + 5 %, or deliberately wrong
cells); it exists only inside pytest's temp folder and never reaches the real data/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli, tree_digest

YEAR = 2025


@pytest.fixture(autouse=True)
def _real_data_untouched():
    """Whatever a test does, the project's own data/ stays byte-identical."""
    before = tree_digest(ROOT / "data")
    yield
    assert tree_digest(ROOT / "data") == before, "a yearly test wrote into the real data/"


def _new_year(project: Path, dest: Path, *extra: str) -> Path:
    res = run_cli("new-year", str(YEAR), "--out", str(dest), "--root", str(project), *extra)
    assert res.code == 0, res.err
    return dest


def _fill(src: Path, dest: Path, edits: dict[str, object] | None = None, fake_plus_5: bool = True) -> dict[str, int]:
    """Copy a workbook, filling the new-year column; returns {indicator id: row}.

    FAKE DATA: with fake_plus_5, every indicator that has a 2024 value gets 2024 × 1.05 (rounded to the
    catalogue's decimals, typed as text as a bulletin prints it: "484.80") as its "2025" value. These are not
    real figures of 衡南县.
    `edits` then sets single cells ("H7": "abc") or the new-year cell of an indicator ("gdp": 1.0).
    """
    from openpyxl import load_workbook

    from generators.load import load_dataset

    decimals = {k: i.decimals for k, i in load_dataset(ROOT / "data", briefings=False).indicators.items()}
    wb = load_workbook(src)
    ws = wb["填报"]
    header = [c.value for c in ws[1]]
    c24, cy = header.index("2024") + 1, header.index(str(YEAR)) + 1
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    if fake_plus_5:
        for r in rows.values():
            v = ws.cell(r, c24).value
            if v is None:
                continue  # left empty: not every indicator is reported every year
            q = Decimal(1).scaleb(-decimals[ws.cell(r, 1).value])
            ws.cell(r, cy).value = str((Decimal(str(v)) * Decimal("1.05")).quantize(q, ROUND_HALF_UP))  # FAKE
    for key, value in (edits or {}).items():
        if key in rows:
            ws.cell(rows[key], cy).value = value
        else:
            ws[key] = value
    wb.save(dest)
    return rows


def _year_col() -> str:
    """Letter of the new-year column: 指标ID, 指标名称, 单位, then one column per earlier year."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(3 + len(_earlier_years()) + 1)


def _earlier_years() -> list[int]:
    from generators.load import load_dataset

    ds = load_dataset(ROOT / "data")
    return sorted({f.year for f in ds.figures.values()
                   if f.year is not None and f.year < YEAR and not f.scope and ds.indicators[f.indicator].yearly})


# ---- new-year --------------------------------------------------------------------------------------------

def it_writes_a_deterministic_fill_in_workbook(project: Path, tmp_path: Path):
    from openpyxl import load_workbook

    from generators.load import load_dataset

    wb_path = _new_year(project, tmp_path / "a.xlsx")
    again = _new_year(project, tmp_path / "b.xlsx")
    assert wb_path.read_bytes() == again.read_bytes(), "same data must give the same bytes"
    refused = run_cli("new-year", str(YEAR), "--out", str(wb_path), "--root", str(project))
    assert refused.code == 2 and "已存在" in refused.err  # never overwrite a filled-in workbook silently

    wb = load_workbook(wb_path)
    assert wb.sheetnames == ["填报", "说明"]
    ws = wb["填报"]
    header = [c.value for c in ws[1]]
    years = [str(y) for y in _earlier_years()]
    assert header[:3] == ["指标ID", "指标名称", "单位"]
    assert header[3:3 + len(years) + 1] == years + [str(YEAR)]
    assert {"2015", "2020", "2024"} <= set(years)
    ds = load_dataset(project / "data")
    yearly = {i.id for i in ds.indicators.values() if i.yearly}
    ids = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert sorted(ids) == sorted(yearly) and len(ids) == len(set(ids))
    cy = header.index(str(YEAR)) + 1
    assert all(ws.cell(r, cy).value is None for r in range(2, ws.max_row + 1))
    gdp = ids.index("gdp") + 2
    assert ws.cell(gdp, header.index("2024") + 1).value == pytest.approx(461.71)
    assert ws.cell(gdp, cy).number_format == "@"  # text: the digits stay as the bulletin prints them
    need, uses = header.index("必填") + 1, header.index("影响哪些文字") + 1
    assert ws.cell(gdp, need).value == "@Y" and "summary.yaml" in ws.cell(gdp, uses).value
    assert "删句" in ws.cell(gdp, uses).value and "改用上年数字" in ws.cell(gdp, uses).value
    road = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, need).value is None)
    assert not ws.cell(road, uses).value  # a yearly indicator no text uses as @Y: not marked
    income = ids.index("disposable_income") + 2  # 3.78万元 in the data, shown in the catalogue unit 元
    assert ws.cell(income, header.index("2024") + 1).value == 37800
    assert ws.freeze_panes == "D2"
    assert ws.column_dimensions["B"].width >= 10
    (dv,) = ws.data_validations.dataValidation
    assert dv.type is None and dv.showInputMessage and "原样" in dv.prompt and "—" in dv.prompt
    letter = _year_col()
    assert str(dv.sqref) == f"{letter}2:{letter}{ws.max_row}"
    assert any("reportgen import" in str(c.value) for c in wb["说明"]["A"])
    props = wb.properties
    assert props.creator == "reportgen" and props.created == props.modified and props.created.year == YEAR + 1


def it_marks_every_edition_year_indicator_yearly():
    """Each `@Y` reference must be fillable from the workbook, or `build --year NEW` cannot succeed."""
    from generators.load import load_dataset
    from generators.load.dataset import _relative_year_refs

    ds = load_dataset(ROOT / "data")
    not_yearly = sorted({r.indicator for r in _relative_year_refs(ds) if not ds.indicators[r.indicator].yearly})
    assert not not_yearly


def it_imports_openpyxl_only_inside_the_commands():
    code = "import sys, generators.cli; print('openpyxl' in sys.modules, 'generators.yearly' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.split() == ["False", "False"]


# ---- the whole cycle ---------------------------------------------------------------------------------

def it_imports_diffs_and_builds_the_new_year(project: Path, tmp_path: Path):
    wb = _new_year(project, tmp_path / "new.xlsx")
    filled = tmp_path / "filled.xlsx"
    _fill(wb, filled)  # FAKE values: 2024 × 1.05

    res = run_cli("import", str(filled), "--root", str(project))
    assert res.code == 0, res.err
    assert "新增" in res.out
    csv_path = project / "data" / "figures" / f"yearly-{YEAR}.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "indicator,period,scope,value,unit,source,section,note"
    assert f"gdp,{YEAR},,484.80,亿元,bulletin{YEAR}," in "\n".join(lines)
    assert f"disposable_income,{YEAR},,39690,元,bulletin{YEAR}," in "\n".join(lines)
    sources = yaml.safe_load((project / "data" / "sources.yaml").read_text(encoding="utf-8"))
    assert sources[f"bulletin{YEAR}"]["title"] == f"衡南县{YEAR}年国民经济和社会发展统计公报"
    assert {"congress13", "fyp14"} <= set(sources)

    text = run_cli("diff", "2024", str(YEAR), "--root", str(project))
    assert text.code == 0, text.err
    gdp_line = next(line for line in text.out.splitlines() if line.endswith(" gdp"))
    for word in ("亿元", "461.71", "484.80", "+23.09", "+5.00%", "gdp"):
        assert word in gdp_line, (word, gdp_line)
    assert "新增的指标" in text.out and "缺少的指标" in text.out and "计算值与公布值不一致" in text.out

    js = run_cli("diff", "2024", str(YEAR), "--root", str(project), "--format", "json")
    assert js.code == 0, js.err
    report = json.loads(js.out)
    assert js.out == json.dumps(report, ensure_ascii=False, sort_keys=True, indent=2) + "\n"  # stable
    assert js.out == run_cli("diff", "2024", str(YEAR), "--root", str(project), "--format", "json").out
    gdp = next(c for c in report["changed"] if c["indicator"] == "gdp")
    assert (gdp["value_a"], gdp["value_b"], gdp["change"], gdp["change_pct"]) == (461.71, 484.8, 23.09, 5)
    assert gdp["review"] is False and report["review"] == []
    # 2025 in fyp14 (the article), none in 2024: not something the import added, so not 新增
    assert "hightech_enterprises" in {n["indicator"] for n in report["other_new"]}
    assert "hightech_enterprises" not in {n["indicator"] for n in report["new"]}
    assert all(n["source_b"] == f"bulletin{YEAR}" for n in report["new"])
    assert (gdp["text_a"], gdp["text_b"], gdp["change_text"], gdp["change_pct_text"]) == ("461.71", "484.80", "+23.09", "+5.00%")
    assert "in_county_treatment_rate" in {m["indicator"] for m in report["missing"]}

    out = project / "out"
    built = run_cli("build", "--year", str(YEAR), "--root", str(project), "--out", str(out), "--quiet")
    assert built.code == 0, built.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition_year"] == YEAR
    assert all(f["edition_year"] == YEAR for f in manifest["files"].values())
    from pypdf import PdfReader

    outline = [o.title for o in PdfReader(out / "fyp14-summary.pdf").outline if not isinstance(o, list)]
    assert f"{YEAR}年主要指标" in outline



# What Excel writes for a drop-down list that names another sheet: openpyxl warns it will drop it
_X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>说明!$A$1:$A$2</xm:f></x14:formula1>'
    '<xm:sqref>Z2</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>')


def it_reads_a_workbook_with_what_openpyxl_does_not_support_without_a_word_about_it(project: Path, tmp_path: Path):
    """A data-validation extension as Excel saves it: openpyxl's warning is not the statistician's concern (and
    the tests turn warnings into errors, so a warning that escaped would fail the import). The warning is filtered,
    not caught with catch_warnings: that is not thread-safe and the web server reads workbooks beside other work."""
    import zipfile

    filled = tmp_path / "filled.xlsx"
    _fill(_new_year(project, tmp_path / "new.xlsx"), filled)  # FAKE values: 2024 × 1.05
    excel = tmp_path / "as-excel-saves.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(excel, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"</worksheet>", _X14_VALIDATION.encode() + b"</worksheet>")
            dst.writestr(item, data)
    from openpyxl import load_workbook

    with pytest.warns(UserWarning, match="Data Validation extension"):
        load_workbook(excel)  # the workbook does carry what openpyxl warns about
    res = run_cli("import", str(excel), "--root", str(project))
    assert res.code == 0, res.err
    assert "新增" in res.out and "Validation" not in res.err

def it_reports_derived_mismatches_and_large_changes(project: Path, tmp_path: Path):
    wb = _new_year(project, tmp_path / "new.xlsx")
    filled = tmp_path / "filled.xlsx"
    _fill(wb, filled, {"tourist_visits": 900.0})  # FAKE: more than doubles → flagged, import still succeeds
    res = run_cli("import", str(filled), "--root", str(project))
    assert res.code == 0, res.err
    assert "tourist_visits" in res.err and "复核" in res.err and "50%" in res.err
    with (project / "data" / "derived.yaml").open("a", encoding="utf-8") as fh:  # a cross-check that cannot hold
        fh.write(f"\n  - id: fake_gdp_check\n    label: 名义增幅与公布增速（测试）\n    kind: pct_change\n"
                 f"    inputs: [gdp@2024, gdp@{YEAR}]\n    stated: gdp_growth@{YEAR}\n    tolerance: 0.1\n"
                 f"    on_mismatch: warn\n")
    report = json.loads(run_cli("diff", "2024", str(YEAR), "--root", str(project), "--format", "json").out)
    assert report["review"] == ["tourist_visits"]
    (m,) = report["derived_mismatches"]
    assert (m["id"], m["computed"], m["stated"]) == ("fake_gdp_check", 5, 6.6)
    text = run_cli("diff", "2024", str(YEAR), "--root", str(project), "--threshold", "4")
    assert text.code == 0 and "fake_gdp_check" in text.out
    flagged = next(line for line in text.out.splitlines() if "五、需要复核" in line)
    assert "±4%" in flagged


# ---- bad input: located, exit 2, data/ untouched ----------------------------------------------------

def it_names_a_bad_cell_and_changes_nothing(project: Path, tmp_path: Path):
    wb = _new_year(project, tmp_path / "new.xlsx")
    bad = tmp_path / "bad.xlsx"
    rows = _fill(wb, bad, {"retail_sales": "abc"})
    row = rows["retail_sales"]
    before = tree_digest(project / "data")
    res = run_cli("import", str(bad), "--root", str(project))
    assert res.code == 2, res.out
    assert "Traceback" not in res.err
    line = next(line for line in res.err.splitlines() if "abc" in line)
    for word in ("bad.xlsx", "工作表“填报”", f"第{row}行", f"{_year_col()}{row}", "retail_sales", "社会消费品零售总额", "数字"):
        assert word in line, (word, line)
    assert tree_digest(project / "data") == before


@pytest.mark.parametrize("edit, words", [
    ({"gdp": "1,23,4.5"}, ["千位分隔符"]),
    ({"gdp": "484.8%"}, ["% 号"]),  # a % sign belongs to rates only
    ({"hightech_enterprises": "72.5"}, ["计数", "整数"]),
    ({"gdp": "约480"}, ["数字"]),
    ({"gdp": "=G2*1.05"}, ["公式"]),
    ({"C2": "公斤"}, ["C2", "单位"]),
])
def it_rejects_each_kind_of_bad_cell(project: Path, tmp_path: Path, edit, words):
    wb = _new_year(project, tmp_path / "new.xlsx")
    bad = tmp_path / "bad.xlsx"
    _fill(wb, bad, edit)
    before = tree_digest(project / "data")
    res = run_cli("import", str(bad), "--root", str(project))
    assert res.code == 2, res.out
    for word in ["工作表“填报”", *words]:
        assert word in res.err, (word, res.err)
    assert tree_digest(project / "data") == before


@pytest.mark.parametrize("header, missing", [(str(YEAR), f"“{YEAR}”"), ("指标ID", "“指标ID”")])
def it_rejects_a_workbook_without_the_required_columns(project: Path, tmp_path: Path, header: str, missing: str):
    from openpyxl import load_workbook

    wb_path = _new_year(project, tmp_path / "new.xlsx")
    _fill(wb_path, wb_path)
    wb = load_workbook(wb_path)
    ws = wb["填报"]
    for c in ws[1]:
        if c.value == header:
            c.value = "改过的表头"
    wb.save(wb_path)
    before = tree_digest(project / "data")
    res = run_cli("import", str(wb_path), "--root", str(project))
    assert res.code == 2
    assert "表头缺少列" in res.err and missing in res.err and "第1行" in res.err
    assert tree_digest(project / "data") == before


# ---- merging ---------------------------------------------------------------------------------------------

def it_imports_idempotently_and_replaces_only_when_asked(project: Path, tmp_path: Path):
    wb = _new_year(project, tmp_path / "new.xlsx")
    filled = tmp_path / "filled.xlsx"
    _fill(wb, filled)
    assert run_cli("import", str(filled), "--root", str(project)).code == 0
    first = tree_digest(project / "data")
    again = run_cli("import", str(filled), "--root", str(project))
    assert again.code == 0 and "没有变化" in again.out
    assert tree_digest(project / "data") == first

    changed = tmp_path / "changed.xlsx"
    _fill(wb, changed, {"gdp": "490.00"})  # FAKE correction
    refused = run_cli("import", str(changed), "--root", str(project))
    assert refused.code == 2 and "--replace" in refused.err and "484.80" in refused.err
    assert tree_digest(project / "data") == first
    dry = run_cli("import", str(changed), "--root", str(project), "--replace", "--dry-run")
    assert dry.code == 0 and tree_digest(project / "data") == first
    assert run_cli("import", str(changed), "--root", str(project), "--replace").code == 0
    text = (project / "data" / "figures" / f"yearly-{YEAR}.csv").read_text(encoding="utf-8")
    assert f"gdp,{YEAR},,490.00,亿元" in text and "484.80" not in text
    assert text.count(f"gdp,{YEAR},") == 1


def it_converts_units_and_percent_cells(project: Path, tmp_path: Path):
    wb = _new_year(project, tmp_path / "new.xlsx")
    filled = tmp_path / "filled.xlsx"
    rows = _fill(wb, filled, fake_plus_5=False)
    from openpyxl import load_workbook

    book = load_workbook(filled)
    ws = book["填报"]
    col = _year_col()
    ws[f"C{rows['gdp']}"] = "万元"
    ws[f"{col}{rows['gdp']}"] = 4848000  # FAKE, in 万元 = 484.80亿元
    ws[f"{col}{rows['gdp_growth']}"] = 0.066  # FAKE, typed as "6.6%" in Excel
    ws[f"{col}{rows['gdp_growth']}"].number_format = "0.0%"
    book.save(filled)
    res = run_cli("import", str(filled), "--root", str(project))
    assert res.code == 0, res.err
    text = (project / "data" / "figures" / f"yearly-{YEAR}.csv").read_text(encoding="utf-8")
    assert f"gdp,{YEAR},,4848000,万元," in text and f"gdp_growth,{YEAR},,6.6,%," in text


def it_keeps_other_sources_records(project: Path, tmp_path: Path):
    """hightech_enterprises@2025 is already in fyp14.csv (72家): the same number is fine, another is not."""
    wb = _new_year(project, tmp_path / "new.xlsx")
    other = tmp_path / "other.xlsx"
    _fill(wb, other, {"hightech_enterprises": 73})  # FAKE, deliberately different
    before = tree_digest(project / "data")
    res = run_cli("import", str(other), "--root", str(project), "--replace")
    assert res.code == 2 and "fyp14.csv" in res.err and "72家" in res.err
    assert tree_digest(project / "data") == before
    same = tmp_path / "same.xlsx"
    _fill(wb, same, {"hightech_enterprises": 72})
    assert run_cli("import", str(same), "--root", str(project)).code == 0
    assert run_cli("check", "--root", str(project)).code == 0


_TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8ffff3f0005fe02fe"
    "a7d6a4f30000000049454e44ae426082")


def it_checks_the_merged_data_with_photos_in_place(project: Path, tmp_path: Path):
    """The post-merge check loads a copy of data/; texts naming photos in assets/images must still pass."""
    (project / "assets").unlink()  # the fixture links the real assets/; use a private one here
    (project / "assets" / "images").mkdir(parents=True)
    (project / "assets" / "images" / "fake.png").write_bytes(_TINY_PNG)  # FAKE image: a whole 1×1 PNG
    summary = project / "data" / "texts" / "summary.yaml"
    text = summary.read_text(encoding="utf-8")
    needle = "      - photo: 特变电工云集5G科技产业园生产车间。\n"
    assert needle in text
    summary.write_text(text.replace(needle, needle + "        image: fake.png\n"), encoding="utf-8")
    wb = _new_year(project, tmp_path / "new.xlsx")
    filled = tmp_path / "filled.xlsx"
    _fill(wb, filled)
    res = run_cli("import", str(filled), "--root", str(project))
    assert res.code == 0, res.err


def it_reports_a_locked_file_and_can_be_retried(project: Path, tmp_path: Path, monkeypatch):
    """Windows keeps a CSV open in Excel locked: the import says so, the figures file is untouched, a retry works."""
    import os

    wb = _new_year(project, tmp_path / "new.xlsx")
    filled = tmp_path / "filled.xlsx"
    _fill(wb, filled)
    target = project / "data" / "figures" / f"yearly-{YEAR}.csv"
    real_replace = os.replace

    def locked(src, dst):
        if Path(dst) == target:
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    res = run_cli("import", str(filled), "--root", str(project))
    monkeypatch.setattr(os, "replace", real_replace)
    assert res.code == 1 and "无法写入" in res.err and "Excel" in res.err and "Traceback" not in res.err
    assert not target.exists()
    assert not [p for p in (project / "data").rglob("*.tmp")]
    assert run_cli("import", str(filled), "--root", str(project)).code == 0
    assert target.exists()


# ---- settings passed explicitly; one atomic write -------------------------------------------------------

def it_reads_each_projects_settings_afresh(project: Path, tmp_path: Path):
    """No module-level settings: two projects in one process each get their own county name."""
    import shutil

    other = tmp_path / "other"
    shutil.copytree(project / "data", other / "data")
    (other / "templates").mkdir()
    settings = other / "data" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("county: 衡南县", "county: 测试县"),
                        encoding="utf-8")  # FAKE county name
    first = run_cli("diff", "2020", "2024", "--root", str(project))
    second = run_cli("diff", "2020", "2024", "--root", str(other))
    again = run_cli("diff", "2020", "2024", "--root", str(project))
    assert first.code == second.code == again.code == 0, (first.err, second.err)
    assert first.out.splitlines()[0].startswith("衡南县数字对比") and second.out.splitlines()[0].startswith("测试县数字对比")
    assert again.out == first.out
    import generators.yearly.settings as S

    assert not [n for n, v in vars(S).items() if isinstance(v, dict) and not n.startswith("__")]


def it_says_where_settings_are_not_a_mapping(project: Path, tmp_path: Path):
    (project / "data" / "settings.yaml").write_text("- 衡南县\n", encoding="utf-8")
    res = run_cli("new-year", str(YEAR), "--out", str(tmp_path / "x.xlsx"), "--root", str(project))
    assert res.code == 2 and "Traceback" not in res.err
    assert "settings.yaml" in res.err and "第1行" in res.err and "county" in res.err
    assert not (tmp_path / "x.xlsx").exists()


def it_replaces_a_file_atomically_keeping_its_mode(tmp_path: Path, monkeypatch):
    import os

    from generators.fsutil import atomic_write

    target = tmp_path / "a.csv"
    atomic_write(target, "x,y\r\n中文\n")
    assert target.read_bytes() == "x,y\r\n中文\n".encode()  # no newline translation
    os.chmod(target, 0o640)
    atomic_write(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01" and (target.stat().st_mode & 0o777) == 0o640

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        atomic_write(target, "new")
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # the temp file is gone
