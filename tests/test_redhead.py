"""The 简报 and the 公文 as an office issues them (issue 28), measured on LibreOffice's PDF of the Word file:
GB/T 9704-2012's 版头 (红头 35 mm under the top of the 版心, the red line 4 mm under the 发文字号, 156 mm long),
版心 156 x 225 mm with 22 lines, the 版记 at the foot of the last page between its rules; the 简报's 报头 and
报尾; and the bad inputs an office meets (wrong brackets, a leading zero, a reused 期号, a 上行文 without 签发人)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from generators.documents import briefing
from generators.load import load_dataset
from generators.load import specs as S
from generators.writers import docx as writer
from tests.conftest import ROOT, run_cli, tree_digest
from tests.test_briefings import libreoffice_pdfs, make_env

pdfium = pytest.importorskip("pypdfium2")
needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                  reason="LibreOffice 或 poppler-utils 未安装")

SCALE = 8  # pixels per point of the rendered pages
PT_MM = 25.4 / 72
TOP, BOTTOM, LEFT, WIDTH = 37.0, 297.0 - 35.0, 28.0, 156.0  # the 版心 of GB/T 9704-2012 (mm)

PARAGRAPH = ("全县上下坚持以人民为中心的发展思想，统筹推进各项工作，持续改善群众生产生活条件，"
             "不断增强人民群众的获得感、幸福感、安全感，各项事业取得新的进展。")

BASE = {"title": "衡南县基层治理工作情况", "sections": [{"title": "总体情况", "blocks": [{"p": PARAGRAPH}]}]}
GONGWEN = {**BASE, "preset": "公文", "copy_no": "000012", "secrecy": "秘密★1年", "urgency": "特急",
           "doc_number": "衡南办发〔2025〕3号", "addressee": "各乡镇党委，县直各单位", "date": "2025-03-05",
           "attachments": ["基层党建工作要点", "屋场党小组建设情况统计表"],
           "cc": "市委办公室，县人大常委会办公室，县政府办公室，县政协办公室"}
GOVERNMENT = {**GONGWEN, "authority": "衡南县人民政府办公室文件", "code": "衡南政办发", "doc_number": "衡南政办发〔2025〕2号"}
UPWARD = {**BASE, "preset": "公文", "doc_number": "衡南办〔2025〕12号", "signer": "张三",
          "addressee": "中共衡阳市委办公室", "date": "2025年3月5日"}
JIANBAO = {**BASE, "preset": "简报", "number": 7, "total_number": 12, "date": "2025年3月5日", "copies": 100,
           "editor_note": "现将有关情况印发给你们，请结合实际学习借鉴。"}
LONG = {**GONGWEN, "sections": [{"title": "总体情况", "blocks": [{"p": PARAGRAPH * 3}] * 14}]}
# Charts among paragraphs of different lengths: several fall where a page has too little room left for them.
_MIXED = [{"p": PARAGRAPH}, {"chart": "gdp_levels"}, {"p": PARAGRAPH * 2}, {"p": PARAGRAPH}, {"p": PARAGRAPH * 2},
          {"chart": "gdp_levels"}, {"p": PARAGRAPH * 3}, {"p": PARAGRAPH}, {"chart": "gdp_levels"},
          {"p": PARAGRAPH * 2}, {"p": PARAGRAPH * 2}, {"p": PARAGRAPH}, {"chart": "gdp_levels"}, {"p": PARAGRAPH * 3},
          {"p": PARAGRAPH * 2}, {"p": PARAGRAPH}]
FLOATS = {f"floats-{preset}": {**BASE, "preset": preset, "date": "2025年3月5日", "number": 9, "sections": [
    {"title": "总体情况", "blocks": [{"p": PARAGRAPH * k} for k in (1, 2, 3)]}, {"title": "重点工作", "blocks": _MIXED}]}
    for preset in ("公文", "简报", "专题")}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    ds = load_dataset(ROOT / "data")
    env = make_env(ROOT)
    out = tmp_path_factory.mktemp("redhead")
    files = {}
    for name, raw in {"gongwen": GONGWEN, "government": GOVERNMENT, "upward": UPWARD, "jianbao": JIANBAO, "long": LONG,
                      **FLOATS}.items():
        spec = S.BriefingSpec.model_validate(raw)
        dest = out / f"{name}.docx"
        writer.write(briefing.build(ds, spec, f"test-{name}", ds.year, ROOT / "assets" / "images"), env, dest)
        files[name] = dest
    if not shutil.which("soffice"):
        return {k: v for k, v in files.items()}
    converted = libreoffice_pdfs(list(files.values()), out)
    return {k: converted[v] for k, v in files.items()} | {f"{k}.docx": v for k, v in files.items()}


def _page(pdf: Path, index: int):
    doc = pdfium.PdfDocument(str(pdf))
    return doc[index if index >= 0 else len(doc) + index].render(scale=SCALE).to_pil().convert("RGB")


def _mm(px: float) -> float:
    return px / SCALE * PT_MM


def rules(pdf: Path, index: int, red: bool, min_mm: float = 100) -> list[tuple[float, float, float, float]]:
    """Horizontal lines at least `min_mm` long on a page (the longest of each row): (top mm, thickness mm, left mm,
    length mm)."""
    im = _page(pdf, index)
    px, (w, h) = im.load(), im.size
    rows = []
    for y in range(h):
        best, start = 0, None
        best_at = 0
        for x in range(w):
            r, g, b = px[x, y]
            hit = (r > 180 and g < 90 and b < 90) if red else (r < 90 and g < 90 and b < 90)
            if hit and start is None:
                start = x
            if (not hit or x == w - 1) and start is not None:
                if x - start > best:
                    best, best_at = x - start, start
                start = None
        if _mm(best) >= min_mm:
            rows.append((y, best_at, best))
    out: list[list[float]] = []
    for y, x0, n in rows:
        if out and y - out[-1][4] <= 1:
            out[-1][4] = y
        else:
            out.append([y, 0.0, x0, n, y])
    return [(_mm(y0), _mm(y1 - y0 + 1), _mm(x0), _mm(n)) for y0, _t, x0, n, y1 in out]


def red_runs(pdf: Path, index: int, y_mm: float, min_mm: float = 20) -> list[tuple[float, float]]:
    """The red runs at least `min_mm` long on the pixel row at `y_mm`, left to right: (left mm, length mm)."""
    im = _page(pdf, index)
    px, w = im.load(), im.size[0]
    y = int(y_mm / PT_MM * SCALE)
    out, start = [], None
    for x in range(w + 1):
        hit = x < w and (lambda c: c[0] > 180 and c[1] < 90 and c[2] < 90)(px[x, y])
        if hit and start is None:
            start = x
        elif not hit and start is not None:
            if _mm(x - start) >= min_mm:
                out.append((_mm(start), _mm(x - start)))
            start = None
    return out


def ink_rows(pdf: Path, index: int, x_mm: tuple[float, float], y_mm: tuple[float, float], red: bool = False):
    """(first, last) row in mm with ink (red ink) inside the box."""
    im = _page(pdf, index)
    px = im.load()
    k = 1 / PT_MM * SCALE
    found = [y for y in range(int(y_mm[0] * k), int(y_mm[1] * k))
             if any((lambda c: (c[0] > 180 and c[1] < 90) if red else sum(c) < 300)(px[x, y])
                    for x in range(int(x_mm[0] * k), int(x_mm[1] * k), 2))]
    return (found[0] / k, found[-1] / k) if found else None


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every word of pdftotext -bbox in mm: (xmin, ymin, xmax, ymax, text)."""
    import re

    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        pages.append([(float(a) * PT_MM, float(b) * PT_MM, float(c) * PT_MM, float(d) * PT_MM, t) for a, b, c, d, t in
                      re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)])
    return pages


