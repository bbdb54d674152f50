"""Native Word charts (issue 16 §1): a chart part and workbook per chart, exact figures, theme look, alt text."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import load_workbook

from generators import model as M
from generators.documents.common import Context
from generators.documents.common import chart as chart_block
from generators.theme import DocxTheme
from generators.writers import WriterEnv
from generators.writers import docx as writer
from tests.ooxml_schema import validate
from tests.test_briefings import ROOT, benv, build, built, ds, libreoffice_pdfs, make_env, needs_libreoffice, pdf_text  # noqa: F401 (fixtures)

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS = {"c": C, "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PLOT = {"column": ("barChart", "col"), "before_after": ("barChart", "col"), "bar": ("barChart", "bar"),
        "growth": ("barChart", "bar"), "composition": ("doughnutChart", None), "line": ("lineChart", None)}


@dataclass
class Native:
    """One inline chart of a .docx as Word finds it: drawing, chart part, its XML, its embedded workbook."""

    doc_pr: etree._Element
    part: object
    xml: etree._Element
    book_part: object

    @property
    def sheet(self):
        return load_workbook(io.BytesIO(self.book_part.blob)).active


def natives(path: Path | io.BytesIO) -> list[Native]:
    """Every inline chart, in document order, followed from document.xml through the relationships."""
    d = docx.Document(path if isinstance(path, io.BytesIO) else str(path))
    out = []
    for inline in d.element.body.iter(qn("wp:inline")):
        data = inline.find(f"{qn('a:graphic')}/{qn('a:graphicData')}")
        if data.get("uri") != C:
            continue
        part = d.part.related_parts[data.find(f"{{{C}}}chart").get(R_ID)]
        root = etree.fromstring(part.blob)
        book = part.rels[root.find("c:externalData", NS).get(R_ID)].target_part
        out.append(Native(inline.find(qn("wp:docPr")), part, root, book))
    return out


def shown(fmt: str, value: float) -> str:
    """A value as an Excel number format of this project's kind shows it: 0 / 0.00 / #,##0.0, optional "%"."""
    m = re.fullmatch(r'(#,##)?0(?:\.(0+))?("%")?', fmt)
    assert m, f"unexpected number format {fmt!r}"
    text = f"{value:{',' if m[1] else ''}.{len(m[2] or '')}f}"
    return text + ("%" if m[3] else "")


def percent(d: M.ChartData) -> str:
    return "%" if d.kind in ("growth", "composition") or d.unit == "%" else ""


def label_format(ser: etree._Element, plot: etree._Element, idx: int) -> str:
    """The number format Word applies to one point's data label: its own, the series', else the plot's."""
    for path in (f"c:dLbls/c:dLbl[c:idx/@val='{idx}']/c:numFmt", "c:dLbls/c:numFmt"):
        found = ser.xpath(path, namespaces=NS)
        if found:
            return found[0].get("formatCode")
    return plot.find("c:dLbls/c:numFmt", NS).get("formatCode")


def plot_of(xml: etree._Element) -> etree._Element:
    """The plot (c:barChart, c:lineChart …) of a chart part."""
    return next(e for e in xml.find("c:chart/c:plotArea", NS) if e.tag.endswith("Chart"))


def texts_of(xml: etree._Element, path: str) -> list[str]:
    return [v.text for v in xml.findall(path, NS)]


# ---- the shipped briefings ----------------------------------------------------------------------

