#!/usr/bin/env python3
"""Create templates/briefing-公文.docx, briefing-简报.docx and briefing-专题.docx once: named styles, page setup, footers.

After they are committed the two .docx files are the source of truth: designers change the look in
Word/WPS (Modify Style), never here. Run this again only to start over; it refuses to overwrite an
existing template unless given --force. The style contract is docs/briefing-templates.md.

    .venv/bin/python tools/make_docx_templates.py            # create missing templates
    .venv/bin/python tools/make_docx_templates.py --force    # recreate both (discards designer edits!)

The packages are written from scratch (no python-docx default template): only the parts a
briefing needs, every style with explicit w:eastAsia fonts, bytes reproducible. Colours and fonts
of the 简报 styles and of both theme parts come from templates/theme.toml (`--root` picks the project);
`reportgen check` names every place where a template no longer agrees with it.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generators.theme import ROLES, Theme, load_theme  # noqa: E402 - after the project root is put on sys.path
from generators.theme_contract import THEME_FONTS, theme_value  # noqa: E402 - after the project root is put on sys.path
from generators.writers.ooxml import normalize_zip  # noqa: E402 - after the project root is put on sys.path
from tools.docx_template_parts import (  # noqa: E402 - after the project root is put on sys.path
    A4,
    R_NS,
    XML_HEAD,
    Font,
    Para,
    Preset,
    Style,
    font_table_xml,
    footer_xml,
    mm,
    numbering_xml,
    pt,
    settings_xml,
    specimen,
    styles_xml,
)
from tools.office_theme import theme_xml  # noqa: E402 - after the project root is put on sys.path


def border_set(sides: tuple[str, ...], val: str, sz: int, color: str) -> str:
    return "".join(f'<w:{s} w:val="{val}" w:sz="{sz}" w:space="0" w:color="{color}"/>' for s in sides)


def table_style(style_id: str, name: str, font: Font, border: tuple[str, int, str], header_fill: str | None,
                header_font: Font | None, fill: str | None = None) -> Style:
    """A real table style: thin borders, cell margins, a shaded bold header row (firstRow)."""
    val, sz, color = border
    borders = border_set(("top", "left", "bottom", "right", "insideH", "insideV"), val, sz, color)
    shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    tbl = (f'<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblStyleColBandSize w:val="1"/>'
           f'<w:tblBorders>{borders}</w:tblBorders>{shd}'
           f'<w:tblCellMar><w:top w:w="{pt(2)}" w:type="dxa"/><w:left w:w="{pt(5)}" w:type="dxa"/>'
           f'<w:bottom w:w="{pt(2)}" w:type="dxa"/><w:right w:w="{pt(5)}" w:type="dxa"/></w:tblCellMar></w:tblPr>')
    if header_fill:
        tbl += (f'<w:tblStylePr w:type="firstRow">{(header_font or Font()).xml()}'
                f'<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
                f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{header_fill}"/></w:tcPr></w:tblStylePr>')
    return Style("table", style_id, name, font=font, based=None, table=tbl)


# --------------------------------------------------------------------------- the two presets


def theme_values(theme: Theme) -> dict:
    """Palette (RRGGBB) and Office font names of the designer's theme, by theme.toml key."""
    pal = {k: v.lstrip("#").upper() for k, v in theme.palette.model_dump().items() if isinstance(v, str)}
    return {"palette": pal, "fonts": {r: theme.role(r).office for r in ROLES}}


def gongwen(theme: Theme) -> Preset:
    """GB/T 9704-2012: A4, 37/35/28/26 mm, 3号仿宋 22 lines x 28 characters, 2号小标宋 title, the 版头 and 版记.

    Fonts and the black text are the standard's, not the theme's; the red of the 版头 is palette.redhead.
    """
    return _official("公文", theme)


def jianbao(theme: Theme) -> Preset:
    """The traditional 工作简报: the 公文's page and body, the 报头 (name in red, 期号, 编印单位 and date over a
    red rule) and the 报尾 (报/送/发 between two rules, 共印 N 份)."""
    return _official("简报", theme)


