"""Hostile data/: every broken CSV cell, YAML file and spec is exit 2 with a located Chinese message; nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_bad_input_common import Case, append, assert_refused, both, edit, ids, write

FIG = "data/figures/congress13.csv"
IND = "data/indicators/common.csv"
DECK = "data/texts/deck.yaml"
SUMMARY = "data/texts/summary.yaml"
BRIEF = "data/briefings/ecology.yaml"
CHARTS = "data/charts.yaml"
DERIVED = "data/derived.yaml"
SOURCES = "data/sources.yaml"
SETTINGS = "data/settings.yaml"
GDP = "gdp,2020,,356.01,"

CSV_CASES = [
    Case("percent-sign", edit(FIG, GDP, "gdp,2020,,35.6%,"), FIG, ("value", "%"), "35.6%"),  # % only on a rate
    Case("thousands-misplaced", edit(FIG, GDP, 'gdp,2020,,"35,6.01",'), FIG, ("value", "千位分隔符"), "35,6.01"),
    Case("nan-value", edit(FIG, GDP, "gdp,2020,,NaN,"), FIG, ("NaN",), ",NaN,"),
    Case("infinite-value", edit(FIG, GDP, "gdp,2020,,inf,"), FIG, ("无穷大",), ",inf,"),
    Case("huge-value", edit(FIG, GDP, "gdp,2020,," + "9" * 30 + ","), FIG, ("位数过多",), "9" * 30),
    Case("fullwidth-year", edit(FIG, GDP, "gdp,２０２０,,356.01,"), FIG, ("period", "全角", "2020"), "２０２０"),
    Case("dash-in-period", edit(FIG, "hightech_enterprises_increase,2016-2021", "hightech_enterprises_increase,2016—2021"),
         FIG, ("period", "2016-2021"), "2016—2021"),
    Case("period-backwards", edit(FIG, GDP, "gdp,2020-2015,,356.01,"), FIG, ("period",), "2020-2015"),
    Case("misspelt-indicator", edit(FIG, GDP, "gpd,2020,,356.01,"), FIG, ("您是不是要写", "“gdp”"), "gpd,2020"),
    Case("misspelt-source", edit(FIG, "gdp,2015,,244.83,亿元,congress13", "gdp,2015,,244.83,亿元,congres13"), FIG,
         ("“congress13”", "source"), "congres13"),
    Case("shift-enter-in-note", edit(FIG, "按五年回顾期末记2020", "按五年回顾\x0b期末记2020"), FIG,
         ("U+000B", "Shift+Enter", "列"), "期末记2020"),
    Case("empty-unit", edit(FIG, "gdp,2015,,244.83,亿元,", "gdp,2015,,244.83,,"), FIG, ("unit", "不能为空"), "gdp,2015"),
    Case("unknown-unit", edit(FIG, "gdp,2015,,244.83,亿元,", "gdp,2015,,244.83,亿美元,"), FIG, ("亿美元",), "亿美元"),
    Case("fullwidth-comma-header", edit(FIG, "indicator,period,scope", "indicator，period，scope"), FIG, ("表头", "缺少列")),
    Case("unclosed-quote", append(FIG, 'gdp,2031,,"1,亿元,congress13,x,\n'), FIG, ("双引号", "没有闭合"), needle='"1,亿元'),
    Case("decimals-fullwidth", edit(IND, "gdp,地区生产总值,亿元,2,", "gdp,地区生产总值,亿元,２,"), IND, ("decimals", "全角"), "亿元,２,"),
    Case("decimals-too-many", edit(IND, "gdp,地区生产总值,亿元,2,", "gdp,地区生产总值,亿元,7,"), IND, ("0 到 4",), "亿元,7,"),
    Case("misspelt-category", edit(IND, "亿元,2,economy,", "亿元,2,econmy,"), IND, ("“economy”", "category"), "econmy"),
    Case("misspelt-growth-indicator", edit(IND, "economy,stated,gdp_growth,", "economy,stated,gdp_grwth,"), IND,
         ("“gdp_growth”",), "gdp_grwth"),
    Case("yearly-in-chinese", edit(IND, "stated,gdp_growth,yes,", "stated,gdp_growth,是,"), IND, ("yes 或 no",), "gdp_growth,是,"),
    Case("csv-is-a-folder", lambda r: (r / "data/figures/folder.csv").mkdir(), "data/figures/folder.csv", ("文件夹",),
         located=False),
]

YAML_CASES = [
    Case("fullwidth-braces", edit(DECK, "{gdp@2015}", "｛gdp@2015｝"), DECK, ("全角花括号", "{"), "｛gdp@2015｝"),
    Case("fullwidth-year-in-ref", edit(DECK, "{gdp@2015}", "{gdp@２０１５}"), DECK, ("全角", "gdp@2015"), "gdp@２０１５"),
    Case("fullwidth-at-in-ref", edit(DECK, "{gdp@2015}", "{gdp＠2015}"), DECK, ("全角",), "gdp＠2015"),
    Case("misspelt-ref-indicator", edit(DECK, "{gdp@2015}", "{gpd@2015}"), DECK, ("您是不是要写", "“gdp”"), "{gpd@2015}"),
    Case("misspelt-part-id", edit(DECK, "  - id: economy\n", "  - id: economi\n"), DECK, ("“economy”", "五个部分"), "id: economi"),
    Case("sixth-part", edit(DECK, "\nclosing:", "\n  - id: extra\n    number: 5\n    title: 多余\n    short: 多余\nclosing:"),
         DECK, ("五个部分", "extra"), "id: extra"),
    Case("parts-out-of-order", both(edit(DECK, "  - id: economy\n", "  - id: cultureX\n"), edit(DECK, "  - id: culture\n", "  - id: economy\n"),
                                    edit(DECK, "  - id: cultureX\n", "  - id: culture\n")), DECK, ("按顺序",)),
    Case("part-number-too-big", edit(DECK, "    number: 5\n", "    number: 6\n"), DECK, ("小于或等于 5",), "number: 6"),
    Case("misspelt-top-key", edit(DECK, "\nsubtitle:", "\nsubtitel:"), DECK, ("“subtitle”", "不认识的字段"), "subtitel:"),
    Case("misspelt-block-key", edit(DECK, "        photo: 工人们", "        phot: 工人们"), DECK, ("“photo”",), "phot: 工人们"),
    Case("text-starts-with-brace", edit(DECK, "        photo: 工人们", "        photo: {gdp@2015}工人们"), DECK,
         ("引号",), "photo: {gdp@2015}"),
    Case("whole-text-is-a-reference", edit(DECK, "        photo: 工人们在特变电工南方智能电网科技园内生产特高压设备。",
                                           "        photo: {gdp@2015}"), DECK, ("引号", "应为文字"), "photo: {gdp@2015}"),
    Case("tab-indent", edit(DECK, "\n    number: 1\n", "\n\tnumber: 1\n"), DECK, ("制表符",), "\tnumber: 1"),
    Case("duplicate-key", edit(DECK, "\nsubtitle:", "\ntitle: 又一个标题\nsubtitle:"), DECK, ("重复",), "又一个标题"),
    Case("shift-enter-in-text", edit(DECK, "工人们在特变电工", "工人们\x0b在特变电工"), DECK, ("U+000B", "Shift+Enter", "列"), "工人们"),
    Case("line-separator", edit(DECK, "工人们在特变电工", "工人们\u2028在特变电工"), DECK, ("U+2028",), "工人们"),
    Case("deep-nesting", append(DECK, "deep:\n" + "".join("  " * i + "- \n" for i in range(1, 60))), DECK, ("嵌套",)),
    Case("huge-yaml", append(DECK, "# " + "长" * 700_000 + "\n"), DECK, ("过大", "1 MB"), located=False),
    Case("unclosed-quote", edit(DECK, "\nsubtitle:", '\nx: "未闭合\nsubtitle:'), DECK, ("引号",)),
    Case("python-tag", edit(DECK, "\nsubtitle:", "\nx: !!python/object:os.system ls\nsubtitle:"), DECK, ("标签",), "!!python"),
    Case("second-document", append(DECK, "---\ntitle: 第二份\n"), DECK, ("分隔线",)),
    Case("bad-escape", edit(DECK, "\nsubtitle:", '\nx: "C:\\q"\nsubtitle:'), DECK, ("转义",), 'C:\\q'),
    Case("misspelt-chart", edit(DECK, "charts: [gdp_review,", "charts: [gdp_reviw,"), DECK,
         ("“gdp_review”",), "gdp_reviw"),
    Case("deck-title-too-long", edit(DECK, "\ntitle: 奋进新征程 建功新时代", "\ntitle: " + "奋进新征程" * 14), DECK,
         ("至多 60 个字", "title"), "奋进新征程奋进新征程"),
    Case("title-is-a-number", edit(DECK, "\ntitle: 奋进新征程 建功新时代", "\ntitle: 2024"), DECK, ("应为文字",), "title: 2024"),
    Case("parts-not-a-list", edit(DECK, "\nparts:\n", "\nparts: 五个部分\nold_parts:\n"), DECK, ("列表",), "parts: 五个部分"),
    Case("missing-closing", edit(DECK, "\nclosing:", "\nclosing_:"), DECK, ("缺少必填字段", "closing")),
    Case("use-misspelt-id", edit(BRIEF, "use: summary#ecology_intro", "use: summary#ecology_intr"), BRIEF,
         ("“ecology_intro”",), "ecology_intr"),
    Case("use-misspelt-file", edit(BRIEF, "use: summary#ecology_intro", "use: summry#ecology_intro"), BRIEF,
         ("“summary”",), "summry#"),
    Case("briefing-bad-preset", edit(BRIEF, "preset: 简报", "preset: 简抱"), BRIEF, ("允许", "公文"), "preset: 简抱"),
    Case("briefing-year-out-of-range", edit(BRIEF, "preset: 简报", "preset: 简报\nyear: 3000"), BRIEF, ("小于或等于 2100",), "year: 3000"),
    Case("briefing-file-reserved-name", edit(BRIEF, "file: 生态环境简报", "file: CON"), BRIEF, ("保留名称",), "file: CON"),
    Case("briefing-file-leaves-folder", edit(BRIEF, "file: 生态环境简报", "file: ../../evil"), BRIEF, ("只写文件名",), "file: ../../evil"),
    Case("briefing-empty-title", edit(BRIEF, "title: 衡南县生态环境保护情况", 'title: ""'), BRIEF, ("必填",), 'title: ""'),
    Case("bidi-override", edit(DECK, "工人们在特变电工", "工人们\u202e在特变电工"), DECK, ("U+202E", "方向"), "工人们"),
    Case("escaped-surrogate", edit(DECK, "        photo: 工人们在特变电工南方智能电网科技园内生产特高压设备。", '        photo: "\\ud800工人们"'),
         DECK, ("U+D800",), "ud800"),
    Case("deck-only-comments", write(DECK, "# 只有注释\n"), DECK, ("映射", "空"), located=False),
    Case("deck-a-list", write(DECK, "- 甲\n- 乙\n"), DECK, ("映射",), "- 甲"),
    Case("edition-year-impossible", edit(DECK, "{gdp@2015}", "{gdp@Y-60}"), DECK, ("@Y", "gdp@Y-60"), "{gdp@Y-60}"),
    Case("briefing-ref-fullwidth", edit(BRIEF, "ref: air_good_rate@2021-2025", "ref: air_good_rate@２０２１-2025"), BRIEF,
         ("全角",), "air_good_rate@２０２１"),
]


@pytest.mark.parametrize("case", CSV_CASES + YAML_CASES, ids=ids(CSV_CASES + YAML_CASES))
def it_refuses_broken_data_with_a_located_chinese_message(project: Path, case: Case):
    assert_refused(project, case)


# Issue 15: numbers typed as people type them are read by the one number reader (generators/load/numbers.py),
# the same in data/figures/*.csv as in the yearly workbook: stored as the published digits in half-width form.
FYP = "data/figures/fyp14.csv"
TYPED_AS_PEOPLE_TYPE = [
    ("fullwidth-digits", FIG, GDP, "gdp,2020,,３５６.０１,", ("gdp", "2020", ""), "356.01"),
    ("fullwidth-point", FIG, GDP, "gdp,2020,,356．01,", ("gdp", "2020", ""), "356.01"),
    ("thousands-separator", FIG, "disposable_income,2020,,28987,", 'disposable_income,2020,,"28,987",',
     ("disposable_income", "2020", ""), "28987"),
    ("unicode-minus-and-percent", FYP, "gdp_growth,2024,,6.3,%", "gdp_growth,2024,,\u2212６.3%,%", ("gdp_growth", "2024", ""), "-6.3"),
]


@pytest.mark.parametrize("rel, old, new, key, text", [c[1:] for c in TYPED_AS_PEOPLE_TYPE],
                         ids=[c[0] for c in TYPED_AS_PEOPLE_TYPE])
def it_reads_numbers_as_people_type_them(project: Path, rel: str, old: str, new: str, key: tuple[str, str, str],
                                         text: str):
    from generators.load.dataset import load_dataset

    edit(rel, old, new)(project)
    ds = load_dataset(project / "data")
    fig = ds.figures[key]
    assert fig.text == text and str(fig.value) == text  # the digits as published, never reformatted


def it_reads_a_dash_as_not_published(project: Path):
    from generators.load.dataset import load_dataset

    append(FYP, "budget_revenue,2024,,—,亿元,fyp14,,公报未公布\n")(project)
    ds = load_dataset(project / "data")
    assert ("budget_revenue", "2024", "") in ds.unpublished and ("budget_revenue", "2024", "") not in ds.figures
