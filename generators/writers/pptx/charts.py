"""Native, editable PowerPoint charts: chart data from the model, then one styler per chart kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.util import Pt

from generators import chartkinds
from generators import model as M
from generators.errors import ReportgenError
from generators.typography import UNIT
from generators.units import decimals_of
from generators.writers.pptx import xml
from generators.writers.pptx.slides import ChartPlan
from generators.writers.pptx.template import box_of

if TYPE_CHECKING:
    from generators.theme import Theme


def rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_[1:])


def color(theme: "Theme", key: str) -> RGBColor:
    return rgb(getattr(theme.palette, key))


def number_format(d: M.ChartData, text: str | None = None) -> str:
    """Excel number format of the data labels: the data's decimals (or those of the figure `text` as printed,
    thousands grouping included), a % sign for shares and growth rates."""
    decimals = d.decimals if text is None else decimals_of(text)
    fmt = ("#,##0" if text is not None and "," in text else "0") + ("." + "0" * decimals if decimals > 0 else "")
    if chartkinds.get(d.kind).percent_labels or d.unit == "%":
        fmt += '"%"'
    return fmt


def add_chart(slide, ph, layout_ph, cp: ChartPlan, theme: "Theme") -> None:
    """The chart into its placeholder (or a free frame in the placeholder's place), styled for its kind."""
    d = cp.chart.data
    kind = chart_type(d)
    data = chart_data(d)
    if ph is not None and hasattr(ph, "insert_chart"):
        frame = ph.insert_chart(kind, data)
    else:
        if ph is not None:
            xml.remove_shape(ph)
        frame = slide.shapes.add_chart(kind, *box_of(layout_ph), data)
    frame.name = cp.chart.caption
    xml.set_description(frame, d.alt)
    style_chart(frame.chart, cp, theme)


def chart_type(d: M.ChartData) -> XL_CHART_TYPE:
    """The PowerPoint chart type of the chart's kind (its entry in generators/chartkinds.py)."""
    if d.kind not in chartkinds.KINDS:
        raise ReportgenError(f"不支持图表类型“{d.kind}”（图表 {d.id}）")
    kind: XL_CHART_TYPE = getattr(XL_CHART_TYPE, chartkinds.get(d.kind).pptx_type)
    return kind


def chart_data(d: M.ChartData, factory: type[CategoryChartData] = CategoryChartData) -> CategoryChartData:
    """The figures as python-pptx chart data (categories, one series each, the labels' number format)."""
    data = factory(number_format=number_format(d))
    data.categories = list(d.categories)
    for s in d.series:
        data.add_series(s.label, list(s.values))
    return data


def style_chart(chart, cp: ChartPlan, theme: "Theme") -> None:
    """Everything the theme says about a chart of this kind: shared look, the kind's styler, fonts, valid ids."""
    d = cp.chart.data
    shared = number_format(d)
    _common(chart, cp, shared, theme)
    chartkinds.get(d.kind).styler()(chart, d, cp, theme)
    # each label as its figure is published (87, not 87.00 beside 156.9): a point's own format where it differs
    xml.point_label_formats(chart, [[f if f != shared else None for f in s] for s in label_formats(d)])
    xml.chart_fonts(chart, theme.role("caption").office)
    xml.signed_safe_axis_ids(chart)


def label_formats(d: M.ChartData) -> list[list[str]]:
    """Number format of every figure as printed (its own decimals and grouping), series by series."""
    return [[number_format(d, t) for t in s.texts] for s in d.series]


def _common(chart, cp: ChartPlan, fmt: str, theme: "Theme") -> None:
    """No chart title (the slide title is the caption 图N …), theme text colour, bold data labels."""
    chart.has_title = False
    chart.font.size = Pt(cp.tick_size)
    chart.font.color.rgb = color(theme, "ink")
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = fmt
    labels.number_format_is_linked = False
    labels.font.size = Pt(cp.label_size)
    labels.font.bold = True


# ---- pieces the stylers share -------------------------------------------------------------------

def _filled_series(chart, d: M.ChartData, theme: "Theme", position=XL_LABEL_POSITION.OUTSIDE_END) -> None:
    """Bars in the chart palette, one colour a series, labels at the bar ends."""
    plot = chart.plots[0]
    plot.data_labels.position = position
    plot.gap_width = 120 if len(d.categories) <= 2 else 70
    palette = theme.palette.chart
    for i, series in enumerate(plot.series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(palette[i % len(palette)])


def _legend_below(chart, d: M.ChartData) -> None:
    many = len(d.series) > 1
    chart.has_legend = many
    if many:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False


def _axes(chart, d: M.ChartData, cp: ChartPlan, theme: "Theme") -> None:
    """Light grid (if the theme wants one), no value axis line, the unit as an upright axis title."""
    va, ca = chart.value_axis, chart.category_axis
    va.has_major_gridlines = theme.chart.grid
    if va.has_major_gridlines:
        va.major_gridlines.format.line.color.rgb = color(theme, "rule")
        va.major_gridlines.format.line.width = Pt(0.75)
    va.format.line.fill.background()
    va.tick_labels.font.size = Pt(cp.tick_size)
    va.tick_labels.font.color.rgb = color(theme, "muted")
    va.has_title = True
    va.axis_title.text_frame.text = UNIT + d.unit
    xml.upright_axis_title(va)
    run = va.axis_title.text_frame.paragraphs[0].runs[0]
    run.font.size = Pt(cp.tick_size)
    run.font.bold = False
    run.font.color.rgb = color(theme, "muted")
    ca.format.line.color.rgb = color(theme, "rule")
    ca.tick_labels.font.size = Pt(cp.tick_size)
    ca.has_major_gridlines = False
    ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # clear of bars that go below zero


# ---- the stylers the chart kinds name (generators/chartkinds.py) ------------------------------------

def style_column(chart, d: M.ChartData, cp: ChartPlan, theme: "Theme") -> None:
    _filled_series(chart, d, theme)
    _legend_below(chart, d)
    _axes(chart, d, cp, theme)


def style_bar(chart, d: M.ChartData, cp: ChartPlan, theme: "Theme") -> None:
    """Horizontal bars: first category on top, value axis at the bottom."""
    style_column(chart, d, cp, theme)
    chart.category_axis.reverse_order = True
    xml.cross_at_max(chart.value_axis)


def style_growth(chart, d: M.ChartData, cp: ChartPlan, theme: "Theme") -> None:
    """Growth rates of several indicators: horizontal bars, labels with a % sign (see number_format)."""
    style_bar(chart, d, cp, theme)


def style_before_after(chart, d: M.ChartData, cp: ChartPlan, theme: "Theme") -> None:
    """Columns; with one series, earlier states in the second colour, the latest in the first."""
    _filled_series(chart, d, theme)
    if len(d.series) == 1:
        points = chart.plots[0].series[0].points
        for i in range(len(d.categories) - 1):
            points[i].format.fill.solid()
            points[i].format.fill.fore_color.rgb = rgb(theme.palette.chart[1])
    _legend_below(chart, d)
    _axes(chart, d, cp, theme)


def style_line(chart, d: M.ChartData, cp: ChartPlan, theme: "Theme") -> None:
    """Straight lines with filled markers, labels above the points."""
    plot = chart.plots[0]
    plot.data_labels.position = XL_LABEL_POSITION.ABOVE
    palette = theme.palette.chart
    for i, series in enumerate(plot.series):
        c = rgb(palette[i % len(palette)])
        series.format.line.color.rgb = c
        series.format.line.width = Pt(2.5)
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = c
        series.smooth = False
    _legend_below(chart, d)
    _axes(chart, d, cp, theme)


def style_composition(chart, d: M.ChartData, cp: ChartPlan, theme: "Theme") -> None:
    """A doughnut: values on the segments in paper colour, legend on the right."""
    plot = chart.plots[0]
    labels = plot.data_labels
    labels.show_value = True
    labels.font.color.rgb = color(theme, "paper")
    palette = theme.palette.chart
    for i, point in enumerate(plot.series[0].points):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = rgb(palette[i % len(palette)])
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.RIGHT
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(cp.tick_size)
