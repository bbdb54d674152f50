"""Loader and validation: the shipped data is complete, sourced and consistent."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from generators.documents.bind import bind_plain, chinese_numeral
from generators.load import refs as R
from generators.load.derive import evaluate

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def it_loads_every_figure_with_unit_period_and_source(dataset):
    assert len(dataset.figures) >= 100
    for f in dataset.figures.values():
        assert f.unit and f.period and f.source in dataset.sources and f.section, f
        assert dataset.indicators[f.indicator].category


def it_picks_the_latest_complete_year(dataset):
    assert dataset.year == 2024


def it_binds_figures_into_texts(dataset):
    text = bind_plain(dataset, "{Y}年GDP {gdp@Y}，增长{gdp_growth@Y}；{gdp@2015|n}→{gdp@2020|u}", 2024)
    assert text == "2024年GDP 461.71亿元，增长6.3%；244.83→亿元"


def it_formats_ranks_and_water_classes(dataset):
    assert chinese_numeral(2) == "二" and chinese_numeral(16) == "十六" and chinese_numeral(40) == "四十"
    assert bind_plain(dataset, "第{xiaokang_rank@2020|cn}", 2024) == "第二"
    assert bind_plain(dataset, "{county_water_quality_class@2020/县城}", 2024) == "Ⅲ类"


def it_converts_units_for_display(dataset):
    assert bind_plain(dataset, "{disposable_income@2020|万元}", 2024) == "2.8987万元"


def it_cross_checks_stated_against_computed(dataset):
    results = {d.id: d for d in evaluate(dataset, dataset.year)}
    hi = results["hightech_increase_check"]
    assert hi.value == Decimal(440) and hi.stated == Decimal(440) and hi.ok
    assert results["industrial_structure_total"].ok


def it_parses_references_strictly():
    assert R.parse_ref("gdp@2021-2025/县城|n") == R.Ref("gdp", "2021-2025", "县城", "n")
    for bad in ("GDP@2024", "gdp@24", "gdp@@2024", ""):
        try:
            R.parse_ref(bad)
        except R.RefSyntaxError:
            continue
        raise AssertionError(bad)


# Numbers in the articles that are names or anecdotes, not figures.
NOT_FIGURES = {"6": "1名操作员就能监控6台电脑（举例）", "500": "“三类500强”（名称）"}


def it_captures_every_figure_of_both_articles(dataset):
    """Every number in both articles is a figure value, a date (…年, 2019—2020) or a listed name."""
    values = {f.text for f in dataset.figures.values()}
    missing = []
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for m in re.finditer(r"\d+(?:\.\d+)?", text):
            n, after = m.group(0), text[m.end():m.end() + 1]
            if n in values or n in NOT_FIGURES or (len(n) == 4 and after in "年—-"):
                continue
            missing.append((seed.name, n, text[max(0, m.start() - 10):m.end() + 5]))
    assert not missing, missing


def it_keeps_the_load_layer_free_of_model_and_writers():
    import subprocess
    import sys

    code = ("import sys, generators.load.dataset, generators.load.files, generators.load.chartcheck; "
            "bad = [m for m in sys.modules if m.startswith(('generators.model', 'generators.writers', 'generators.documents'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def it_parses_typed_figures_one_way():
    import pytest

    from generators.load.numbers import halfwidth_problem, is_unpublished, parse_figure_value, read_figure

    assert parse_figure_value("461.71") == Decimal("461.71") and parse_figure_value("-1.2") == Decimal("-1.2")
    # Typed as people type (issue 15): normalised to the published digits in half-width form, never reformatted.
    for typed, unit, digits in [("４６１", None, "461"), ("\u22121.2", None, "-1.2"), ("356．01", None, "356.01"),
                                ("１６６．２１", "亿元", "166.21"), ("1,234.50", None, "1234.50"), ("6.3%", "%", "6.3"),
                                ("455.30", None, "455.30"), ("+3", None, "3")]:
        assert read_figure(typed, unit)[0] == digits, typed
    for bad, unit, word in [("1e5", None, "数字"), ("nan", None, "NaN"), ("9" * 16, None, "位数"),
                            ("6.3%", "亿元", "% 号"), ("1,23,4", None, "千位分隔符"), ("约3", None, "数字")]:
        with pytest.raises(ValueError, match=word):
            read_figure(bad, unit)
    assert all(is_unpublished(x) for x in ("", " ", "—", "－", "/")) and not is_unpublished("0")
    assert halfwidth_problem("2021-2025") is None and "2021-2025" in halfwidth_problem("2021—2025")


def it_suggests_the_nearest_ids():
    from generators.errors import did_you_mean

    assert did_you_mean("gpd", ["gdp", "gdp_growth", "retail_sales"]) == "您是不是要写“gdp”？"
    assert did_you_mean("zzz", ["gdp"]) == ""


def it_reads_a_yaml_parse_back_from_the_cache_with_its_lines_and_parses_a_changed_text_again(tmp_path):
    from generators.load.textio import read_yaml

    src = tmp_path / "a.yaml"
    src.write_text("charts:\n  - id: x\n    kind: bar\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = read_yaml(src, cache)
    assert len(list(cache.glob("*.pickle"))) == 1
    again = read_yaml(src, cache)
    assert again == first and again["charts"][0].lines.keys == {"id": 2, "kind": 3}
    src.write_text("charts:\n  - id: y\n", encoding="utf-8")
    assert read_yaml(src, cache)["charts"][0]["id"] == "y" and len(list(cache.glob("*.pickle"))) == 2
    for f in cache.glob("*.pickle"):
        f.write_bytes(b"not a pickle")  # a damaged entry is parsed again, never an error
    assert read_yaml(src, cache)["charts"][0]["id"] == "y"


def _tree(node):
    """A parse with every mapping's and list's line numbers, for comparing two parses."""
    if isinstance(node, dict):
        return ("map", node.lines.start, node.lines.keys, {k: _tree(v) for k, v in node.items()})
    if isinstance(node, list):
        return ("list", node.lines.start, node.lines.items, [_tree(v) for v in node])
    return (type(node).__name__, node)


def it_parses_with_libyaml_exactly_as_the_pure_python_reader_and_leaves_every_refusal_to_it(tmp_path):
    import yaml

    from generators.errors import InputError
    from generators.load import textio

    assert textio._FAST_LOADER is not None, "PyYAML's wheels carry libyaml"
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").rglob("*.yaml"))]
    texts.append("a: 1\nb: [x, 2.5, true, null, '3']\nc: 2024-05-01\nd: {e: ~}\n")  # dates stay text
    for text in texts:
        fast = yaml.load(text, Loader=textio._FAST_LOADER)  # noqa: S506 - the project's safe loaders under test
        pure = yaml.load(text, Loader=textio._LineLoader)  # noqa: S506 - the project's safe loaders under test
        assert _tree(fast) == _tree(pure)
    for bad, says in [("a: &x 1\nb: *x\n", "别名"), ("a: 1\na: 2\n", "重复"), ("a: [1, 2\n", "YAML 格式错误"),
                      ("x:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(45)), "嵌套层数过多")]:
        f = tmp_path / "bad.yaml"
        f.write_text(bad, encoding="utf-8")
        try:
            textio.read_yaml(f)
        except InputError as exc:
            assert says in exc.problems[0].render() and exc.problems[0].line, exc.problems[0].render()
        else:
            raise AssertionError(f"accepted: {bad!r}")


def it_lets_no_installed_package_hook_the_validation_as_a_pydantic_plugin(monkeypatch):
    from pydantic.plugin import _loader

    import generators  # noqa: F401 - its import turns the plugins off

    monkeypatch.setattr(_loader, "entry_points", lambda **_kw: (_ for _ in ()).throw(AssertionError("scanned")))
    assert tuple(_loader.get_plugins()) == ()
