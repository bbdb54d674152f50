"""An openpyxl workbook as reproducible .xlsx bytes that Excel opens without repairing or rewriting.

openpyxl 3.1 writes every text cell as an inline string (Excel moves them all into a new shared-strings
part on the next save) and the default font's children in an order the ECMA-376 schema rejects
(`color` after `name`/`family`). Both are put right here, on the saved package, before the zip is fixed.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from generators.writers.ooxml import normalize_zip

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_PART = "xl/sharedStrings.xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
# CT_Font children in schema order (ECMA-376 Part 1, §18.8.22; the order Excel itself writes).
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
              "name", "family", "charset", "scheme")


def package_bytes(wb: Any) -> bytes:
    """Serialise without openpyxl's `modified = now`, then fix the parts and fix the zip dates and order."""
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # save_workbook() would stamp properties.modified with now()
    return normalize_zip(_fix_parts(raw.getvalue()))


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fix_parts(data: bytes) -> bytes:
    """The package with shared strings instead of inline strings and font children in schema order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: src.read(name) for name in src.namelist()}
    parts["xl/styles.xml"] = _order_fonts(parts["xl/styles.xml"])
    strings: dict[bytes, int] = {}
    items: list[etree._Element] = []
    refs = 0
    for name in sorted(n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml")):
        parts[name], used = _share_strings(parts[name], strings, items)
        refs += used
    if items:
        parts[SST_PART] = _sst(items, refs)
        parts["[Content_Types].xml"] = _add_override(parts["[Content_Types].xml"])
        parts[WORKBOOK_RELS] = _add_relationship(parts[WORKBOOK_RELS])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, blob in parts.items():
            dst.writestr(name, blob)
    return out.getvalue()


def _order_fonts(styles: bytes) -> bytes:
    root = etree.fromstring(styles)
    rank = {_q(tag): i for i, tag in enumerate(FONT_ORDER)}
    for font in root.iter(_q("font")):
        children = list(font)
        children.sort(key=lambda el: rank.get(el.tag, len(rank)))  # stable: unknown children keep their place last
        font[:] = children
    return _xml(root)


def _share_strings(sheet: bytes, strings: dict[bytes, int], items: list[etree._Element]) -> tuple[bytes, int]:
    """Turn each `<c t="inlineStr"><is>…</is></c>` into `<c t="s"><v>N</v></c>`; returns (part, cells changed)."""
    root = etree.fromstring(sheet)
    used = 0
    for cell in root.iter(_q("c")):
        if cell.get("t") != "inlineStr":
            continue
        inline = cell.find(_q("is"))
        if inline is None:  # an empty text cell: no string at all
            del cell.attrib["t"]
            continue
        key = etree.tostring(inline, method="c14n")
        if key not in strings:
            strings[key] = len(items)
            item = etree.Element(_q("si"))
            item.extend(list(inline))
            items.append(item)
        value = etree.Element(_q("v"))
        value.text = str(strings[key])
        cell.replace(inline, value)
        cell.set("t", "s")
        used += 1
    return _xml(root), used


def _sst(items: list[etree._Element], refs: int) -> bytes:
    root = etree.Element(_q("sst"), nsmap={None: MAIN}, count=str(refs), uniqueCount=str(len(items)))
    root.extend(items)
    return _xml(root)


def _add_override(types: bytes) -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    root = etree.fromstring(types)
    etree.SubElement(root, f"{{{ns}}}Override", PartName="/" + SST_PART, ContentType=SST_TYPE)
    return _xml(root)


def _add_relationship(rels: bytes) -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    root = etree.fromstring(rels)
    taken = {r.get("Id") for r in root}
    n = len(taken) + 1
    while f"rId{n}" in taken:
        n += 1
    etree.SubElement(root, f"{{{ns}}}Relationship", Type=SST_REL, Target="sharedStrings.xml", Id=f"rId{n}")
    return _xml(root)