def _official(name: str, theme: Theme) -> Preset:
    body = 16.0  # 3号
    text_w = A4[0] - mm(28) - mm(26)  # 8845 twips = 156 mm
    text_h = A4[1] - mm(37) - mm(35)  # 12756 twips = 225 mm
    line_pitch = text_h // 22  # 579 twips = 28.95 pt: 22 lines
    # 28 characters a line by letter spacing (-0.25 pt: 28 x 15.75 pt = 441 pt <= 442.25 pt). A character
    # grid (docGrid linesAndChars, charSpace -842) does the same in Word, but LibreOffice gives every
    # 16 pt character two 15.8 pt grid cells (14 a line), so the grid here is the line grid only.
    tight = -0.25
    assert 28 * (body + tight) <= text_w / 20 < 29 * (body + tight)
    fs, hei = GB_FONTS["fangsong"], GB_FONTS["hei"]
    red = theme_values(theme)["palette"]["redhead"]
    styles = _gongwen_styles(line_pitch / 20, body, tight)
    frame = _gongwen_frame(line_pitch / 20, body, tight, text_w, red) if name == "公文" else \
        _jianbao_frame(line_pitch / 20, body, tight, text_w, red)
    return Preset(
        name, (37, 35, 28, 26), header_mm=15, footer_mm=25, base=Font(fs, body),
        styles=styles + [s for s, _where, _text in frame],
        footers=[("default", "PageNumberOdd"), ("even", "PageNumberEven")],
        grid=f'<w:docGrid w:type="lines" w:linePitch="{line_pitch}"/>',
        bullet=("●", Font(fs, 9)), bullet_ind=(3, 1, body), theme_fonts=(hei, fs),
        masthead=tuple((s.id, text) for s, where, text in frame if where == "head"),
        closing=tuple((s.id, text) for s, where, text in frame if where == "tail"))


def _gongwen_frame(line: float, body: float, tight: float, width: int, red: str) -> list[tuple[Style, str, str]]:
    """The 公文's 版头 and 版记 styles (GB/T 9704-2012 7.2, 7.4): (style, head | tail, specimen text)."""
    g = GB_FONTS
    fs, hei, kai, xbs = g["fangsong"], g["hei"], g["kai"], g["title"]
    char, small = pt(body), pt(14)
    rule = {"top": ("single", 8, "000000", 0), "bottom": ("single", 8, "000000", 0)}  # 0.35 mm, the 版记's first and last
    return [
        (Style("paragraph", "CopyNumber", "份号", Para(align="left", line=line, size=body), Font(fs, body), priority=20),
         "head", "000001"),
        (Style("paragraph", "SecrecyMark", "密级和紧急程度", Para(align="left", line=line, size=body), Font(hei, body),
               priority=20), "head", "秘密★1年"),
        # 上边缘至版心上边缘 35 mm (99.2 pt, less the 8 pt between the top of a 48 pt line and the top of its
        # 36 pt characters); the writer takes off the lines of 份号 and 密级 above it.
        (Style("paragraph", "IssuerMark", "发文机关标志",
               Para(align="center", before=91, line=48, size=36, snap=False, keep_next=True),
               Font(xbs, 36, color=red), priority=20), "head", "发文机关标志"),
        # 发文机关标志下空二行; the red separating line 4 mm under the 发文字号, as wide as the 版心.
        (Style("paragraph", "DocNumber", "发文字号",
               Para(align="center", before=2 * line, line=line, size=body, keep_next=True,
                    borders={"bottom": ("single", 12, red, 7)}), Font(fs, body), priority=20),
         "head", "衡南办发〔2025〕1号"),
        (Style("paragraph", "DocNumberUp", "发文字号（上行文）",
               Para(align="left", before=2 * line, line=line, size=body, keep_next=True,
                    tabs=(("right", width - char),), borders={"bottom": ("single", 12, red, 7)}),
               Font(fs, body), priority=20), "head", "　衡南办发〔2025〕1号\t签发人：姓名"),
        (Style("character", "SignerName", "签发人姓名", font=Font(kai), priority=20), "", ""),
        # 党的机关公文: a red ★ in the middle of the red line; the writer frames it over the line (white ground).
        (Style("paragraph", "RedLineStar", "红线五角星",
               Para(align="center", line=13, size=13, shade="FFFFFF", snap=False), Font(fs, 13, color=red),
               priority=20), "", ""),
        (Style("paragraph", "Addressee", "主送机关", Para(align="both", line=line, size=body),
               Font(fs, body, spacing=tight), priority=21), "", ""),
        (Style("paragraph", "AttachmentNote", "附件说明",
               Para(align="left", line=line, size=body, left_chars=5, hanging_chars=3),
               Font(fs, body, spacing=tight), priority=21), "", ""),
        (Style("paragraph", "Signature", "发文机关署名", Para(align="right", line=line, size=body, keep_next=True),
               Font(fs, body), priority=21), "", ""),
        (Style("paragraph", "DocDate", "成文日期", Para(align="right", line=line, size=body, right_chars=4),
               Font(fs, body), priority=21), "", ""),
        # 版记: 4号仿宋 between rules; the writer sets it at the foot of the last page (a frame).
        (Style("paragraph", "RecordCc", "版记抄送",
               Para(align="both", line=line, size=14, left_chars=4, right_chars=1, hanging_chars=3, borders=rule),
               Font(fs, 14), priority=22), "tail", "抄送：抄送机关。"),
        (Style("paragraph", "RecordRule", "版记分隔线",
               Para(line=0.7, size=14, borders=rule, shade="000000", snap=False), Font(fs, 1), priority=22), "tail", ""),
        (Style("paragraph", "RecordPrint", "版记印发",
               Para(align="left", line=line, size=14, left_chars=1, tabs=(("right", width - small),),  # tab from the margin: 右空一字
                    borders=rule), Font(fs, 14), priority=22), "tail", "印发机关\t2025年1月1日印发"),
    ]


