"""One home per number rule: percent change and its label (the chart and the text agree, half-way cases
included), period labels from values, one did-you-mean, and one line-break routine that the deck, the charts
and the PDF apply alike."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generators import model as M
from generators import typography as T
from generators import units
from generators.errors import InputError

D = Decimal


@pytest.mark.parametrize("a, b, chart, text", [
    ("100", "112.25", "+12.3%", "增长12.3%"),  # half-way: half-up, not the float's 12.2
    ("100", "87.75", "−12.3%", "下降12.3%"),
    ("100", "100.05", "+0.1%", "增长0.1%"),
    ("100", "99.96", "+0.0%", "增长0.0%"),  # a fall that rounds to nothing is no 下降 and no minus
    ("200", "201.25", "+0.6%", "增长0.6%"),  # 0.625 → 0.6: the quotient is exact, then rounded once
    ("-10", "-5", "+50.0%", "增长50.0%"),  # against |a|: a rise reads as a rise
])
def it_rounds_a_change_once_and_the_chart_and_the_text_agree(a: str, b: str, chart: str, text: str):
    change = units.pct_change(D(a), D(b))
    assert change is not None
    assert units.change_label(D(a), D(b)) == chart
    number = units.fmt_number(change, 1)
    worded = T.growth(M.Value("0.0" if number == "-0.0" else number, "%", "", "x")).text
    assert worded == text


def it_writes_a_large_change_as_a_multiple_and_no_change_from_zero():
    assert units.change_label(D(10), D(160)) == "×16.0"
    assert units.change_label(D(0), D(5)) == "" and units.pct_change(D(0), D(5)) is None


def it_draws_the_label_the_text_would_print(env):
    """The before/after chart's arrow label for 100 → 112.25 is +12.3%, as the headline words it."""
    data = M.ChartData("half-way", "before_after", "半数", "亿元", ("2020年", "2025年"),
                       (M.Series("产值", (100.0, 112.25), ("100", "112.25")),), "", "")
    svg = env.charts.svg(data).decode()
    assert "+12.3%" in svg and "+12.2%" not in svg


def it_uses_the_one_formula_for_derived_checks_and_reviews():
    from generators.load.derive import compute
    from generators.load.specs import DerivedSpec
    from generators.yearly.common import pct

    class Fake:
        indicators = {"x": type("I", (), {"unit": "亿元"})()}

        def find(self, ref, year):
            value = {"2020": D(100), "2025": D("112.25")}[ref.period]
            return type("F", (), {"indicator": "x", "value": value, "unit": "亿元"})()

    spec = DerivedSpec(id="d", label="增幅", kind="pct_change", inputs=["x@2020", "x@2025"])
    assert compute(Fake(), spec, 2025) == units.pct_change(D(100), D("112.25")) == pct(D(100), D("112.25"))


def it_labels_periods_from_their_values():
    assert units.period_label("2024") == "2024年" and units.period_label("2021-2025", "期初") == "2021—2025年（期初）"
    assert units.period_span(("2015", ""), ("2020", "")) == "2015—2020年"
    assert units.period_span(("2021-2025", "期初"), ("2021-2025", "期末")) == "2021—2025年（期初→期末）"
    assert units.period_span(("2024", ""), ("2024", "")) == "2024年"
    assert units.period_span(("2015", ""), ("2021-2025", "")) == "2015年→2021—2025年"


def it_says_did_you_mean_one_way():
    from generators import products

    with pytest.raises(InputError) as err:
        products.choose(["dekc"])
    assert "您是不是要写“deck”？" in err.value.problems[0].message


# ---- one line-break routine ------------------------------------------------------------------------

TEXT = ("衡南县坚定实施“三高四新”美好蓝图，沿着“工业强县、文教旺城”的发展路径砥砺前行。"
        "产业兴、城乡美、百姓富的生动图景（正在展开）：徐徐铺陈！“十四五”期间，全县（含园区）投资增长。")


def _pdf_lines(text: str, font: Path, size: float, width: float, bold_run: bool) -> list[str]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph

    from generators.writers.pdf import linebreak

    linebreak.install()
    if "rule-probe" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("rule-probe", str(font)))
    style = ParagraphStyle("probe", fontName="rule-probe", fontSize=size, leading=size * 1.5, wordWrap="CJK")
    markup = text.replace("投资", '<font color="#A61E22">投资</font>') if bold_run else text  # two runs
    para = Paragraph(markup, style)
    para.wrap(width, 10_000)
    lines = para.blPara.lines
    if para.blPara.kind == 0:
        return ["".join(words) for _space, words in lines]
    return ["".join(w.text for w in line.words) for line in lines]


@pytest.mark.parametrize("width", [95.0, 123.0, 171.0])
@pytest.mark.parametrize("runs", ["one run", "two runs"])
def it_breaks_the_same_text_the_same_way_in_the_deck_the_pdf_and_the_charts(env, width: float, runs: str):
    from generators.writers.pptx import measure

    font = env.theme.font_path(env.theme.role("body").print)
    size = 10.0
    deck = measure.wrap(TEXT, measure.width_fn((font,), size), width)
    assert _pdf_lines(TEXT, font, size, width, runs == "two runs") == deck
    # the charts: the same routine measured in columns (every character here is full-width)
    columns = int(width // size) * 2
    assert T.wrap(TEXT, T.cjk_width, columns) == deck
    for a, b in zip(deck, deck[1:], strict=False):
        assert T.may_break(a, b), (a, b)


def it_keeps_figures_whole_and_gives_each_line_its_width():
    lines = T.wrap("地区生产总值461.71亿元", T.cjk_width, [8, 12])
    assert lines == ["地区生产", "总值461.71亿", "元"]  # 461.71 is never split
    assert all(T.cjk_width(x) <= 12 for x in lines) and T.cjk_width(lines[0]) <= 8
