"""Charts, derived checks, sources and settings of the wrong shape or with bad values: located exit 2, in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_bad_input_common import Case, assert_refused, edit, ids, write

FIG = "data/figures/congress13.csv"
CHARTS = "data/charts.yaml"
DERIVED = "data/derived.yaml"
SOURCES = "data/sources.yaml"
SETTINGS = "data/settings.yaml"
SHARES = "categories: [第一产业, 第二产业, 第三产业]"
CHECK = "    tolerance: 0.5\n"

CHART_CASES = [
    Case("categories-vs-values", edit(CHARTS, SHARES, "categories: [第一产业, 第二产业, 第三产业, 第四产业]"), CHARTS,
         ("4 个", "3 个", "一一对应", "industrial_structure_2020"), "第四产业"),
    Case("negative-share", edit(FIG, "primary_industry_share,2020,,19.9,", "primary_industry_share,2020,,-19.9,"), CHARTS,
         ("负", "industrial_structure_2020"), "refs: [primary_industry_share@2020"),
    Case("shares-do-not-sum", edit(FIG, "secondary_industry_share,2020,,34.5,", "secondary_industry_share,2020,,24.5,"), CHARTS,
         ("合计", "90.00", "100.00"), "refs: [primary_industry_share@2020"),
    Case("share-over-100", edit(FIG, "secondary_industry_share,2020,,34.5,", "secondary_industry_share,2020,,134.5,"), CHARTS,
         ("0 到 100",), "refs: [primary_industry_share@2020"),
    Case("declared-total-not-reached", edit(CHARTS, SHARES, SHARES + "\n    total: 90"), CHARTS, ("total", "90.00")),
    Case("series-of-unequal-length", edit(CHARTS, "      - refs: [gdp@2015, gdp@2020]\n",
                                          "      - refs: [gdp@2015, gdp@2020]\n      - refs: [gdp@2015]\n"), CHARTS,
         ("个数应相同", "gdp_review")),
    Case("misspelt-kind", edit(CHARTS, "kind: composition", "kind: compositon"), CHARTS, ("允许", "您是不是要写“composition”"), "compositon"),
    Case("misspelt-chart-key", edit(CHARTS, SHARES, SHARES.replace("categories", "catgories")), CHARTS,
         ("“categories”",), "catgories"),
    Case("misspelt-series-indicator", edit(CHARTS, "      - indicator: gdp\n", "      - indicator: gpd\n"), CHARTS,
         ("“gdp”",), "indicator: gpd"),
    Case("chart-title-too-long", edit(CHARTS, "title: 2020年三次产业结构", "title: " + "产业结构" * 20), CHARTS, ("至多 60 个字",)),
    Case("negative-total", edit(CHARTS, SHARES, SHARES + "\n    total: -5"), CHARTS, ("大于 0",), "total: -5"),
    Case("duplicate-chart-id", edit(CHARTS, "  - id: gdp_review\n", "  - id: gdp_levels\n"), CHARTS, ("重复", "charts[2].id")),
    Case("series-without-figures", edit(CHARTS, "      - indicator: gdp\n", "      - indicator: gdp\n        periods: [1999]\n"), CHARTS,
         ("没有任何数字",)),
    Case("negative-column", edit(FIG, "gdp,2015,,244.83,", "gdp,2015,,-244.83,"), CHARTS, ("负数", "growth")),
]

DERIVED_CASES = [
    Case("tolerance-nan", edit(DERIVED, CHECK, "    tolerance: .nan\n"), DERIVED, ("有限的数字",), "tolerance: .nan"),
    Case("tolerance-negative", edit(DERIVED, CHECK, "    tolerance: -1\n"), DERIVED, ("大于或等于 0",), "tolerance: -1"),
    Case("expected-infinite", edit(DERIVED, "    expected: 100\n", "    expected: .inf\n"), DERIVED, ("有限的数字",), "expected: .inf"),
    Case("misspelt-derived-kind", edit(DERIVED, "    kind: pct_change", "    kind: pct_chang"), DERIVED, ("允许", "您是不是要写“pct_change”"), "    kind: pct_chang"),
    Case("derived-not-a-list", write(DERIVED, "derived:\n  a: 1\n"), DERIVED, ("列表",), "derived:"),
    Case("derived-unknown-input", edit(DERIVED, "inputs: [hightech_enterprises@2015,", "inputs: [hightech_enterprise@2015,"),
         DERIVED, ("“hightech_enterprises”",), "hightech_enterprise@2015"),
    Case("misspelt-tolerance", edit(DERIVED, CHECK, "    tolerence: 0.5\n"), DERIVED, ("“tolerance”",), "tolerence"),
    Case("derived-wrong-arity", edit(DERIVED, "inputs: [gdp@2015, gdp@2020]", "inputs: [gdp@2015]"), DERIVED,
         ("两个输入",), "gdp_growth_2015_2020"),
]

SOURCE_CASES = [
    Case("sources-a-list", write(SOURCES, "- congress13\n- fyp14\n"), SOURCES, ("映射",)),
    Case("source-without-title", edit(SOURCES, "  title: 奋进新征程", "  titl: 奋进新征程"), SOURCES, ("“title”",), "titl:"),
    Case("source-title-a-list", edit(SOURCES, "  title: 奋进新征程 建功新时代 衡南：加快建成“四区一花园”", "  title: [a, b]"), SOURCES,
         ("应为文字",), "title: [a, b]"),
    Case("source-id-in-chinese", edit(SOURCES, "\nfyp14:", "\n十四五:"), SOURCES, ("英文字母",), "十四五:"),
    Case("settings-a-list", write(SETTINGS, "- 衡南县\n"), SETTINGS, ("映射",)),
    Case("settings-bad-placeholder", edit(SETTINGS, "{county}{year}年", "{county}{yaer}年"), SETTINGS, ("占位符",), "{yaer}"),
    Case("settings-misspelt-key", edit(SETTINGS, "county: 衡南县", "countty: 衡南县"), SETTINGS, ("“county”",), "countty"),
    Case("settings-county-a-number", edit(SETTINGS, "county: 衡南县", "county: 430422"), SETTINGS, ("应为文字",), "county: 430422"),
]


@pytest.mark.parametrize("case", CHART_CASES + DERIVED_CASES + SOURCE_CASES, ids=ids(CHART_CASES + DERIVED_CASES + SOURCE_CASES))
def it_refuses_bad_specs_with_a_located_chinese_message(project: Path, case: Case):
    assert_refused(project, case)


def it_accepts_shares_that_sum_to_a_declared_total_and_years_written_as_numbers(project: Path):
    from tests.conftest import run_cli

    edit(CHARTS, SHARES, SHARES + "\n    total: 100")(project)
    edit(CHARTS, "      - indicator: gdp\n", "      - indicator: gdp\n        periods: [2015, 2020]\n")(project)
    res = run_cli("check", "--root", str(project))
    assert res.code == 0, res.err