def _jianbao_frame(line: float, body: float, tight: float, width: int, red: str) -> list[tuple[Style, str, str]]:
    """The 简报's 报头 and 报尾 styles: (style, head | tail, specimen text)."""
    g = GB_FONTS
    fs, hei, kai, xbs = g["fangsong"], g["hei"], g["kai"], g["title"]
    rule = {"top": ("single", 8, "000000", 0), "bottom": ("single", 8, "000000", 0)}
    return [
        (Style("paragraph", "BulletinMark", "报头密级", Para(align="left", line=line, size=body), Font(hei, body),
               priority=20), "head", "内部资料　注意保存"),
        (Style("paragraph", "BulletinMeeting", "报头会议名称",
               Para(align="center", before=line, line=36, size=26, snap=False, keep_next=True),
               Font(xbs, 26, color=red), priority=20), "head", "会议名称"),
        (Style("paragraph", "BulletinName", "报头名称",
               Para(align="center", before=line, line=66, size=52, snap=False, keep_next=True),
               Font(xbs, 52, color=red), priority=20), "head", "衡南工作简报"),
        (Style("paragraph", "BulletinIssue", "报头期号", Para(align="center", before=6, line=line, size=body, keep_next=True),
               Font(kai, body), priority=20), "head", "第1期"),
        (Style("paragraph", "BulletinLine", "报头编印",
               Para(align="left", before=6, after=2 * line, line=line, size=body, tabs=(("right", width),),
                    borders={"bottom": ("single", 24, red, 4)}), Font(fs, body), priority=20),
         "head", "编印单位\t2025年1月1日"),
        (Style("paragraph", "EditorNote", "编者按", Para(align="both", line=line, size=body, first_chars=2),
               Font(kai, body, spacing=tight), priority=21), "", ""),
        (Style("character", "EditorNoteLead", "编者按字样", font=Font(hei), priority=21), "", ""),
        # 报尾: 4号仿宋 between two rules; the writer sets it at the foot of the last page (a frame).
        (Style("paragraph", "TailLine", "报尾",
               Para(align="both", line=line, size=14, left_chars=2, hanging_chars=2, borders=rule),
               Font(fs, 14), priority=22), "tail", "报：报送单位"),
        (Style("paragraph", "TailCopies", "报尾印数",
               Para(align="right", line=line, size=14, left_chars=2, hanging_chars=2, borders=rule),
               Font(fs, 14), priority=22), "tail", "（共印1份）"),
    ]


# GB/T 9704-2012 fonts (Windows names): 仿宋_GB2312 body, 黑体 / 楷体_GB2312 headings, 方正小标宋简体 title.
GB_FONTS = {"fangsong": "仿宋_GB2312", "hei": "黑体", "kai": "楷体_GB2312", "song": "宋体", "title": "方正小标宋简体"}


