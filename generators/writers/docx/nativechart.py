"""Native, editable Word charts: the chart part and its workbook from writers/pptx/chartpart, packaged into the
document and placed inline in a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from generators import model as M
from generators.writers.pptx.chartpart import WORKBOOK_RID, native_chart_part

if TYPE_CHECKING:
    from generators.theme import Theme

CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CHART_PART = "/word/charts/chart%d.xml"
WORKBOOK_PART = "/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"

_INLINE = (
    f'<wp:inline {nsdecls("wp", "a", "c", "r")} distT="0" distB="0" distL="0" distR="0">'
    '<wp:extent/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr/><wp:cNvGraphicFramePr/>'
    f'<a:graphic><a:graphicData uri="{CHART_URI}"><c:chart/></a:graphicData></a:graphic></wp:inline>'
)


def add_chart(run, d: M.ChartData, theme: "Theme", size: tuple[int, int], title: str) -> None:
    """The chart `d` as a native, editable chart in `run`: chart part, embedded workbook, inline drawing."""
    document_part = run.part
    package = document_part.package
    chart_xml, workbook = native_chart_part(d, theme, size)
    chart = Part(package.next_partname(CHART_PART), CT.DML_CHART, chart_xml, package)
    book = Part(package.next_partname(WORKBOOK_PART), CT.SML_SHEET, workbook, package)
    if chart.relate_to(book, RT.PACKAGE) != WORKBOOK_RID:  # the id the chart XML names its data by
        raise RuntimeError("chart workbook related under another id than " + WORKBOOK_RID)
    inline = parse_xml(_INLINE)
    inline.find(qn("wp:extent")).set("cx", str(size[0]))
    inline.find(qn("wp:extent")).set("cy", str(size[1]))
    doc_pr = inline.find(qn("wp:docPr"))
    shape_id = document_part.next_id
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", f"图表 {shape_id}")
    doc_pr.set("descr", d.alt)
    doc_pr.set("title", title)
    inline.find(f".//{qn('c:chart')}").set(qn("r:id"), document_part.relate_to(chart, RT.CHART))
    run._r.add_drawing(inline)
