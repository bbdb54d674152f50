"""The chart-kind registry: every entry's handlers resolve, every kind draws in every format, the value rules hold."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from generators import chartkinds
from generators.documents.common import Context, chart
from generators.load import specs as S
from generators.load.chartcheck import _shape_problem

ROOT = Path(__file__).resolve().parents[1]
KINDS = chartkinds.names()


@pytest.fixture(scope="module")
def sample(dataset):
    """A real chart with one all-positive series, to be drawn as every kind."""
    ctx = Context(dataset, dataset.year, ROOT / "assets" / "images")
    for cid in dataset.charts:
        data = chart(ctx, cid).data
        if len(data.series) == 1 and all(v > 0 for v in data.series[0].values) and len(data.categories) >= 2:
            return data
    raise AssertionError("no single-series chart in data/charts.yaml")


def it_resolves_every_handler_of_every_kind():
    from pptx.enum.chart import XL_CHART_TYPE

    for k in chartkinds.KINDS.values():
        assert callable(k.drawing()), k.draw
        assert callable(k.styler()), k.pptx_style
        assert hasattr(XL_CHART_TYPE, k.pptx_type), k.pptx_type
        assert k.label and k.name.isidentifier()


def it_admits_exactly_the_registered_kinds_in_charts_yaml():
    base = {"id": "x", "title": "标题", "series": [{"refs": ["gdp@2024"]}]}
    for name in KINDS:
        assert S.ChartSpec.model_validate({**base, "kind": name}).kind == name
    with pytest.raises(Exception) as err:
        S.ChartSpec.model_validate({**base, "kind": "pie"})
    assert "literal_error" in str(err.value) and all(repr(n) in str(err.value) for n in KINDS)


def _plain_chart_xml(type_name: str, data) -> bytes:
    """python-pptx's own chart XML for a chart type (what the type alone writes, before any styling)."""
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE

    from generators.writers.pptx.charts import chart_data

    return ChartXmlWriter(getattr(XL_CHART_TYPE, type_name), chart_data(data)).xml.encode()


def _plot_element(chart_xml: bytes) -> tuple[str, ...]:
    """The plot element(s) of a chart part (c:barChart with its c:barDir, c:lineChart, c:doughnutChart …)."""
    from lxml import etree

    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    root = etree.fromstring(chart_xml)
    plots = root.xpath("//c:plotArea/*[substring(local-name(), string-length(local-name()) - 4) = 'Chart']",
                       namespaces=ns)
    return tuple(etree.QName(p).localname + "/" + "".join(p.xpath("c:barDir/@val", namespaces=ns)) for p in plots)


@pytest.mark.parametrize("name", KINDS)
def it_draws_every_kind_in_every_format(name: str, sample, env):
    """SVG (the PDF), PNG (Word pictures) and the native chart part (the deck and Word) for each kind."""
    from generators.writers.pptx.chartpart import native_chart_part

    data = replace(sample, kind=name, id=f"{sample.id}-{name}")
    assert env.charts.svg(data).lstrip().startswith(b"<?xml")
    assert env.charts.png(data).startswith(b"\x89PNG")
    chart_xml, workbook = native_chart_part(data, env.theme, (5_000_000, 3_000_000))
    kind = chartkinds.get(name)
    expected = _plot_element(_plain_chart_xml(kind.pptx_type, data))
    assert expected and _plot_element(chart_xml) == expected  # the entry's type, whatever the styler did
    assert ('"%"' in chart_xml.decode()) == (kind.percent_labels or data.unit == "%")
    assert zipfile.ZipFile(io.BytesIO(workbook)).namelist()


@pytest.mark.parametrize("name", KINDS)
def it_applies_each_kinds_value_rules(name: str, dataset):
    """A negative value is refused exactly for the kinds marked non-negative, with the entry's hint."""
    fig = next(f for f in dataset.figures.values() if f.unit == "%" and f.value > 0)
    negative = replace(fig, value=-fig.value, text="-" + fig.text)
    spec = S.ChartSpec.model_validate({"id": "x", "kind": name, "title": "标题", "unit": "%",
                                       "series": [{"refs": [fig.ref(), fig.ref()]}], "total": 1000})
    problem = _shape_problem(dataset, spec, [[negative, replace(fig, value=Decimal(1))]])
    kind = chartkinds.get(name)
    if kind.non_negative:
        assert problem is not None and "负数" in problem[1] and kind.negative_hint in problem[1]
    else:
        assert problem is None