def _gongwen_styles(line: float, body: float, tight: float) -> list[Style]:
    """The 公文 styles: 3号 on a 22-line grid, black, GB/T 9704 fonts."""
    g = GB_FONTS
    fs, hei, kai, song, xbs = g["fangsong"], g["hei"], g["kai"], g["song"], g["title"]
    black = "000000"

    def grid_line(sid: str, name: str, font: str, priority: int, nxt: str | None = None, **para) -> Style:
        """A 3号 style on the 22-line grid with the 28-characters letter spacing."""
        para.setdefault("align", "both")
        return Style("paragraph", sid, name, Para(line=line, size=body, **para), Font(font, body, spacing=tight),
                     next=nxt, priority=priority)

    styles = [
        Style("paragraph", "Normal", "Normal", Para(align="both", line=line, size=body),
              Font(fs, body), based=None, priority=0),
        Style("paragraph", "BriefTitle", "简报标题", Para(align="center", line=line, after=line, size=22, keep_next=True),
              Font(xbs, 22), next="BriefSubtitle", priority=1),
        grid_line("BriefSubtitle", "简报副标题", kai, 2, "MeetingInfo", align="center", keep_next=True),
        grid_line("MeetingInfo", "会议信息", kai, 3, "BriefBody", align="center", after=line),
        grid_line("BriefBody", "简报正文", fs, 4, first_chars=2),
        grid_line("Heading1Brief", "一级标题", hei, 5, "BriefBody", first_chars=2, keep_next=True, outline=0),
        grid_line("Heading2Brief", "二级标题", kai, 6, "BriefBody", first_chars=2, keep_next=True, outline=1),
        grid_line("Heading3Brief", "三级标题", fs, 7, "BriefBody", first_chars=2, keep_next=True, outline=2),
        grid_line("QuoteBrief", "引语", kai, 8, "QuoteSource", first_chars=2, keep_next=True),
        grid_line("QuoteSource", "引语出处", kai, 9, "BriefBody", align="right"),
        grid_line("BriefPoint", "简报要点", fs, 10, num_id=1),
        Style("paragraph", "FigureCaption", "图题", Para(align="center", before=line / 2, line=line, size=body, keep_next=True),
              Font(hei, 14), priority=11),
        Style("paragraph", "FigureBody", "插图", Para(align="center", multiple=1, before=4, after=4, keep_next=True,
                                                    snap=False), Font(fs, 12), priority=12),
        Style("paragraph", "SourceNote", "资料来源", Para(align="center", multiple=1, before=3, after=12, snap=False),
              Font(fs, 12), priority=13),
        Style("paragraph", "TableText", "表格文字", Para(align="left", multiple=1, before=2, after=2, snap=False),
              Font(fs, 14), priority=14),
        Style("paragraph", "TableNumber", "表格数字", Para(align="right", multiple=1, before=2, after=2, snap=False),
              Font(fs, 14), based="TableText", priority=15),
        Style("paragraph", "TableHeader", "表头文字", Para(align="left", multiple=1, before=2, after=2, snap=False),
              Font(hei, 14), based="TableText", priority=15),
        Style("paragraph", "PlaceholderText", "图片占位", Para(align="center", multiple=1, snap=False),
              Font(fs, 14), priority=16),
        Style("character", "FigureRun", "数字", font=Font(), priority=17),
        # Page numbers one character (14 pt) in from the outside edge: right on odd pages, left on even ones.
        Style("paragraph", "PageNumberOdd", "单页页码", Para(align="right", right_chars=1, size=14, multiple=1,
                                                          snap=False), Font(song, 14), priority=40, hidden=True),
        Style("paragraph", "PageNumberEven", "双页页码", Para(align="left", left_chars=1, size=14, multiple=1,
                                                          snap=False), Font(song, 14), priority=40, hidden=True),
        table_style("KeyFigureTable", "关键数据表", Font(fs, 14), ("single", 4, black), "D9D9D9", Font(hei)),
        table_style("PlaceholderTable", "图片占位框", Font(fs, 14), ("dashed", 8, "7F7F7F"), None, None, fill="F2F2F2"),
    ]
    return styles


def zhuanti(theme: Theme) -> Preset:
    """A modern internal briefing: red masthead band, 微软雅黑 headings in the theme red, 宋体 12 pt body.

    Every colour and font is theme.toml's, by the keys of generators.theme_check.JIANBAO.
    """
    t = theme_values(theme)
    p, f = t["palette"], t["fonts"]
    body = 12.0
    fonts = THEME_FONTS[f"templates/briefing-{JIANBAO_NAME}.docx"]
    return Preset(
        JIANBAO_NAME, (22, 22, 20, 20), header_mm=12, footer_mm=10, base=Font(f["body"], body),
        styles=_jianbao_styles(p, f, body), footers=[("default", "PageNumberCenter")],
        bullet=("●", Font(f["body"], 8, color=p["primary"])), bullet_ind=(2, 1, body),
        theme_fonts=(theme_value(theme, fonts["major"]), theme_value(theme, fonts["minor"])))


JIANBAO_NAME = "专题"