def it_makes_every_chart_of_every_shipped_briefing_a_native_chart(built):
    for stem, (doc, path) in built.items():
        found = natives(path)
        assert len(found) == len(doc.charts()) > 0, stem
        for n, chart in enumerate(found, 1):
            assert chart.part.partname == f"/word/charts/chart{n}.xml" and chart.part.content_type == CT.DML_CHART
            assert chart.book_part.partname == f"/word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx"
            assert chart.book_part.content_type == CT.SML_SHEET
        d = docx.Document(str(path))
        assert [s.type for s in d.inline_shapes] == [WD_INLINE_SHAPE.CHART] * len(found), stem
        assert not [n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/media/")], stem
        again = io.BytesIO()
        d.save(again)  # python-docx reopens and rewrites them with every part kept
        assert len(natives(again)) == len(found), stem


def its_workbooks_hold_exactly_the_figures(built):
    for doc, path in built.values():
        for chart, c in zip(natives(path), doc.charts(), strict=False):
            d = c.data
            rows = list(chart.sheet.iter_rows())
            assert len(rows) == len(d.categories) + 1 and len(rows[0]) == len(d.series) + 1, d.id
            assert [cell.value for cell in rows[0][1:]] == [s.label for s in d.series], d.id
            assert tuple(r[0].value for r in rows[1:]) == d.categories, d.id
            for col, s in enumerate(d.series, 1):
                cells = [r[col] for r in rows[1:]]
                assert tuple(cell.value for cell in cells) == s.values, d.id
                assert [shown(cell.number_format, cell.value) for cell in cells] == [t + percent(d) for t in s.texts]


def it_names_the_same_categories_series_and_figures_in_the_chart_xml(built):
    for doc, path in built.values():
        for chart, c in zip(natives(path), doc.charts(), strict=False):
            d = c.data
            sers = chart.xml.findall(".//c:ser", NS)
            assert len(sers) == len(d.series), d.id
            n = len(d.categories)
            for col, (ser, s) in enumerate(zip(sers, d.series, strict=False)):
                letter = "BCDEFG"[col]
                assert texts_of(ser, "c:tx/c:strRef/c:strCache/c:pt/c:v") == [s.label]
                assert ser.find("c:tx/c:strRef/c:f", NS).text == f"Sheet1!${letter}$1"
                assert tuple(texts_of(ser, "c:cat/c:strRef/c:strCache/c:pt/c:v")) == d.categories, d.id
                assert ser.find("c:cat/c:strRef/c:f", NS).text == f"Sheet1!$A$2:$A${n + 1}"
                assert tuple(float(v) for v in texts_of(ser, "c:val/c:numRef/c:numCache/c:pt/c:v")) == s.values
                assert ser.find("c:val/c:numRef/c:f", NS).text == f"Sheet1!${letter}$2:${letter}${n + 1}"


def they_label_each_figure_as_published(built):
    """156.9 stays 156.9 and 87 stays 87 beside 24.31: no padding to the chart's largest decimals."""
    checked = 0
    for doc, path in built.values():
        for chart, c in zip(natives(path), doc.charts(), strict=False):
            plot = plot_of(chart.xml)
            assert plot.find("c:dLbls/c:showVal", NS).get("val") == "1"
            for ser, s in zip(plot.findall("c:ser", NS), c.data.series, strict=False):
                got = [shown(label_format(ser, plot, i), v) for i, v in enumerate(s.values)]
                assert got == [t + percent(c.data) for t in s.texts], c.data.id
                checked += len(got)
    assert checked > 20


def they_take_fonts_colours_and_unit_from_the_theme(built, benv):
    theme = benv.theme
    face = theme.role("caption").office
    for doc, path in built.values():
        for chart, c in zip(natives(path), doc.charts(), strict=False):
            runs = [*chart.xml.iter(f"{{{NS['a']}}}defRPr"), *chart.xml.iter(f"{{{NS['a']}}}rPr")]
            assert runs
            for rpr in runs:
                assert rpr.find("a:ea", NS).get("typeface") == face, c.data.id  # the East Asian slot
                assert rpr.find("a:latin", NS).get("typeface") == face, c.data.id
            fill = chart.xml.find(".//c:ser/c:spPr/a:solidFill/a:srgbClr", NS).get("val")
            assert "#" + fill in theme.palette.chart, c.data.id
            title = "".join(texts_of(chart.xml, ".//c:valAx/c:title//a:t"))
            assert title == "单位：" + c.data.unit, c.data.id
            ticks = chart.xml.find(".//c:valAx/c:numFmt", NS)  # plain ticks, not "50.00" linked to the data
            assert (ticks.get("formatCode"), ticks.get("sourceLinked")) == ("General", "0"), c.data.id
            assert chart.xml.find("c:chart/c:autoTitleDeleted", NS).get("val") == "1"  # the caption is 图N above


def they_describe_each_chart_for_screen_readers(built):
    for stem, (doc, path) in built.items():
        found = natives(path)
        for chart, c in zip(found, doc.charts(), strict=False):
            assert chart.doc_pr.get("descr") == c.data.alt and chart.doc_pr.get("title") == c.caption
        ids = [p.get("id") for p in docx.Document(str(path)).element.body.iter(qn("wp:docPr"))]
        assert len(set(ids)) == len(ids), stem


def they_have_axis_ids_every_reader_takes(built):
    """Unsigned (ECMA-376) and below 2^31: LibreOffice merges two larger ids into one axis."""
    for stem, (_doc, path) in built.items():
        for chart in natives(path):
            ids = [int(e.get("val")) for e in chart.xml.iter(f"{{{C}}}axId")]
            assert ids and all(0 <= i < 2 ** 31 for i in ids), stem
            axes = {int(a.find("c:axId", NS).get("val")): int(a.find("c:crossAx", NS).get("val"))
                    for a in chart.xml.find("c:chart/c:plotArea", NS) if a.find("c:crossAx", NS) is not None}
            assert len(axes) == 2 and all(axes[cross] == ax for ax, cross in axes.items()), stem


def it_fixes_the_workbook_dates(built):
    for stem, (_, path) in built.items():
        for chart in natives(path):
            z = zipfile.ZipFile(io.BytesIO(chart.book_part.blob))
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}, stem
            core = z.read("docProps/core.xml").decode()
            assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"] * 2, stem


