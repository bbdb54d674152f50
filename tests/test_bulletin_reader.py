"""Reading a statistics bulletin: every published yearly figure found with its exact digits, none invented.

The bulletins in tests/fixtures/bulletins/ are made by tools/make_bulletins.py; every figure in them is FICTIONAL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generators.bulletin.reader import NOT_FOUND, read_bulletin
from generators.errors import InputError
from generators.load.dataset import load_dataset
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "bulletins"
TRUTH = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".docx", ".pdf", ".html"))
DATA = ROOT / "data"
HEAD = "衡南县2025年国民经济和社会发展统计公报\n（数字为虚构，仅供测试）\n"


@pytest.fixture(scope="module")
def indicators():
    return load_dataset(DATA, briefings=False).indicators


def _read(path: Path, indicators, year: int = 2025):
    return read_bulletin(path, indicators, DATA, year, "衡南县")


def score(reading, truth: dict) -> tuple[list[str], list[tuple], list[tuple]]:
    """(found with exact digits, wrong values, values for indicators the bulletin does not publish)."""
    values = truth["values"]
    ok = [k for k, v in values.items() if v is not None and k in reading.found and reading.found[k].text == v]
    wrong = [(k, c.text, values[k]) for k, c in reading.found.items() if values.get(k) is not None and c.text != values[k]]
    phantom = [(k, c.text) for k, c in reading.found.items() if values.get(k) is None]
    return ok, wrong, phantom


@pytest.mark.parametrize("name", FILES)
def it_finds_the_published_figures_with_their_exact_digits(name: str, indicators):
    reading = _read(FIXTURES / name, indicators)
    truth = TRUTH[Path(name).stem]
    ok, wrong, phantom = score(reading, truth)
    published = [k for k, v in truth["values"].items() if v is not None]
    assert not wrong, wrong
    assert not phantom, phantom
    assert len(ok) >= 0.9 * len(published), sorted(set(published) - set(ok))
    for k, c in reading.found.items():  # every value with its sentence, the digits inside it as printed
        span = c.sentence.printed[c.start:c.end]
        assert c.text in (span, "-" + span), k  # "-" added only for 下降/减少
        assert c.unit == truth["units"].get(k, c.unit)
    for k, v in truth["values"].items():
        if v is None:
            assert reading.blank[k].startswith(NOT_FOUND)


def they_are_made_by_the_generator(tmp_path: Path):
    """The committed text fixtures and the truth are what tools/make_bulletins.py writes today."""
    import shutil

    shutil.copytree(ROOT / "tools", tmp_path / "tools")
    shutil.copytree(ROOT / "assets" / "fonts", tmp_path / "assets" / "fonts")
    subprocess.run([sys.executable, str(tmp_path / "tools" / "make_bulletins.py")], check=True, capture_output=True)
    made = tmp_path / "tests" / "fixtures" / "bulletins"
    for name in ["expected.json"] + [f for f in FILES if f.endswith((".txt", ".html"))]:
        assert (made / name).read_bytes() == (FIXTURES / name).read_bytes(), name


def _bulletin(tmp_path: Path, body: str, name: str = "公报.txt") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


CASES = [
    # (sentence, indicator, the cell text or None: must stay blank)
    ("城镇居民人均可支配收入47210元；农村居民人均可支配收入29873元。", "disposable_income", None),
    ("全县城乡居民人均可支配收入18981元,增长6.2%。城乡居民人均可支配收入比值为2.35。", "disposable_income", "18981"),
    ("农村常住居民人均可支配收入18592元。", "disposable_income", None),
    ("全体居民人均可支配收入39876元。城镇居民人均可支配收入47210元。", "disposable_income", "39876"),
    ("高新技术企业比上年末增加18家。", "hightech_enterprises", None),
    ("全县新增高新技术企业18家。", "hightech_enterprises", None),
    ("高新技术企业比上年末增加18家，达到152家。", "hightech_enterprises", "152"),
    ("规模以上工业企业由上年末的180家增加到185家。", "industrial_enterprises_above_scale", "185"),
    ("三次产业结构由上年的17.6:30.4:52.0调整为16.8:30.3:52.9。", "secondary_industry_share", "30.3"),
    ("三次产业结构为17.6:30.4:52.0和16.8:30.3:52.9。", "primary_industry_share", None),
    ("旅游总收入41.20亿元，下降3.25%。", "tourism_revenue_growth", "-3.25"),
    ("旅游总收入41.20亿元，下降3.25%。", "tourism_revenue", "41.20"),
    ("空气质量优良率34.0%。", "air_good_rate", "34.0"),
    ("PM2.5平均浓度为31微克/立方米，优良天数333天。", "air_good_rate", None),
    ("地区生产总值约500亿元。", "gdp", None),
    ("社会消费品零售总额100亿元以上。", "retail_sales", None),
    ("新增城镇就业6200余人。", "new_urban_jobs", None),
    ("人均地区生产总值58765元。", "gdp", None),
    ("“十四五”期间地区生产总值年均增长6.1%。", "gdp_growth", None),
    ("2024年全县地区生产总值为461.71亿元。", "gdp", None),
    ("接待游客457.83万人次、旅游总收入43.06亿元、门票收入3.2亿元，分别增长6.81%和9.48%。", "tourist_visits_growth", None),
    ("接待游客457.83万人次、旅游总收入43.06亿元，分别增长6.81%和9.48%。", "tourism_revenue_growth", "9.48"),
    ("限额以上社会消费品零售总额60.2亿元。", "retail_sales", None),
    ("社会消费品零售总额 １６６．２１ 亿元，增长 7.3 %。", "retail_sales", "１６６．２１"),
    ("社会消费品零售总额 １６６．２１ 亿元，增长 7.3 %。", "retail_sales_growth", "7.3"),
    ("城镇新增就业0.62万人。", "new_urban_jobs", "0.62"),
    ("全年新增高新技术企业21家，总数达到163家。", "hightech_enterprises", "163"),
    ("全年新增高新技术企业21家，增长12%。", "hightech_enterprises", None),
    ("年末有效国家高新技术企业163家。", "hightech_enterprises", "163"),
    ("全年签约引进重大产业项目45个，合同总投资217.4亿元。", "major_projects_investment", "217.4"),
    ("新开工重大产业项目32个，总投资120亿元。", "major_projects_investment", None),
    ("全年新引进“湘商回归”项目16个，实际到位资金38.85亿元。", "xiangshang_funds_in_place", "38.85"),
    ("全县规模以上工业企业实现增加值比上年增长14.6%。", "industrial_value_added_above_scale_growth", "14.6"),
    ("“十四五”时期，五年累计完成一般公共预算收入60.5亿元。", "budget_revenue", None),
    ("地区生产总值441.5亿元，按不变价格计算，比上年增长5.2%。", "gdp_growth", "5.2"),
    ("地区生产总值441.5亿元，比2024年增长5.2%。", "gdp_growth", "5.2"),
    ("“十四五”期间，全县地区生产总值从2020年的330亿元增加到2025年的512.34亿元。", "gdp", None),
    ("全县共有A级景区12个，接待游客466.20万人次，实现旅游总收入44.90亿元，分别增长8.75%和14.16%。",
     "tourist_visits_growth", "8.75"),
    ("全体居民人均可支配收入 39 520 元。", "disposable_income", "39520"),
    ("三次产业结构调整为 17.3 : 29.9 : 52.8。", "tertiary_industry_share", "52.8"),
    ("最终核实2024年全县地区生产总值为461.71亿元，比上年增长6.3%。", "gdp", None),
    ("分季度看，一季度GDP同比增长4.7%。", "gdp_growth", None),
    ("全年实现地区生产总值(GDP)[2]420.77亿元,同比增长5.2%。", "gdp", "420.77"),
    ("全年实现地区生产总值(GDP)[2]420.77亿元,同比增长5.2%。", "gdp_growth", "5.2"),
    ("全年累计接待游客1475.08万人次,增长47.36%。", "tourist_visits", "1475.08"),
    ("其中,规模以上工业增加值增长7.2%。", "industrial_value_added_above_scale_growth", "7.2"),
    ("规模以上服务业中，信息传输业营业收入增长20.5%。", "services_revenue_above_scale_growth", None),
    ("全年规模以上服务业8户,营业收入为14474.5万元,比上年下降24.5%。", "services_revenue_above_scale_growth", "-24.5"),
    ("产业结构构成由上年的22.26%、28.63%和49.11%调整为21.35%、27.92%和50.73%。", "secondary_industry_share", "27.92"),
    ("全年三次产业结构比例为:15.5:24.7:59.8。", "primary_industry_share", "15.5"),
    ("全年城镇新增就业人员5688人,增长9%。", "new_urban_jobs", "5688"),
    ("全县高新技术企业数量达到168家，较上年增加15家。", "hightech_enterprises", "168"),
    ("全年认定高新技术企业32家。", "hightech_enterprises", None),
    ("衡南高新区实现规模以上工业增加值增长15.2%。", "industrial_value_added_above_scale_growth", None),
    ("全市地区生产总值4500.12亿元。", "gdp", None),
    ("衡南高新区实现合同引资98亿元。", "hightech_zone_contract_investment", "98"),
    ("全年旅游接待人次485.6万，增长10.5%。", "tourist_visits", "485.6"),
    ("全年新签约重大产业项目39个，合同总金额236.8亿元。", "major_projects_investment", "236.8"),
    ("地区生产总值515.92亿元，可比增长6.7%。", "gdp_growth", "6.7"),
    ("截至年末，全县规模以上工业企业户数达212户。", "industrial_enterprises_above_scale", "212"),
    ("全县居民户数达212户。", "hightech_enterprises", None),
    ("第一、二、三产业增加值占地区生产总值的比重分别为17.0%、29.8%和53.2%。", "tertiary_industry_share", "53.2"),
    ("三次产业结构为18.5:36.7:44.8，三次产业对GDP增长的贡献率分别为13.3%、40.4%和46.3%。", "tertiary_industry_share",
     "44.8"),
]


@pytest.mark.parametrize("sentence, indicator, expected", CASES)
def it_reads_sentence_structure(tmp_path: Path, indicators, sentence: str, indicator: str, expected: str | None):
    reading = _read(_bulletin(tmp_path, sentence), indicators)
    got = reading.found.get(indicator)
    assert (got.text if got else None) == expected, reading.blank.get(indicator)


def it_leaves_a_figure_blank_when_the_bulletin_gives_two(tmp_path: Path, indicators):
    reading = _read(_bulletin(tmp_path, "地区生产总值512.34亿元。\n全县地区生产总值达到511亿元。"), indicators)
    assert "gdp" not in reading.found
    assert "不同的数字" in reading.blank["gdp"] and "512.34" in reading.blank["gdp"] and "511" in reading.blank["gdp"]


def it_joins_a_line_broken_inside_a_word(tmp_path: Path, indicators):
    reading = _read(_bulletin(tmp_path, "全年全县实现地区生\n产总值512.\n34亿元，比上年增长6.\n8%。"), indicators)
    assert reading.found["gdp"].text == "512.34" and reading.found["gdp_growth"].text == "6.8"


def _refused(path: Path, indicators, year: int = 2025) -> str:
    with pytest.raises(InputError) as exc:
        _read(path, indicators, year)
    text = "\n".join(p.render() for p in exc.value.problems)
    assert path.name in text
    return text


def it_refuses_another_year_another_county_and_what_is_not_a_bulletin(tmp_path: Path, indicators):
    other_year = tmp_path / "y.txt"
    other_year.write_text("衡南县2024年国民经济和社会发展统计公报\n地区生产总值461.71亿元。", encoding="utf-8")
    assert "这是2024年的统计公报，要填的是2025年" in _refused(other_year, indicators)
    other_county = tmp_path / "c.txt"
    other_county.write_text("祁东县2025年国民经济和社会发展统计公报\n地区生产总值461.71亿元。", encoding="utf-8")
    assert "祁东县的统计公报，不是衡南县的" in _refused(other_county, indicators)
    year_first = tmp_path / "y1.txt"
    year_first.write_text("2025年衡南县国民经济和社会发展统计公报\n地区生产总值461.71亿元。", encoding="utf-8")
    assert _read(year_first, indicators).found["gdp"].text == "461.71"
    year_first.write_text("2025年祁东县国民经济和社会发展统计公报\n地区生产总值461.71亿元。", encoding="utf-8")
    assert "祁东县的统计公报，不是衡南县的" in _refused(year_first, indicators)
    report = tmp_path / "政府工作报告.txt"
    report.write_text("2026年衡南县人民政府工作报告\n" + "过去一年，全县上下砥砺前行。" * 80
                      + "据《衡南县2025年国民经济和社会发展统计公报》，地区生产总值512.34亿元。", encoding="utf-8")
    assert "不像统计公报" in _refused(report, indicators)
    cited = tmp_path / "引用.txt"
    cited.write_text("根据《衡南县2025年国民经济和社会发展统计公报》，地区生产总值512.34亿元。", encoding="utf-8")
    assert "不像统计公报" in _refused(cited, indicators)
    letter = tmp_path / "通知.txt"
    letter.write_text("关于召开全县统计工作会议的通知\n各乡镇：定于3月开会。", encoding="utf-8")
    assert "不像统计公报" in _refused(letter, indicators)


def it_refuses_a_scanned_pdf_and_files_it_cannot_read(tmp_path: Path, indicators):
    from reportlab.pdfgen import canvas

    scan = tmp_path / "扫描件.pdf"
    c = canvas.Canvas(str(scan))
    c.rect(50, 50, 400, 600, fill=1)  # a page of picture, no text layer
    c.showPage()
    c.save()
    assert "扫描件" in _refused(scan, indicators)
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert "无法作为 Word 文档" in _refused(broken, indicators)
    import zipfile

    bomb = tmp_path / "实体.docx"
    with zipfile.ZipFile(bomb, "w") as z:
        z.writestr("word/document.xml", "<?xml version='1.0'?><!-- " + "x" * 5000 + " --><!DOCTYPE d [<!ENTITY a 'aaaa'>]>"
                   "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'/>")
    assert "DOCTYPE" in _refused(bomb, indicators)
    strict = tmp_path / "严格.docx"
    body = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in HEAD.split("\n") + ["地区生产总值512.34亿元。"])
    with zipfile.ZipFile(strict, "w") as z:
        z.writestr("word/document.xml", "<w:document xmlns:w='http://purl.oclc.org/ooxml/wordprocessingml/main'>"
                   f"<w:body>{body}</w:body></w:document>")
    assert _read(strict, indicators).found["gdp"].text == "512.34"  # Word's Strict Open XML reads the same
    doc = tmp_path / "公报.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "不是可以读取的统计公报文件" in _refused(doc, indicators)
    fake_pdf = tmp_path / "公报.pdf"
    fake_pdf.write_text("not a pdf")
    assert "无法作为 PDF 读取" in _refused(fake_pdf, indicators)


def it_names_a_mistake_in_the_aliases_file(tmp_path: Path, indicators):
    data = tmp_path / "data"
    data.mkdir()
    (data / "bulletin-aliases.yaml").write_text("indicators:\n  gdpp:\n    names: [地区生产总值]\n  gdp:\n    nmes: [x]\n",
                                                encoding="utf-8")
    path = _bulletin(tmp_path, "地区生产总值1亿元。")
    with pytest.raises(InputError) as exc:
        read_bulletin(path, indicators, data, 2025, "衡南县")
    text = "\n".join(p.render() for p in exc.value.problems)
    assert "第2行" in text and "gdpp" in text and "“gdp”" in text
    assert "第5行" in text and "nmes" in text


def its_bench_reports_each_format_within_budget():
    """`make bench` rows for bulletins (tools/bench_bulletin.py): recognition per format. The reading time (row 0)
    is the bench's to judge, on a quiet machine: here it is one cold sample beside other tests."""
    sys.path.insert(0, str(ROOT / "tools"))
    import bench_bulletin

    rows = bench_bulletin.rows(bench_bulletin.measure(1))
    assert "ms" in rows[0][1]
    assert [r[0].split()[1] for r in rows[1:]] == [".txt", ".docx", ".pdf", ".html"]
    assert all(ok for *_, ok in rows[1:]), rows