def _jianbao_styles(p: dict[str, str], f: dict[str, str], body: float) -> list[Style]:
    """The 简报 styles from the palette `p` (RRGGBB) and the Office font names `f` of theme.toml."""
    yahei, song, hei, kai = f["figure"], f["body"], f["heading"], f["quote"]
    return [
        Style("paragraph", "Normal", "Normal", Para(align="both", multiple=1.5, size=body),
              Font(song, body, color=p["ink"]), based=None, priority=0),
        # The masthead band: red shading with borders of the same red as padding. Word (and LibreOffice)
        # draw paragraph borders outside the indent, so indent 11 pt = space 8 pt + width 3 pt puts the
        # band exactly on the margins.
        Style("paragraph", "BriefTitle", "简报标题",
              Para(align="left", multiple=1.15, after=6, left_chars=0.5, right_chars=0.5, size=22, keep_next=True,
                   shade=p["primary"], borders={s: ("single", 24, p["primary"], 12 if s in ("top", "bottom") else 8)
                                                for s in ("top", "left", "bottom", "right")}),
              Font(yahei, 22, bold=True, color=p["paper"]), next="BriefSubtitle", priority=1),
        Style("paragraph", "BriefSubtitle", "简报副标题", Para(multiple=1.2, before=4, after=2, keep_next=True),
              Font(yahei, 13, color=p["primary_dark"]), next="MeetingInfo", priority=2),
        Style("paragraph", "MeetingInfo", "会议信息",
              Para(multiple=1.2, after=14, borders={"bottom": ("single", 8, p["accent"], 4)}),
              Font(yahei, 9, color=p["muted"]), next="BriefBody", priority=3),
        Style("paragraph", "BriefBody", "简报正文", Para(align="both", multiple=1.5, after=3, first_chars=2, size=body),
              Font(song, body), priority=4),
        Style("paragraph", "Heading1Brief", "一级标题",
              Para(multiple=1.2, before=14, after=6, keep_next=True, outline=0,
                   borders={"bottom": ("single", 6, p["rule"], 3)}),
              Font(yahei, 15, bold=True, color=p["primary"]), next="BriefBody", priority=5),
        Style("paragraph", "Heading2Brief", "二级标题", Para(multiple=1.2, before=8, after=3, keep_next=True, outline=1),
              Font(yahei, 12.5, bold=True, color=p["primary_dark"]), next="BriefBody", priority=6),
        Style("paragraph", "Heading3Brief", "三级标题", Para(multiple=1.2, before=6, after=2, keep_next=True, outline=2),
              Font(hei, 12), next="BriefBody", priority=7),
        Style("paragraph", "QuoteBrief", "引语",
              Para(align="both", multiple=1.5, before=6, left_chars=2, right_chars=2, size=body, keep_next=True,
                   shade=p["tint"], borders={"left": ("single", 24, p["accent"], 8)}),
              Font(kai, body), next="QuoteSource", priority=8),
        Style("paragraph", "QuoteSource", "引语出处",
              Para(align="right", multiple=1.3, after=8, left_chars=2, right_chars=2, size=body,
                   shade=p["tint"], borders={"left": ("single", 24, p["accent"], 8)}),
              Font(kai, 10.5, color=p["muted"]), next="BriefBody", priority=9),
        Style("paragraph", "BriefPoint", "简报要点", Para(align="both", multiple=1.4, after=2, num_id=1, size=body),
              Font(song, body), priority=10),
        Style("paragraph", "FigureCaption", "图题", Para(align="center", multiple=1.2, before=10, after=4, keep_next=True),
              Font(yahei, 10.5, bold=True, color=p["ink"]), priority=11),
        Style("paragraph", "FigureBody", "插图", Para(align="center", multiple=1, keep_next=True), Font(song, 10),
              priority=12),
        Style("paragraph", "SourceNote", "资料来源", Para(align="center", multiple=1.1, before=3, after=10),
              Font(yahei, 8, color=p["muted"]), priority=13),
        Style("paragraph", "TableText", "表格文字", Para(align="left", multiple=1.1, before=1, after=1),
              Font(yahei, 9.5, color=p["ink"]), priority=14),
        Style("paragraph", "TableNumber", "表格数字", Para(align="right", multiple=1.1, before=1, after=1),
              Font(yahei, 9.5, color=p["ink"]), based="TableText", priority=15),
        Style("paragraph", "TableHeader", "表头文字", Para(align="left", multiple=1.1, before=1, after=1),
              Font(yahei, 9.5, bold=True, color=p["primary_dark"]), based="TableText", priority=15),
        Style("paragraph", "PlaceholderText", "图片占位", Para(align="center", multiple=1.2),
              Font(yahei, 10, color=p["muted"]), priority=16),
        Style("character", "FigureRun", "数字", font=Font(bold=True, color=p["primary_dark"]), priority=17),
        Style("paragraph", "PageNumberCenter", "页脚页码", Para(align="center", multiple=1),
              Font(yahei, 9, color=p["muted"]), priority=40, hidden=True),
        *_jianbao_tables(p, yahei),
    ]