# ---- every kind, pictures on request --------------------------------------------------------------

def _every_kind(ds) -> M.Document:
    """A briefing with every chart of data/charts.yaml and a line chart (none is shipped) with tricky labels."""
    doc = build(ds, ds.briefings["economy"], "economy")
    ctx = Context(ds, ds.year, ROOT / "assets" / "images")
    charts = [chart_block(ctx, cid) for cid in ds.charts]
    line = M.ChartData("line_demo", "line", "折线", "亿元", ("2015年", "2020年", "2024年"),
                       (M.Series("甲", (1.5, 2.25, 3.0), ("1.5", "2.25", "3.0")),
                        M.Series("乙", (1998.0, 2000.5, 2100.0), ("1,998", "2,000.5", "2,100"))),
                       "资料来源：示例", "折线示例", 2)
    charts.append(M.Chart(line, len(charts) + 1))
    return dataclasses.replace(doc, sections=(M.Section("all", "全部图表", number=1, blocks=tuple(charts)),))


def it_draws_every_chart_kind_natively_and_valid_by_the_standard(ds, benv, tmp_path):
    doc = _every_kind(ds)
    dest = tmp_path / "all.docx"
    writer.write(doc, benv, dest)
    found = natives(dest)
    assert {c.data.kind for c in doc.charts()} == set(PLOT) and len(found) == len(doc.charts())
    for chart, c in zip(found, doc.charts(), strict=False):
        tag, direction = PLOT[c.data.kind]
        plot = plot_of(chart.xml)
        assert plot.tag == f"{{{C}}}{tag}", c.data.id
        if direction:
            assert plot.find("c:barDir", NS).get("val") == direction
        for ser, s in zip(plot.findall("c:ser", NS), c.data.series, strict=False):
            assert [shown(label_format(ser, plot, i), v) for i, v in enumerate(s.values)] == \
                [t + percent(c.data) for t in s.texts], c.data.id
        assert tuple(r[0].value for r in list(chart.sheet.iter_rows())[1:]) == c.data.categories
    assert validate(dest) == []  # the chart parts add no finding of their own


def _kinds(path: Path) -> list[str]:
    d = docx.Document(str(path))
    return [g.get("uri") for g in d.element.body.iter(qn("a:graphicData"))]


def it_gives_pictures_when_the_spec_asks(ds, benv, tmp_path):
    spec = ds.briefings["economy"].model_copy(update={"charts": "picture"})
    doc = build(ds, spec, "economy")
    writer.write(doc, benv, tmp_path / "p.docx")
    assert _kinds(tmp_path / "p.docx") == [PICTURE_URI] * len(doc.charts())
    media = [n for n in zipfile.ZipFile(tmp_path / "p.docx").namelist() if n.startswith("word/")]
    assert not [n for n in media if "charts/" in n or "embeddings/" in n]
    assert len([n for n in media if n.endswith(".png")]) == len(doc.charts())


def it_gives_pictures_when_the_theme_asks_unless_the_spec_wants_native(ds, tmp_path):
    env = make_env(ROOT)
    env = WriterEnv(ROOT, env.theme.model_copy(update={"docx": DocxTheme(charts="picture")}), env.charts, env.glyphs)
    doc = build(ds, ds.briefings["ecology"], "ecology")
    writer.write(doc, env, tmp_path / "theme.docx")
    assert _kinds(tmp_path / "theme.docx") == [PICTURE_URI] * len(doc.charts())
    native = build(ds, ds.briefings["ecology"].model_copy(update={"charts": "native"}), "ecology")
    writer.write(native, env, tmp_path / "spec.docx")
    assert _kinds(tmp_path / "spec.docx") == [C] * len(doc.charts())


def it_rejects_an_unknown_chart_mode_in_the_theme():
    with pytest.raises(ValueError, match="native（可编辑图表）或 picture（图片）"):
        DocxTheme(charts="图片")


# ---- LibreOffice draws them ------------------------------------------------------------------------

@needs_libreoffice
def it_has_libreoffice_draw_the_category_and_data_labels(built, tmp_path):
    """Each label is in the PDF text more often than the body text has it: the chart itself drew it."""
    picks = [built[s] for s in ("economy", "party")]
    pdfs = libreoffice_pdfs([p for _, p in picks], tmp_path)
    for doc, path in picks:
        text = re.sub(r"\s", "", pdf_text(pdfs[path]))
        body = re.sub(r"\s", "", "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
                      + "".join(c.text for t in docx.Document(str(path)).tables for r in t.rows for c in r.cells))
        want = Counter()
        for c in doc.charts():
            want.update(c.data.categories)
            want.update(t + percent(c.data) for s in c.data.series for t in s.texts)
            want["单位：" + c.data.unit] += 1
        for label, n in want.items():
            label = re.sub(r"\s", "", label)
            assert text.count(label) >= body.count(label) + n, f"{path.name}: “{label}” not drawn"