def text_lines(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, the words grouped into lines (pdftotext splits Chinese from digits): (xmin, ymin, xmax, ymax, text)."""
    out = []
    for page in words(pdf):
        lines: list[list[tuple[float, float, float, float, str]]] = []
        for w in sorted(page, key=lambda w: (round(w[3], 0), w[0])):
            if lines and abs(lines[-1][-1][3] - w[3]) <= 0.8:
                lines[-1].append(w)
            else:
                lines.append([w])
        out.append([(min(w[0] for w in ln), min(w[1] for w in ln), max(w[2] for w in ln), max(w[3] for w in ln),
                     "".join(w[4] for w in sorted(ln))) for ln in lines])
    return out


def _folio(text: str) -> bool:
    """The page number line "— N —"."""
    return text.replace("—", "").strip().isdigit()


# ---- 公文 --------------------------------------------------------------------------------------------------

@needs_office
def its_red_line_is_the_width_of_the_text_block_4_mm_under_the_document_number(pdfs):
    red = rules(pdfs["government"], 0, red=True)
    assert len(red) == 1, red
    top, thick, left, length = red[0]
    assert abs(length - WIDTH) <= 0.6 and abs(left - LEFT) <= 0.6, red
    glyphs = ink_rows(pdfs["government"], 0, (60, 150), (top - 15, top - 0.3))
    assert glyphs is not None
    assert 3.3 <= top - glyphs[1] <= 4.7, f"red line {top - glyphs[1]:.2f} mm under the 发文字号"
    assert ink_rows(pdfs["government"], 0, (LEFT + WIDTH / 2 - 3, LEFT + WIDTH / 2 + 3), (top - 3, top + 3),
                    red=True) == ink_rows(pdfs["government"], 0, (LEFT + 20, LEFT + 26), (top - 3, top + 3), red=True)


@needs_office
def its_party_organ_has_a_red_star_in_the_middle_of_the_red_line(pdfs):
    """中共…文件 (a Party organ): the red line under the 发文字号 breaks for a red ★ centred on it; the line
    still spans the 版心 and stays 4 mm under the 发文字号, which stays centred."""
    red = rules(pdfs["gongwen"], 0, red=True, min_mm=60)
    assert len(red) == 1, red  # one row of rules (the longest segment of each row)
    top, _t = red[0][:2]
    runs = red_runs(pdfs["gongwen"], 0, top + _t / 2)
    assert len(runs) == 2, runs  # left and right of the star
    (left_a, len_a), (left_b, len_b) = runs
    assert abs(left_a - LEFT) <= 0.6 and abs(left_b + len_b - (LEFT + WIDTH)) <= 0.6, red
    gap = (left_a + len_a, left_b)
    assert abs((gap[0] + gap[1]) / 2 - (LEFT + WIDTH / 2)) <= 0.5 and 4 <= gap[1] - gap[0] <= 12, gap
    star = ink_rows(pdfs["gongwen"], 0, gap, (top - 8, top + 8), red=True)
    assert star is not None and abs((star[0] + star[1]) / 2 - (top + _t / 2)) <= 0.5, (star, top)
    glyphs = ink_rows(pdfs["gongwen"], 0, (60, gap[0] - 1), (top - 15, top - 0.3))  # left of the ★
    assert glyphs is not None and 3.3 <= top - glyphs[1] <= 4.7, (glyphs, top)
    number = [ln for ln in text_lines(pdfs["gongwen"])[0] if "〔2025〕" in ln[4]]
    assert number and abs((number[0][0] + number[0][2]) / 2 - (LEFT + WIDTH / 2)) <= 1.0, number  # still centred


@needs_office
def its_issuing_authority_is_red_35_mm_under_the_top_of_the_text_block(pdfs):
    for name in ("gongwen", "upward"):  # with 份号, 密级 and 紧急程度 above it, and without
        mark = ink_rows(pdfs[name], 0, (LEFT, LEFT + WIDTH), (TOP, 110), red=True)
        assert mark is not None and abs(mark[0] - TOP - 35) <= 1.0, (name, mark)
    first = text_lines(pdfs["gongwen"])[0]
    assert [w[4] for w in first[:3]] == ["000012", "秘密★1年", "特急"]
    assert all(abs(w[0] - LEFT) <= 0.6 for w in first[:3])  # top left, 顶格


@needs_office
def its_upward_document_number_and_signer_share_one_line(pdfs):
    line = next(ln for ln in text_lines(pdfs["upward"])[0] if ln[4].startswith("衡南办〔2025〕12号"))
    assert line[4].endswith("签发人：张三")  # one line
    assert abs(line[0] - (LEFT + 16 * PT_MM)) <= 1.0  # 居左空一字
    assert abs(line[2] - (LEFT + WIDTH - 16 * PT_MM)) <= 1.5  # 居右空一字


@needs_office
def its_record_sits_at_the_foot_of_the_last_page_between_its_rules(pdfs):
    for name in ("gongwen", "long"):  # the body ends high on its page, and the body fills pages
        black = rules(pdfs[name], -1, red=False)
        record = [r for r in black if r[0] > 200]
        assert len(record) == 3, record  # first rule, the thin rule between 抄送 and 印发, last rule
        assert abs(record[-1][0] + record[-1][1] - BOTTOM) <= 0.6, record  # the last rule: the foot of the 版心
        assert all(abs(r[3] - WIDTH) <= 0.6 for r in record)
        assert record[0][1] > record[1][1] and record[2][1] > record[1][1]  # 粗线 first and last, 细线 between
        assert 0.28 <= record[0][1] <= 0.45 and 0.18 <= record[1][1] <= 0.3
    last = text_lines(pdfs["gongwen"])[-1]
    printed = [w for w in last if w[4].endswith("印发")]
    assert printed and abs(printed[0][2] - (LEFT + WIDTH - 14 * PT_MM)) <= 1.5  # 印发日期 右空一字


@needs_office
def its_pages_hold_22_lines_inside_the_156_by_225_mm_text_block(pdfs):
    pages = text_lines(pdfs["long"])
    assert len(pages) >= 3
    for page in pages:
        body = [w for w in page if not _folio(w[4])]
        # LibreOffice hangs a closing mark (，。、) past the margin rather than squeeze the line (悬挂标点)
        inside = [w for w in body if LEFT - 0.6 <= w[0] and (w[2] <= LEFT + WIDTH + 0.6 or (
            w[4][-1] in "，。、；：！？”）" and w[2] <= LEFT + WIDTH + 16 * PT_MM + 0.6))]
        assert inside == body, [w for w in body if w not in inside]
        assert all(TOP - 1.5 <= w[1] and w[3] <= BOTTOM + 1.5 for w in body), \
            [w for w in body if not (TOP - 1.5 <= w[1] and w[3] <= BOTTOM + 1.5)]
    assert len([w for w in pages[1] if not _folio(w[4])]) == 22


@needs_office
def its_signature_is_centred_over_the_date_four_characters_from_the_right(pdfs):
    last = text_lines(pdfs["gongwen"])[-1]
    at = next(i for i, w in enumerate(last) if w[4] == "2025年3月5日")
    date, name = last[at], last[at - 1]
    assert abs(date[2] - (LEFT + WIDTH - 4 * 16 * PT_MM)) <= 1.5  # 右空四字
    assert name[4] == "中共衡南县委办公室" and 9 <= date[1] - name[1] <= 11.5  # the line above
    # centred over the date, within half a character: the writer counts a digit as half a character (仿宋_GB2312's
    # digits); the font LibreOffice draws in its place here has wider ones
    assert abs((name[0] + name[2]) / 2 - (date[0] + date[2]) / 2) <= 3.0


def it_writes_no_bullets_in_a_gongwen_and_numbers_its_attachments(pdfs):
    d = docx.Document(str(pdfs["gongwen.docx"]))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "●" not in text and "附件：1.基层党建工作要点\n2.屋场党小组建设情况统计表" in text
    assert "主送" not in text and "各乡镇党委，县直各单位：" in text  # full-width colon
    assert "抄送：市委办公室，县人大常委会办公室，县政府办公室，县政协办公室。" in text
    numbering = d.part.numbering_part.element if d.part.numbering_part is not None else None
    used = {p._p.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) for p in d.paragraphs}
    assert "BriefPoint" not in used or numbering is None


# ---- 简报 --------------------------------------------------------------------------------------------------

@needs_office
def its_jianbao_has_the_masthead_and_the_tail_where_offices_put_them(pdfs):
    pdf = pdfs["jianbao"]
    red = rules(pdf, 0, red=True)
    assert len(red) == 1 and abs(red[0][3] - WIDTH) <= 0.6, red
    first = text_lines(pdf)[0]
    text = "".join(w[4] for w in first)
    assert "第7期（总第12期）" in text and "内部资料" in text
    mark = ink_rows(pdf, 0, (LEFT, LEFT + WIDTH), (TOP, red[0][0]), red=True)
    assert mark is not None and mark[1] < red[0][0]  # the name in red above the red rule
    line = [w for w in first if abs(w[3] - (red[0][0] - 2)) <= 4]
    assert line and abs(line[0][0] - LEFT) <= 0.6 and abs(line[-1][2] - (LEFT + WIDTH)) <= 0.8  # 编印单位 … 日期
    tail = [r for r in rules(pdf, -1, red=False) if r[0] > 200]
    assert len(tail) == 2 and abs(tail[-1][0] + tail[-1][1] - BOTTOM) <= 0.6, tail
    last = text_lines(pdf)[-1]
    copies = [w for w in last if w[4].startswith("（共印100份")]
    assert copies and abs(copies[0][2] - (LEFT + WIDTH)) <= 0.8
    assert {"报：", "送：", "发："} <= {w[4][:2] for w in last}


def its_editor_note_leads_with_its_own_style(pdfs):
    d = docx.Document(str(pdfs["jianbao.docx"]))
    note = next(p for p in d.paragraphs if p.style.name == "编者按")
    assert note.runs[0].text == "编者按：" and note.runs[0].style.name == "编者按字样"


# ---- bad input: exit 2, a located Chinese message, nothing written ------------------------------------------

BAD = [
    ("brackets", {**GONGWEN, "doc_number": "衡南办发[2025]3号"}, "六角括号"),
    ("zero", {**GONGWEN, "doc_number": "衡南办发〔2025〕03号"}, "不加 0"),
    ("di", {**GONGWEN, "doc_number": "衡南办发〔2025〕第3号"}, "不加“第”"),
    ("upward", {**UPWARD, "signer": None, "direction": "上行文"}, "签发人"),
    ("reused", {**JIANBAO, "number": 1}, "期号 1 已被使用"),
    ("date", {**GONGWEN, "date": "2025年"}, "年月日"),
]


@pytest.mark.parametrize("case, raw, words_", BAD, ids=[c for c, _r, _w in BAD])
def it_refuses_bad_frames_with_exit_2_and_writes_nothing(project: Path, case: str, raw: dict, words_: str):
    spec = project / "data" / "会前.yaml"
    spec.write_text(yaml.safe_dump({k: v for k, v in raw.items() if v is not None}, allow_unicode=True),
                    encoding="utf-8")
    before = {f: tree_digest(project / f) for f in ("data", "out", "templates")}  # build/ holds only caches
    res = run_cli("briefing", str(spec), "--root", str(project), "--out", str(project / "out" / "会前.docx"))
    assert res.code == 2, res.err
    assert words_ in res.err and "会前.yaml" in res.err.replace("\\", "/"), res.err
    assert "Traceback" not in res.err and "内部错误" not in res.err
    assert {f: tree_digest(project / f) for f in ("data", "out", "templates")} == before


def its_designed_look_never_breaks_a_name_in_the_meeting_line(tmp_path: Path):
    """专题: meeting · date · issuer on one line when they fit, else one to a line (no “县委农/村工作…” break)."""
    ds = load_dataset(ROOT / "data")
    env = make_env(ROOT)
    lines = {}
    meeting = "县委农村工作领导小组全体（扩大）会议暨乡村振兴重点工作推进会"
    for case, issuer in (("short", "县委办公室"), ("long", "中共衡南县委农村工作领导小组办公室")):
        raw = {**BASE, "preset": "专题", "meeting": meeting, "date": "2025年3月", "issuer": issuer}
        dest = tmp_path / f"{case}.docx"
        writer.write(briefing.build(ds, S.BriefingSpec.model_validate(raw), case, ds.year, ROOT / "assets" / "images"),
                     env, dest)
        p = next(p for p in docx.Document(str(dest)).paragraphs if p.style.name == "会议信息")
        lines[case] = p.text.split("\n")
    assert lines["short"] == [f"{meeting}　　2025年3月　　县委办公室"]
    assert lines["long"] == [meeting, "2025年3月", "中共衡南县委农村工作领导小组办公室"]


# ---- no page left part empty because a figure did not fit (writers/docx/flow.py) ------------------------------

def _text_block(docx_path: Path) -> tuple[float, float]:
    """(top, bottom) of the text block in mm, from the document's page set-up."""
    sec = docx.Document(str(docx_path)).sections[-1]
    return sec.top_margin.mm, (sec.page_height - sec.bottom_margin) / 36000


@needs_office
@pytest.mark.parametrize("preset", ["公文", "简报", "专题"])
def it_floats_a_chart_that_does_not_fit_so_no_page_is_left_part_empty(pdfs, preset: str):
    name = f"floats-{preset}"
    top, bottom = _text_block(pdfs[f"{name}.docx"])
    pages = text_lines(pdfs[name])
    assert len(pages) >= 3
    for i, page in enumerate(pages[:-1], 1):  # the last page ends where the text ends
        body = [ln for ln in page if not _folio(ln[4]) and ln[3] <= bottom + 1]
        reached = (max(ln[3] for ln in body) - top) / (bottom - top)
        assert reached >= 0.8, f"{preset}: page {i} ends at {reached:.0%} of the text block"
    # the figures moved, but kept their order and numbers; every paragraph printed once
    text = "".join(ln[4] for page in pages for ln in page)
    captions = [text.find(f"图{n}") for n in range(1, 5)]
    assert all(c >= 0 for c in captions) and captions == sorted(captions), captions
    d = docx.Document(str(pdfs[f"{name}.docx"]))
    order = [p.text[:2] if p.text.startswith("图") else "p" for p in d.paragraphs
             if p.text.startswith(("图", "全县"))]
    written = ["p" if "p" in b else "图" for b in _MIXED]
    assert [x[:1] for x in order[3:]] != [x[:1] for x in written], "no chart was moved: the test tests nothing"
    assert sorted(x[:1] for x in order[3:]) == sorted(x[:1] for x in written)


@pytest.mark.parametrize("raw, star", [(GONGWEN, True), (GOVERNMENT, False), ({**GONGWEN, "star": "无"}, False),
                                       ({**GOVERNMENT, "star": "有"}, True), (UPWARD, True)])
def it_puts_the_star_on_the_red_line_of_a_party_organ_or_as_the_spec_says(raw: dict, star: bool, tmp_path: Path):
    ds = load_dataset(ROOT / "data")
    spec = S.BriefingSpec.model_validate(raw)
    dest = tmp_path / "star.docx"
    writer.write(briefing.build(ds, spec, "test-star", ds.year, ROOT / "assets" / "images"), make_env(ROOT), dest)
    stars = [p for p in docx.Document(str(dest)).paragraphs if p.style.name == "红线五角星"]
    assert [p.text for p in stars] == (["★"] if star else [])