def it_reads_a_table_by_row_name_and_column_header(tmp_path: Path, indicators):
    rows = ["主要经济指标", "指标\t单位\t2025年\t比上年增长(%)", "地区生产总值\t亿元\t512.34\t6.8",
            "社会消费品零售总额\t亿元\t171.35\t-1.2", "居民人均可支配收入（元）\t\t39876\t6.1",
            "城镇居民人均可支配收入\t元\t47210\t5.3", "衡南高新区合同引资\t亿元\t101\t8.6",
            "规模以上工业企业\t个\t198\t", "表注：数字为虚构。"]
    reading = _read(_bulletin(tmp_path, "\n".join(rows)), indicators)
    got = {k: c.text for k, c in reading.found.items()}
    assert got == {"gdp": "512.34", "gdp_growth": "6.8", "retail_sales": "171.35", "retail_sales_growth": "-1.2",
                   "disposable_income": "39876", "hightech_zone_contract_investment": "101"}
    # a column headed by another year is never read; the bulletin year's column is
    years = ["指标\t单位\t2024年\t2025年\t增长(%)", "地区生产总值\t亿元\t461.71\t512.34\t6.8"]
    assert _read(_bulletin(tmp_path, "\n".join(years)), indicators).found["gdp"].text == "512.34"
    only_last = ["指标\t单位\t2024年", "地区生产总值\t亿元\t461.71"]
    assert "gdp" not in _read(_bulletin(tmp_path, "\n".join(only_last)), indicators).found
    # 个 does not convert to 家: no value rather than a count in the wrong unit; no header → no table
    reading = _read(_bulletin(tmp_path, "地区生产总值\t亿元\t512.34\t6.8"), indicators)
    assert not reading.found


