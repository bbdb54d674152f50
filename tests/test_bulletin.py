"""Issue 15's acceptance test: the 2025 workbook filled as a statistics bulletin prints it builds the 2025 edition.

Every 2025 value here is SYNTHETIC and FAKE (typed the way a bulletin prints figures); it exists only in pytest's
temporary copy of the project and never reaches the real data/.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, tree_digest

YEAR = 2025
SOURCE = f"衡南县{YEAR}年国民经济和社会发展统计公报"  # data/settings.yaml's bulletin_title for 2025
# FAKE figures, as a bulletin prints them: more digits than the catalogue's `decimals`, full-width, 万元.
TYPED = {
    "gdp": "493.27",
    "gdp_growth": "6.62",  # catalogue decimals = 1
    "industrial_value_added_above_scale_growth": "15.18",  # decimals = 1
    "retail_sales": "１６６．２１",  # full-width digits and point
    "retail_sales_growth": "7.35",
    "tourist_visits": "455.3",  # decimals = 2: stays 455.3, never 455.30
    "tourist_visits_growth": "6.21",  # 16.29 → 6.21: −10.08 百分点, flagged in points
    "tourism_revenue": "42.18",
    "major_projects_investment": "231.45",  # decimals = 1
    "hightech_zone_contract_investment": "93.25",  # decimals = 0
    "disposable_income": "3.99",  # in 万元: the unit cell changed below
    "tourism_revenue_growth": "—",  # the bulletin marks it not published
}
BLANK = ("services_revenue_above_scale_growth", "new_urban_jobs", "xiangshang_funds_in_place")  # left empty
PRINTED = {  # what the documents must print, digit for digit
    "gdp": "493.27亿元", "gdp_growth": "6.62%", "retail_sales": "166.21亿元", "tourist_visits": "455.3万人次",
    "tourism_revenue": "42.18亿元", "disposable_income": "3.99万元", "hightech_zone_contract_investment": "93.25亿元",
}


@pytest.fixture(autouse=True)
def _real_data_untouched():
    before = tree_digest(ROOT / "data")
    yield
    assert tree_digest(ROOT / "data") == before, "the bulletin test wrote into the real data/"


def _fill(project: Path, dest: Path) -> dict[str, int]:
    """The 2025 workbook as a statistician fills it from the bulletin: typed text, one unit changed to 万元."""
    from openpyxl import load_workbook

    res = run_cli("new-year", str(YEAR), "--out", str(dest), "--root", str(project))
    assert res.code == 0, res.err
    wb = load_workbook(dest)
    ws = wb["填报"]
    header = [c.value for c in ws[1]]
    cy, cu, need = header.index(str(YEAR)) + 1, header.index("单位") + 1, header.index("必填") + 1
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for ind in BLANK + ("tourism_revenue_growth",):
        assert ws.cell(rows[ind], need).value == "@Y", ind  # the workbook says the texts need it
    for ind, text in TYPED.items():
        ws.cell(rows[ind], cy).value = text
    ws.cell(rows["disposable_income"], cu).value = "万元"
    wb.save(dest)
    return rows


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return out.decode("utf-8")


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _pptx_text(path: Path) -> str:
    from pptx import Presentation

    return "\n".join(sh.text_frame.text for slide in Presentation(str(path)).slides for sh in slide.shapes
                     if sh.has_text_frame)


def it_builds_the_2025_edition_from_a_bulletin_as_printed(project: Path, tmp_path: Path):
    _fill(project, tmp_path / "2025.xlsx")
    res = run_cli("import", str(tmp_path / "2025.xlsx"), "--root", str(project))
    assert res.code == 0, res.err

    # Figures as published: stored digit for digit, half-width; the unit as the bulletin gives it.
    csv = (project / "data" / "figures" / f"yearly-{YEAR}.csv").read_text(encoding="utf-8")
    for row in ("gdp_growth,2025,,6.62,%", "retail_sales,2025,,166.21,亿元", "tourist_visits,2025,,455.3,万人次",
                "hightech_zone_contract_investment,2025,,93.25,亿元", "disposable_income,2025,,3.99,万元"):
        assert row in csv, row
    for ind in (*BLANK, "tourism_revenue_growth"):
        assert f"{ind},{YEAR}" not in csv  # not published: no record, and no error

    # The tool lists what is missing and exactly what each missing figure drops or degrades.
    assert "未公布" in res.out
    for ind in (*BLANK, "tourism_revenue_growth"):
        assert ind in res.out, ind
    gaps = [line for line in res.out.splitlines() if "services_revenue_above_scale_growth@2025" in line]
    assert any("summary.yaml 第14行" in g and "删去这一句" in g for g in gaps), gaps
    assert any("growth_latest" in g and "删去这根柱子" in g for g in gaps), gaps
    assert any("数字卡片" in g and "改用 2024 年的数字 24.31%" in g for g in gaps), gaps
    # Rates are reviewed in 百分点: 16.29 → 6.21 is −10.08 个百分点, not “−61.88%”.
    visits = next(line for line in res.err.splitlines() if "tourist_visits_growth" in line)
    assert "-10.08个百分点" in visits and "61.88" not in visits

    # Never silently last year: without --year the bulletin year is the edition.
    check = run_cli("check", "--root", str(project))
    assert check.code == 0, check.err
    assert f"版本年份 {YEAR}" in check.out and "未公布" in check.out
    out = project / "out"
    built = run_cli("build", "--root", str(project), "--out", str(out), "--quiet")
    assert built.code == 0, built.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition_year"] == YEAR

    pdf = _pdf_text(out / "fyp14-summary.pdf")
    flat = "".join(pdf.split())
    for ind, printed in PRINTED.items():
        assert printed in flat, (ind, printed)
    assert "455.30" not in flat and "6.6%" not in flat  # never padded, never rounded
    # Policy "drop" for sentences: the clause citing the unpublished growth is gone, the rest of the sentence stays.
    assert "现代服务业动能充沛" not in flat and "内需市场潜力持续释放" in flat
    # Policy "earlier" for cards: the 2024 figure, labelled with its own year.
    assert "24.31%" in flat and "3.36万人" in flat
    # Each figure cites its source: the bulletin by its title, the article figures by theirs.
    assert SOURCE in flat and "衡南“十四五”高质量发展纪实" in flat

    docx = "".join(_docx_text(out / "briefings" / "经济运行简报.docx").split())
    for ind in ("gdp", "gdp_growth", "retail_sales", "disposable_income"):
        assert PRINTED[ind] in docx, ind
    assert SOURCE in docx
    assert _pptx_text(out / "congress-review-deck.pptx")  # the deck (pinned to 2016—2020) still builds


def it_drops_unpublished_bars_and_labels_earlier_cards_in_the_model(project: Path, tmp_path: Path):
    from generators import model as M
    from generators.project import Project
    from tests.conftest import make_doc

    _fill(project, tmp_path / "2025.xlsx")
    assert run_cli("import", str(tmp_path / "2025.xlsx"), "--root", str(project)).code == 0
    doc = make_doc("summary", None, Project(project, YEAR))
    blocks = [b for s in doc.sections for b in s.blocks]
    charts = {b.data.id: b.data for b in blocks if isinstance(b, M.Chart)}
    growth = charts["growth_latest"]
    assert "规上服务业总营收" not in growth.categories and "旅游总收入" not in growth.categories
    assert growth.series[0].texts[:2] == ("6.62", "15.18")  # as published, not rounded to the catalogue's 1 place
    assert charts["investment_latest"].series[0].texts == ("231.45", "93.25")
    # A bar in another unit of the family keeps the published digits: 3.99万元 → 39900 (元), 3.78万元 → 37800.
    assert charts["income_levels"].series[0].texts[-2:] == ("37800", "39900")
    cards = {k.label: k for b in blocks if isinstance(b, M.KeyFigures) for k in b.items}
    jobs = next(k for k in cards.values() if k.value.ref == "new_urban_jobs@2024")
    assert jobs.value.period == "2024年" and jobs.value.number == "3.36"
    revenue = next(k for k in cards.values() if k.value.ref == f"tourism_revenue@{YEAR}")
    assert revenue.growth is None and revenue.source == SOURCE  # growth not published: the card shows no growth


def it_lets_one_flag_decide_bulletin_against_article_and_prints_one_unit(project: Path, tmp_path: Path):
    """hightech_enterprises@2025 is 72家 in the article (fyp14.csv); the FAKE bulletin says 73."""
    from openpyxl import load_workbook

    from generators.load.dataset import load_dataset
    from generators.project import Project
    from tests.conftest import make_doc

    with (project / "data" / "settings.yaml").open("a", encoding="utf-8") as fh:
        fh.write("display_units:\n  disposable_income: 万元\n")
    book = tmp_path / "2025.xlsx"
    assert run_cli("new-year", str(YEAR), "--out", str(book), "--root", str(project)).code == 0
    wb = load_workbook(book)
    ws = wb["填报"]
    cy = [c.value for c in ws[1]].index(str(YEAR)) + 1
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["hightech_enterprises"], cy).value = "73"  # FAKE
    ws.cell(rows["disposable_income"], cy).value = "39,876"  # FAKE, in 元 as the bulletin prints it
    ws.cell(rows["major_projects_investment"], cy).value = "231.45"  # FAKE; summary.yaml pins 2024 in prose
    wb.save(book)
    article = (project / "data" / "figures" / "fyp14.csv").read_bytes()

    refused = run_cli("import", str(book), "--root", str(project))
    assert refused.code == 2 and "--bulletin-wins" in refused.err and "72家" in refused.err
    res = run_cli("import", str(book), "--root", str(project), "--bulletin-wins")
    assert res.code == 0, res.err
    assert "以公报为准" in res.out and "72家" in res.out
    assert (project / "data" / "figures" / "fyp14.csv").read_bytes() == article  # no hand editing, article kept
    again = run_cli("import", str(book), "--root", str(project))
    assert again.code == 0 and "没有变化" in again.out  # decided once: a re-import needs no flag

    ds = load_dataset(project / "data")
    key = ("hightech_enterprises", str(YEAR), "")
    assert ds.figures[key].text == "73" and ds.figures[key].source == f"bulletin{YEAR}"
    assert ds.superseded[key].text == "72" and ds.superseded[key].source == "fyp14"
    check = run_cli("check", "--root", str(project))
    assert check.code == 0 and "保留在原文件中" in check.out

    doc = make_doc("summary", None, Project(project, YEAR))
    cards = [k for s in doc.sections for b in s.blocks if hasattr(b, "items") for k in b.items]
    income = next(k for k in cards if k.value.ref == f"disposable_income@{YEAR}")
    assert (income.value.number, income.value.unit) == ("3.9876", "万元")  # 39876元 in the edition's one unit

    diff = run_cli("diff", "2024", str(YEAR), "--root", str(project))
    assert diff.code == 0, diff.err
    pinned = diff.out.split("七、", 1)[1]
    assert "summary.yaml 第109行：major_projects_investment@2024（本版本年份已有 231.45亿元）" in pinned
    assert "gdp@2020" not in pinned  # a five-year review's history is not "pinned"


def it_follows_the_earlier_policy_when_settings_ask_for_it(project: Path, tmp_path: Path):
    """unpublished: text/chart: earlier — the latest earlier figure, labelled with its own year, in prose and bars."""
    from generators import model as M
    from generators.project import Project
    from tests.conftest import make_doc

    settings = project / "data" / "settings.yaml"
    text = settings.read_text(encoding="utf-8").replace("  text: drop", "  text: earlier").replace(
        "  chart: drop", "  chart: earlier")
    settings.write_text(text, encoding="utf-8")
    _fill(project, tmp_path / "2025.xlsx")
    res = run_cli("import", str(tmp_path / "2025.xlsx"), "--root", str(project))
    assert res.code == 0, res.err
    assert "改用 2024 年的数字 24.31%" in res.out and "删去这一句" not in res.out
    doc = make_doc("summary", None, Project(project, YEAR))
    blocks = [b for s in doc.sections for b in s.blocks]
    prose = "".join(M.plain(b.runs) for b in blocks if isinstance(b, M.Paragraph))
    assert "规上服务业总营收增速达24.31%（2024年）" in prose and "现代服务业动能充沛" in prose
    assert f"{YEAR}年，全县新增城镇就业3.36万人（2024年）" in prose
    growth = next(b.data for b in blocks if isinstance(b, M.Chart) and b.data.id == "growth_latest")
    assert "规上服务业总营收（2024年）" in growth.categories and "24.31" in growth.series[0].texts
    assert len(growth.categories) == 6


def it_says_why_the_edition_is_not_the_newest_year_with_figures(project: Path):
    """The shipped data has 2025 figures (the article's “目前”) but no 2025 bulletin: check says so, and why."""
    res = run_cli("check", "--root", str(project))
    assert res.code == 0, res.err
    assert "版本年份 2024" in res.out
    note = next(line for line in res.out.splitlines() if "数据中最新的年份是 2025 年" in line)
    assert "没有导入统计公报" in note and "--year 2025" in note


def it_rounds_only_where_a_text_asks(project: Path):
    from generators.documents.bind import bind_plain
    from generators.load.dataset import load_dataset

    ds = load_dataset(project / "data")
    assert bind_plain(ds, "{services_revenue_above_scale_growth@2024}", 2024) == "24.31%"  # as published
    assert bind_plain(ds, "{tourist_visits_growth@2024|round}", 2024) == "16.29%"  # decimals = 2
    assert bind_plain(ds, "{gdp@2024|round}", 2024) == "461.71亿元"
    with (project / "data" / "figures" / "fyp14.csv").open("a", encoding="utf-8") as fh:
        fh.write("gdp_growth,2023,,6.62,%,fyp14,,FAKE test row\n")  # FAKE: decimals = 1 in the catalogue
    ds = load_dataset(project / "data")
    assert bind_plain(ds, "{gdp_growth@2023}", 2024) == "6.62%"
    assert bind_plain(ds, "{gdp_growth@2023|round}", 2024) == "6.6%"
