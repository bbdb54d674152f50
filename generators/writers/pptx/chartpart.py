"""A native chart part and its workbook, drawn with the deck's stylers, for other Office writers (Word)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter

from generators import model as M
from generators.writers.pptx import xml
from generators.writers.pptx.charts import chart_data, chart_type, label_formats, style_chart
from generators.writers.pptx.slides import ChartPlan

if TYPE_CHECKING:
    from generators.theme import Theme

#: The relationship id by which the chart XML names its workbook (c:externalData/@r:id): a fresh chart
#: part's first relationship, so the packaging writer must relate the workbook to the chart part first.
WORKBOOK_RID = "rId1"
_BLANK_LAYOUT = 6


class _Workbook(CategoryWorkbookWriter):
    """python-pptx's worksheet layout; each value cell in the format its figure is printed with."""

    def __init__(self, chart_data, formats: list[list[str]]):
        super().__init__(chart_data)
        self._formats = formats

    def _write_series(self, workbook, worksheet):
        col_offset = self._chart_data.categories.depth
        styles: dict[str, object] = {}
        for idx, (series, fmts) in enumerate(zip(self._chart_data, self._formats, strict=False)):
            col = idx + col_offset
            worksheet.write(0, col, series.name)
            for row, (value, fmt) in enumerate(zip(series.values, fmts, strict=False), 1):
                if fmt not in styles:
                    styles[fmt] = workbook.add_format({"num_format": fmt})
                worksheet.write_number(row, col, value, styles[fmt])


def _data(d: M.ChartData) -> CategoryChartData:
    formats = label_formats(d)

    class _Data(CategoryChartData):
        @cached_property
        def _workbook_writer(self):  # python-pptx's hook for the worksheet writer
            return _Workbook(self, formats)

    return chart_data(d, _Data)


def _plain_ticks(chart) -> None:
    """Value ticks as plain numbers (the labels carry the figures); Word would link them to "0.00"."""
    try:
        ticks = chart.value_axis.tick_labels
    except ValueError:  # a doughnut has no value axis
        return
    ticks.number_format = "General"
    ticks.number_format_is_linked = False


def native_chart_part(d: M.ChartData, theme: "Theme", size: tuple[int, int]) -> tuple[bytes, bytes]:
    """(chart XML, embedded .xlsx) of the chart `d` at `size` (EMU): the deck's styler for its kind, the
    theme's chart sizes, labels exactly as the figures are printed, reproducible workbook bytes."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[_BLANK_LAYOUT])
    frame = slide.shapes.add_chart(chart_type(d), 0, 0, size[0], size[1], _data(d))
    chart = frame.chart
    style_chart(chart, ChartPlan(M.Chart(d, 0), theme.chart.label_size, theme.chart.tick_size), theme)
    _plain_ticks(chart)
    xml.plain_chart_area(chart)
    part = frame.chart_part
    workbook = part.chart_workbook.xlsx_part
    if part.rels[WORKBOOK_RID].target_part is not workbook:
        raise RuntimeError("python-pptx named the chart workbook other than " + WORKBOOK_RID)
    return part.blob, xml.normalize_workbook(workbook.blob)