def it_reads_a_pdf_table_row_only_when_its_cells_line_up():
    from generators.bulletin.extract import pdf_tables

    lines = ["指标 单位 2025年 比上年增长(%)", "地区生产总值 亿元 509.87 6.5", "居民人均可支配收入（元） 39876 6.1",
             "全县地区生产总值 512.34 亿元"]
    assert pdf_tables(lines) == ["指标\t单位\t2025年\t比上年增长(%)", "地区生产总值\t亿元\t509.87\t6.5",
                                 "居民人均可支配收入（元） 39876 6.1", "全县地区生产总值 512.34 亿元"]


def it_keeps_the_reader_below_the_yearly_commands_and_the_web_page():
    """generators/bulletin/ imports errors, units and load only (docs/architecture.md, the layer table)."""
    from tests.test_layers import MODULES, _imports

    for name, path in MODULES.items():
        if name.startswith("generators.bulletin"):
            ours = {i for i in _imports(path, name) if i.startswith("generators.")}
            bad = {i for i in ours if not i.startswith(("generators.bulletin", "generators.errors", "generators.units",
                                                         "generators.load"))}
            assert not bad, (name, bad)


def it_reads_a_web_page_table_whose_cells_hold_paragraphs(tmp_path: Path, indicators):
    page = tmp_path / "公报.html"
    page.write_text("<html><head><meta charset='utf-8'><title>衡南县2025年国民经济和社会发展统计公报</title></head><body>"
                    "<table><tr><td><p>指标</p></td><td><p>单位</p></td><td><p>2025年</p></td><td><p>增长（%）</p></td></tr>"
                    "<tr><td><p>地区生产总值</p></td><td><p>亿元</p></td><td><p>512.34</p></td><td><p>6.8</p></td></tr>"
                    "</table><p>（数字为虚构）</p></body></html>", encoding="utf-8")
    reading = _read(page, indicators)
    assert reading.found["gdp"].text == "512.34" and reading.found["gdp_growth"].text == "6.8"