def _jianbao_tables(p: dict[str, str], font: str) -> list[Style]:
    """The 简报 table styles: key figures (rule borders, tinted header row) and the picture placeholder box."""
    return [
        table_style("KeyFigureTable", "关键数据表", Font(font, 9.5), ("single", 4, p["rule"]), p["tint"],
                    Font(bold=True, color=p["primary_dark"])),
        table_style("PlaceholderTable", "图片占位框", Font(font, 10), ("dashed", 8, p["muted"]), None, None,
                    fill=p["placeholder"]),
    ]


def package(pr: Preset, theme: Theme) -> bytes:
    """The .docx bytes: the preset's parts, plus the theme part from theme.toml (colours) and the preset (fonts)."""
    ct_main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    footers = {f"word/footer{i}.xml": footer_xml(style) for i, (_, style) in enumerate(pr.footers, 1)}
    parts = {
        "[Content_Types].xml": (
            f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            f'<Override PartName="/word/document.xml" ContentType="{ct_main}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{ct_main}.styles+xml"/>'
            f'<Override PartName="/word/settings.xml" ContentType="{ct_main}.settings+xml"/>'
            f'<Override PartName="/word/numbering.xml" ContentType="{ct_main}.numbering+xml"/>'
            f'<Override PartName="/word/fontTable.xml" ContentType="{ct_main}.fontTable+xml"/>'
            '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
            + "".join(f'<Override PartName="/{n}" ContentType="{ct_main}.footer+xml"/>' for n in footers)
            + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            '</Types>'),
        "_rels/.rels": (
            f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{R_NS}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{R_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>'),
        "word/_rels/document.xml.rels": (
            f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdStyles" Type="{R_NS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rIdSettings" Type="{R_NS}/settings" Target="settings.xml"/>'
            f'<Relationship Id="rIdNumbering" Type="{R_NS}/numbering" Target="numbering.xml"/>'
            f'<Relationship Id="rIdFonts" Type="{R_NS}/fontTable" Target="fontTable.xml"/>'
            f'<Relationship Id="rIdTheme" Type="{R_NS}/theme" Target="theme/theme1.xml"/>'
            + "".join(f'<Relationship Id="rIdFooter{i}" Type="{R_NS}/footer" Target="footer{i}.xml"/>'
                      for i in range(1, len(footers) + 1))
            + "</Relationships>"),
        "word/document.xml": specimen(pr),
        "word/styles.xml": styles_xml(pr),
        "word/settings.xml": settings_xml(pr),
        "word/numbering.xml": numbering_xml(pr),
        "word/fontTable.xml": font_table_xml(pr),
        "word/theme/theme1.xml": theme_xml(theme, *pr.theme_fonts),
        **footers,
        "docProps/core.xml": (
            f'{XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>简报模板（{pr.name}）</dc:title><dc:creator></dc:creator><dc:language>zh-CN</dc:language>'
            '<cp:revision>1</cp:revision>'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>'),
        "docProps/app.xml": (
            f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            '<Application>reportgen</Application></Properties>'),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
    return normalize_zip(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="overwrite existing templates (discards designer edits)")
    ap.add_argument("--out", type=Path, default=None, help="folder to write into (default: ROOT/templates)")
    ap.add_argument("--root", type=Path, default=ROOT, help="project whose templates/theme.toml is used")
    args = ap.parse_args(argv)
    theme = load_theme(args.root)
    out = args.out or args.root / "templates"
    out.mkdir(parents=True, exist_ok=True)
    for preset in (gongwen(theme), jianbao(theme), zhuanti(theme)):
        dest = out / f"briefing-{preset.name}.docx"
        if dest.exists() and not args.force:
            print(f"跳过 {dest}（已存在；设计人员的修改以 .docx 为准，重建请加 --force）")
            continue
        dest.write_bytes(package(preset, theme))
        print(f"已生成 {dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
