"""Every raw XML edit and private python-pptx attribute the deck writer needs, in one place."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from pptx.oxml.ns import qn

from generators.writers.ooxml import normalize_zip
from generators.writers.pptx.measure import BOLD_ROLES
from generators.writers.pptx.slides import TextPlan, TRun

if TYPE_CHECKING:
    from generators.theme import Theme

_RPR_AFTER_FONTS = {qn(f"a:{t}") for t in ("cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst")}
_DLBLS_ONLY = {qn(f"c:{t}") for t in ("showLeaderLines", "leaderLines", "extLst")}
SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


# ---- reading the template ---------------------------------------------------------------------

@dataclass(frozen=True)
class TextSettings:
    """A placeholder's text settings as its XML states them (None: not stated anywhere in the chain)."""

    size: float | None  # pt
    insets: tuple[int, int, int, int]  # l t r b, EMU
    margin: int
    indent: int
    space_before: float
    spacing: float
    prompt: str


def text_settings(ph, base, master, style: str) -> TextSettings:
    """Resolve layout placeholder → master placeholder `base` → master text style `style` (p:titleStyle …)."""
    chain = [x for x in (ph._element, base._element if base is not None else None) if x is not None]
    lvl1s = [x.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}") for x in chain]
    styles = master._element.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}")
    lvl1s = [x for x in [*lvl1s, styles] if x is not None]

    def attr(path: str | None, name: str):
        for lvl in lvl1s:
            node = lvl if path is None else lvl.find(path)
            if node is not None and node.get(name) is not None:
                return node.get(name)
        return None

    bodies = [b for b in (x.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}") for x in chain) if b is not None]

    def inset(name: str, default: int) -> int:
        return next((int(b.get(name)) for b in bodies if b.get(name) is not None), default)

    size = attr(qn("a:defRPr"), "sz")
    spc = attr(f"{qn('a:spcBef')}/{qn('a:spcPts')}", "val")
    line = attr(f"{qn('a:lnSpc')}/{qn('a:spcPct')}", "val")
    return TextSettings(
        size=int(size) / 100 if size else None,
        insets=(inset("lIns", 91440), inset("tIns", 45720), inset("rIns", 91440), inset("bIns", 45720)),
        margin=int(attr(None, "marL") or 0),
        indent=int(attr(None, "indent") or 0),
        space_before=int(spc) / 100 if spc else 0.0,
        spacing=int(line) / 100000 if line else 1.0,
        prompt="".join(t.text or "" for t in ph._element.iter(qn("a:t"))),
    )


# ---- text ---------------------------------------------------------------------------------------

def set_fonts(rpr, typeface: str) -> None:
    """Name the font in both the Latin and the East Asian slot (schema order: … latin, ea, cs …)."""
    for tag in ("latin", "ea"):
        for el in rpr.findall(qn(f"a:{tag}")):
            rpr.remove(el)
    after = next((c for c in rpr if c.tag in _RPR_AFTER_FONTS), None)
    for tag in ("latin", "ea"):
        el = etree.Element(qn(f"a:{tag}"), typeface=typeface)
        if after is not None:
            after.addprevious(el)
        else:
            rpr.append(el)


def _rpr(parent, run: TRun, size: float | None, theme: "Theme"):
    rpr = etree.SubElement(parent, qn("a:rPr"), lang="zh-CN", altLang="en-US")
    if size is not None:
        rpr.set("sz", str(round(size * run.scale * 100)))
    rpr.set("b", "1" if run.role in BOLD_ROLES else "0")
    if run.color:
        fill = etree.SubElement(rpr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=getattr(theme.palette, run.color)[1:].upper())
    set_fonts(rpr, theme.role(run.role).office)
    return rpr


def fill_text(txbody, t: TextPlan, theme: "Theme") -> None:
    """Replace a text body's paragraphs with the plan's: explicit size, exact spacing, fonts in both slots."""
    for p in txbody.findall(qn("a:p")):
        txbody.remove(p)
    if not t.paras:
        etree.SubElement(txbody, qn("a:p"))  # a text body holds at least one paragraph
    for para in t.paras:
        p = etree.SubElement(txbody, qn("a:p"))
        ppr = etree.SubElement(p, qn("a:pPr"), marL=str(t.margin if para.bullet else 0),
                               indent=str(t.indent if para.bullet else 0))
        if para.align:
            ppr.set("algn", para.align)
        if t.line_pt is not None:
            etree.SubElement(etree.SubElement(ppr, qn("a:lnSpc")), qn("a:spcPts"), val=str(round(t.line_pt * 100)))
        etree.SubElement(etree.SubElement(ppr, qn("a:spcBef")), qn("a:spcPts"),
                         val=str(round(t.space_before * 100)))
        if not para.bullet:
            etree.SubElement(ppr, qn("a:buNone"))
        for run in para.runs:
            r = etree.SubElement(p, qn("a:r"))
            _rpr(r, run, t.size, theme)
            etree.SubElement(r, qn("a:t")).text = run.text


def fill_frame(text_frame, t: TextPlan, theme: "Theme") -> None:
    """fill_text on a python-pptx text frame (placeholder, text box)."""
    fill_text(text_frame._txBody, t, theme)


def fill_notes(slide, t: TextPlan, theme: "Theme") -> None:
    fill_text(slide.notes_slide.notes_text_frame._txBody, t, theme)


# ---- shapes ---------------------------------------------------------------------------------------

def remove_shape(shape) -> None:
    el = shape._element
    el.getparent().remove(el)


def set_description(shape, text: str) -> None:
    """Alt text (cNvPr/@descr) of a picture or graphic frame: screen readers and search read it."""
    shape._element.find(f".//{qn('p:cNvPr')}").set("descr", text)


def add_furniture(slide, layout_ph, name: str, text: TextPlan, theme: "Theme") -> None:
    """Footer and slide number: copied from the layout (python-pptx does not), position and style inherited."""
    sp = copy.deepcopy(layout_ph._element)
    sp.nvSpPr.cNvPr.set("id", str(slide.shapes._next_shape_id))
    sp.nvSpPr.cNvPr.set("name", name)
    for child in list(sp.spPr):
        sp.spPr.remove(child)
    txbody = sp.find(qn("p:txBody"))
    style = txbody.find(qn("a:lstStyle"))
    for child in list(style if style is not None else ()):
        style.remove(child)
    old = txbody.find(f".//{qn('a:fld')}")
    fill_text(txbody, text, theme)
    if name == "页码":  # the number as a field, so it stays right when slides are moved
        r = txbody.find(f".//{qn('a:r')}")
        r.tag = qn("a:fld")
        r.set("id", old.get("id") if old is not None else SLIDENUM_FIELD_ID)
        r.set("type", "slidenum")
    slide.shapes._spTree.append(sp)


# ---- charts -------------------------------------------------------------------------------------

def upright_axis_title(axis) -> None:
    """Chinese reads upright, not turned 90°."""
    body = axis.axis_title.text_frame._bodyPr
    body.set("rot", "0")
    body.set("vert", "horz")


def cross_at_max(value_axis) -> None:
    """The value axis crosses the category axis at its far end (python-pptx sets this on the other axis only)."""
    value_axis._element.find(qn("c:crosses")).set("val", "max")


def signed_safe_axis_ids(chart) -> None:
    """python-pptx writes negative axis ids, which ST_UnsignedInt forbids; ids of 2^31 and more LibreOffice
    reads as signed 32-bit and merges into one axis (unit title on both axes, bars from the wrong end).
    So: the low 31 bits, unsigned and below 2^31 (still distinct for python-pptx's two fixed ids)."""
    for el in chart._chartSpace.iter(qn("c:axId"), qn("c:crossAx")):
        el.set("val", str(int(el.get("val")) & 0x7FFFFFFF))


def chart_fonts(chart, typeface: str) -> None:
    """Every run property of a chart names `typeface` in the Latin and East Asian slots."""
    for el in chart._chartSpace.iter(qn("a:defRPr"), qn("a:rPr"), qn("a:endParaRPr")):
        set_fonts(el, typeface)


def point_label_formats(chart, formats: list[list[str | None]]) -> None:
    """Own data label of each point whose format (formats[series][point]) is not None; the rest as the plot's."""
    plot = chart.plots[0]._element
    shared = plot.find(qn("c:dLbls"))
    for ser, fmts in zip(plot.iter(qn("c:ser")), formats, strict=False):
        if not any(fmts):
            continue
        dlbls = ser.get_or_add_dLbls()  # python-pptx puts it in schema order among the series' children
        for child in list(dlbls):
            dlbls.remove(child)
        for i, fmt in enumerate(fmts):
            if fmt is None:
                continue
            dlbl = etree.SubElement(dlbls, qn("c:dLbl"))
            etree.SubElement(dlbl, qn("c:idx"), val=str(i))
            for child in shared:
                if child.tag not in _DLBLS_ONLY:
                    dlbl.append(copy.deepcopy(child))
            dlbl.find(qn("c:numFmt")).set("formatCode", fmt)
        for child in shared:
            dlbls.append(copy.deepcopy(child))


def plain_chart_area(chart) -> None:
    """Square corners, no fill, no border: Word and Excel draw rounded corners and a frame when unstated."""
    cs = chart._chartSpace
    for old in cs.findall(qn("c:roundedCorners")) + cs.findall(qn("c:spPr")):  # some chart types come with them
        cs.remove(old)
    before = [c for c in cs if c.tag in (qn("c:date1904"), qn("c:lang"))]
    rounded = etree.Element(qn("c:roundedCorners"), val="0")
    if before:
        before[-1].addnext(rounded)
    else:
        cs.insert(0, rounded)
    sppr = etree.Element(qn("c:spPr"))
    etree.SubElement(sppr, qn("a:noFill"))
    etree.SubElement(etree.SubElement(sppr, qn("a:ln")), qn("a:noFill"))
    cs.find(qn("c:chart")).addnext(sppr)


# ---- the package --------------------------------------------------------------------------------

def remove_slides(prs) -> None:
    """Drop any slides a designer left in the template (examples): the deck is generated whole."""
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


def normalize_embedded(prs) -> None:
    """Chart workbooks carry their creation time: fix it and the zip dates so two runs give the same bytes."""
    for part in prs.part.package.iter_parts():
        if str(part.partname).endswith(".xlsx"):
            part._blob = normalize_workbook(part.blob)


def normalize_workbook(blob: bytes) -> bytes:
    """A chart workbook with a fixed creation time and fixed zip dates."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(name, data)
    return normalize_zip(out.getvalue())


def apply_theme(prs, theme: "Theme") -> None:
    """theme.toml into the opened deck template: the 12 theme colours (着色 1 …, which the layouts' reds refer
    to), the theme fonts, and the colour of every contract shape of the master and layouts (writers/theme_apply.py).

    A part is rewritten only when something differs, so an agreeing template keeps its exact bytes."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from generators.theme_contract import DECK_TEMPLATE
    from generators.writers.theme_apply import apply_deck_part, apply_office_theme

    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    before = etree.tostring(root)
    apply_office_theme(DECK_TEMPLATE, theme, root)
    if etree.tostring(root) != before:
        new = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        part._blob = new
    for master in prs.slide_masters:
        apply_deck_part(theme, master.element)
        for layout in master.slide_layouts:
            apply_deck_part(theme, layout.element)
