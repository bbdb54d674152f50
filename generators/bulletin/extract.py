"""A bulletin file's text: .txt (UTF-8 or GB18030), .html (stdlib parser), .docx (its XML), .pdf (text layer).

Each reader returns lines: one paragraph, heading or table row a line (table cells joined by a tab), and says
whether the lines are a PDF's (whose lines break inside sentences and words). Every failure is an InputError
naming the file, in Chinese.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from generators.errors import InputError, Problem
from generators.load.textio import read_text, shown

MAX_BYTES = 30 * 1024 * 1024  # a county bulletin is well under 5 MB, even with photos in the .docx
MAX_XML_BYTES = 40 * 1024 * 1024  # word/document.xml unpacked: refuses a zip bomb before it is inflated
MAX_PAGES = 400
SUFFIXES = (".docx", ".pdf", ".txt", ".html", ".htm")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"


@dataclass
class Extracted:
    lines: list[str]
    pdf: bool = False


def extract(path: Path) -> Extracted:
    """The text of a bulletin file, or an InputError (wrong kind, unreadable, scanned PDF without text)."""
    where = shown(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(Problem(where, message="不是可以读取的统计公报文件",
                                 expected="Word 文档 .docx、有文字层的 .pdf、文本 .txt 或网页 .html",
                                 found=suffix or "（没有扩展名）"))
    if not path.is_file():
        raise InputError(Problem(where, message="找不到文件"))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(Problem(where, message="文件过大", expected=f"不超过 {MAX_BYTES // 1024 // 1024} MB",
                                 found=f"{size / 1024 / 1024:.1f} MB"))
    if suffix == ".docx":
        return Extracted(_docx_lines(path, where))
    if suffix == ".pdf":
        return Extracted(_pdf_lines(path, where), pdf=True)
    text, _ = read_text(path, limit=MAX_BYTES)
    if suffix == ".txt":
        return Extracted(text.splitlines())
    return Extracted(html_lines(text))


# ---- .docx ----------------------------------------------------------------------------------------------

def _docx_lines(path: Path, where: str) -> list[str]:
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise InputError(Problem(where, message="Word 文档的正文过大，不像统计公报"))
            xml = z.read(info)
    except (zipfile.BadZipFile, KeyError, OSError):
        raise InputError(Problem(where, message="无法作为 Word 文档 .docx 读取（.doc 或 .wps 请在 Word/WPS 中“另存为”"
                                 "→“Word 文档(*.docx)”）")) from None
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # Word never writes one; an entity could expand without bound
        raise InputError(Problem(where, message="Word 文档的正文含 DOCTYPE/ENTITY 声明，拒绝读取"))
    xml = xml.replace(_STRICT, _W[1:-1].encode())  # Word's “Strict Open XML” names the same elements otherwise
    try:
        body = ElementTree.fromstring(xml).find(f"{_W}body")
    except ElementTree.ParseError:
        raise InputError(Problem(where, message="Word 文档已损坏（正文不是有效的 XML）")) from None
    lines: list[str] = []
    for block in body if body is not None else []:
        if block.tag == f"{_W}p":
            lines.append(_para_text(block))
        elif block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                cells = ["".join(_para_text(p) for p in tc.iter(f"{_W}p")) for tc in row.iter(f"{_W}tc")]
                lines.append("\t".join(cells))
        elif block.tag == f"{_W}sdt":  # a content control around paragraphs
            lines += [_para_text(p) for p in block.iter(f"{_W}p")]
    return lines


def _para_text(p: ElementTree.Element) -> str:
    out = []
    for el in p.iter():
        if el.tag == f"{_W}t" and el.text:
            out.append(el.text)
        elif el.tag == f"{_W}tab":
            out.append("\t")
        elif el.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
    return "".join(out)


# ---- .pdf -----------------------------------------------------------------------------------------------

def _pdf_lines(path: Path, where: str) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        raise InputError(Problem(where, message="无法作为 PDF 读取（文件损坏、加密或不是 PDF）")) from None
    try:
        if len(pdf) > MAX_PAGES:
            raise InputError(Problem(where, message="PDF 页数过多，不像统计公报", expected=f"不超过 {MAX_PAGES} 页",
                                     found=f"{len(pdf)} 页"))
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            pages.append(tp.get_text_range())
            tp.close()
            page.close()
    finally:
        pdf.close()
    text = "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n")
    if sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") < 20 * max(1, len(pages)) // 2:
        raise InputError(Problem(where, message="PDF 中没有可读取的文字（可能是扫描件或图片）；请向统计局要 Word 版或网页版"
                                 "公报，或把网页上的公报文字复制到 .txt 文件后再读取"))
    return pdf_tables(text.split("\n"))


_HEAD_WORDS = ("单位", "指标", "增长", "比上年")
_CELL_NUMBER = re.compile(r"^[-−－]?[0-9０-９][0-9０-９,.．]*$")


def pdf_tables(lines: list[str]) -> list[str]:
    """A PDF's table rows come out as cells separated by spaces: after a header line (三 or more cells, one of
    单位/指标/增长/比上年, no number), each following line of exactly as many cells, a number among them, becomes a tab row (a row with an empty
    cell is left as text: which column it lacks cannot be told)."""
    out: list[str] = []
    width = 0
    for line in lines:
        cells = line.split()
        numbers = [c for c in cells if _CELL_NUMBER.match(c)]
        plain = not re.search(r"[，。；！？]", line)
        if plain and len(cells) >= 3 and not numbers and any(w in line for w in _HEAD_WORDS):
            width = len(cells)
            out.append("\t".join(cells))
        elif plain and width and numbers and len(cells) == width:
            out.append("\t".join(cells))
        else:
            width = 0
            out.append(line)
    return out


# ---- .html ----------------------------------------------------------------------------------------------

_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
          "title", "ul", "ol", "dd", "dt", "blockquote"}
_SKIP = {"script", "style", "noscript", "template"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.cell = 0  # inside a table cell, a <p> or <br> does not end the row

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skip += 1
        if tag in ("td", "th"):
            self.cell += 1
            self.parts.append("\t")
        elif tag in ("tr", "table"):
            self.cell = 0
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("" if self.cell else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip:
            self.skip -= 1
        if tag in ("td", "th"):
            self.cell = max(0, self.cell - 1)
        elif tag in ("tr", "table"):
            self.cell = 0
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("" if self.cell else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_lines(text: str) -> list[str]:
    """Visible text of a web page, one block a line (table cells separated by tabs)."""
    parser = _Text()
    parser.feed(text)
    parser.close()
    lines = []
    for line in "".join(parser.parts).split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > 1:
            cells = cells[1:] if not cells[0] else cells  # the tab before the first cell
            lines.append("\t".join(cells) if any(cells) else "")
        else:
            lines.append(line.strip())
    return lines
