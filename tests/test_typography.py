"""One home for typography and wording: 禁则 sets, display width, and a key figure worded alike in every format."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from generators import model as M
from generators import typography as T
from generators.charts import draw
from generators.writers import docx as docx_writer
from generators.writers import pdf as pdf_writer
from generators.writers.pdf import linebreak
from generators.writers.pptx import measure
from generators.writers.pptx.plan import detail_text


def value(number: str, unit: str = "%", period: str = "2024年") -> M.Value:
    return M.Value(number, unit, period, "x@2024")


FALL = M.KeyFigure("工业增加值", value("12.5", "亿元"), growth=value("-2.1"), source="统计局")
RISE = M.KeyFigure("地区生产总值", value("461.71", "亿元"), growth=value("6.3"), source="统计局")


def it_keeps_the_print_rules_of_cjk_and_print():
    # CJK-AND-PRINT.md: ReportLab's own set misses ，；：？！”’》 and lets “《（ end a line
    assert set("，。、；：？！”’》）…%") <= T.NO_LINE_START
    assert set("“《（‘「『【") <= T.NO_LINE_END
    assert not T.NO_LINE_START & T.NO_LINE_END


def it_is_the_one_set_the_deck_the_pdf_and_the_charts_apply():
    assert measure.break_lines is T.wrap  # the deck measures with the one routine
    assert draw.balanced is T.balanced  # the charts break labels with the one routine
    assert linebreak.CANNOT_START == T.NO_LINE_START and linebreak.CANNOT_END == T.NO_LINE_END
    linebreak.install()
    import reportlab.platypus.paragraph as paragraph

    assert paragraph.wordSplit is linebreak._plain_split  # a one-run paragraph: typography.wrap

    assert T.NO_LINE_START <= set(paragraph.ALL_CANNOT_START)


def it_keeps_closing_punctuation_on_the_line_of_a_wrapped_chart_label():
    label = draw._wrap("规模以上工业增加值（亿元）", 6)
    assert all(line[0] not in T.NO_LINE_START and line[-1] not in T.NO_LINE_END for line in label.split("\n"))
    assert label.replace("\n", "") == "规模以上工业增加值（亿元）"


def it_counts_wide_characters_twice():
    assert T.display_width("衡南GDP") == 7
    assert T.display_width("，。％") == 6 and T.display_width("—…“") == 3
    assert T.display_width("") == 0


def it_words_growth_as_a_rise_or_a_fall_keeping_the_published_digits():
    assert T.growth(value("6.3")) == ("增长", "6.3%") and T.growth(value("6.3")).text == "增长6.3%"
    assert T.growth(value("-2.10")).text == "下降2.10%"
    assert T.growth(value("−0.5", "个百分点")).text == "下降0.5个百分点"


def it_words_the_writers_frames_in_one_place():
    assert T.change(value("5", "家", "2015年"), value("27", "家", "2021年")) == "2015年 5家 → 2021年 27家"
    assert T.speaker("县长") == "——县长"
    assert T.photo_placeholder("莲湖湾", "a.jpg") == "图片待补充：莲湖湾（a.jpg）"
    assert T.photo_placeholder(name="a.jpg") == "图片待补充（a.jpg）"
    assert T.photo_placeholder("莲湖湾") == "图片待补充：莲湖湾"
    assert M.Table("一览", ("a",), (), 3).label == "表3  一览" and M.Table("一览", ("a",), ()).label == "一览"
    assert M.Table("", ("a",), (), 2).label == "表2"
    chart = M.ChartData("c", "column", "产值", "亿元", ("a",), (), "", "")
    assert M.Chart(chart, 4).caption == "图4  产值"  # one rule for both: model.numbered


def it_words_a_key_figure_the_same_in_deck_pdf_and_briefings(tmp_path: Path, env):
    figures = M.KeyFigures((RISE, FALL))
    # deck: the card's detail lines
    deck = [detail_text(k, 14).text for k in (RISE, FALL)]
    assert deck == ["2024年\n增长6.3%", "2024年\n下降2.1%"]
    # briefing: the 说明 column of the key-figures table
    brief = M.Document(kind="briefing", name="b", title="简报", meta={"preset": "简报", "year": "2024"},
                       sections=(M.Section("kf", "", kind="keyfigures", blocks=(figures,)),))
    docx_writer.write(brief, env, tmp_path / "b.docx")
    table = docx.Document(str(tmp_path / "b.docx")).tables[0]
    assert [r.cells[3].text for r in table.rows[1:]] == ["增长6.3%", "下降2.1%"]
    # PDF: the note under each card
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils 未安装")
    summary = M.Document(kind="summary", name="s", title="总结", meta={"year": "2024"},
                         sections=(M.Section("headline", "主要指标", kind="headline", blocks=(figures,)),))
    pdf_writer.write(summary, env, tmp_path / "s.pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "s.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "增长6.3%" in text and "下降2.1%" in text and "-2.1" not in text


# ---- writers: one format library each, no data layer ----------------------------------------------

WRITERS = Path(__file__).resolve().parents[1] / "generators" / "writers"
# lxml: the deck writer, and the theme step that edits a loaded template's parts (Word and PowerPoint alike)
LIBRARIES = {"pptx": {"pptx"}, "lxml": {"pptx", "theme_apply.py", "docx_theme.py", "template_messages.py"},
             "reportlab": {"pdf"}, "svglib": {"pdf"}, "docx": {"docx"}}


def _imports(path: Path) -> set[str]:
    import ast

    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module)
    return out


def it_keeps_each_format_library_inside_its_own_writer_and_the_data_layer_out():
    seen = set()
    for path in sorted(WRITERS.rglob("*.py")):
        home = path.relative_to(WRITERS).parts[0]
        for name in _imports(path):
            top = name.split(".")[0]
            assert not name.startswith("generators.load"), f"{path.name} imports {name}"
            if top in LIBRARIES:
                assert home in LIBRARIES[top], f"{path.relative_to(WRITERS)} imports {name}"
                seen.add(top)
    assert seen == set(LIBRARIES)  # the test looks at real imports


def it_keeps_raw_xml_of_the_deck_in_one_module():
    deck = WRITERS / "pptx"
    for path in sorted(deck.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        private = [w for w in ("._element", "._txBody", "._spTree", "._blob", "._chartSpace", "._bodyPr", "etree", "qn(")
                   if w in text]
        if path.name == "xml.py":
            assert len(private) >= 5
        else:
            assert not private, f"{path.name} uses {private}"
