"""Package parts of the Word templates (styles, numbering, settings, fonts, footers, specimen) as XML text."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from tools.make_docx_templates import Preset

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
A4 = (11906, 16838)  # twips


def mm(v: float) -> int:
    """Millimetres to twips (1/20 pt)."""
    return round(v * 1440 / 25.4)


def pt(v: float) -> int:
    """Points to twips."""
    return round(v * 20)


def attr(v: object) -> str:
    return escape(str(v), {'"': "&quot;"})


# --------------------------------------------------------------------------- package parts


def styles_xml(pr: Preset) -> str:
    b = pr.base
    defaults = (f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{b.font}" w:hAnsi="{b.font}" '
                f'w:eastAsia="{b.font}" w:cs="{b.font}"/><w:kern w:val="2"/><w:sz w:val="{round(b.size * 2)}"/>'
                f'<w:szCs w:val="{round(b.size * 2)}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
                f'</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
                f'</w:pPr></w:pPrDefault></w:docDefaults>')
    builtin = ('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
               '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
               '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
               '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
               '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
               '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
               '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
               '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>')
    body = "".join(s.xml() for s in pr.styles)
    return (f'{XML_HEAD}<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">{defaults}{builtin}{body}</w:styles>')


def numbering_xml(pr: Preset) -> str:
    text, font = pr.bullet
    left, hang, size = pr.bullet_ind
    rpr = font.xml().replace("<w:rFonts ", '<w:rFonts w:hint="eastAsia" ')
    return (f'{XML_HEAD}<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0">'
            f'<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{round(left * pt(size))}" w:hanging="{round(hang * pt(size))}"/></w:pPr>{rpr}</w:lvl>'
            f'</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')


def settings_xml(pr: Preset) -> str:
    even = "<w:evenAndOddHeaders/>" if any(t == "even" for t, _ in pr.footers) else ""
    return (f'{XML_HEAD}<w:settings xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:zoom w:percent="100"/>'
            f'<w:defaultTabStop w:val="420"/>{even}<w:characterSpacingControl w:val="compressPunctuation"/>'
            f'<w:compat><w:useFELayout/>'
            f'<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
            f'</w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
            f'<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>')


# Windows fonts a briefing names, with the name Word should try when the exact one is missing.
FONT_TABLE = {
    "仿宋_GB2312": ("仿宋", "modern", "02010609030101010101"),
    "楷体_GB2312": ("楷体", "modern", "02010609030101010101"),
    "方正小标宋简体": ("宋体", "script", "02000000000000000000"),
    "黑体": ("SimHei", "modern", "02010609060101010101"),
    "宋体": ("SimSun", "auto", "02010600030101010101"),
    "楷体": ("KaiTi", "modern", "02010609060101010101"),
    "仿宋": ("FangSong", "modern", "02010609060101010101"),
    "微软雅黑": ("Microsoft YaHei", "swiss", "020B0503020204020204"),
}


def font_table_xml(pr: Preset) -> str:
    used = {pr.base.font} | {s.font.font for s in pr.styles if s.font and s.font.font} | {pr.bullet[1].font}
    fonts = []
    for name in sorted(n for n in used if n):
        alt, family, panose = FONT_TABLE.get(name, ("宋体", "auto", "02010600030101010101"))
        fonts.append(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
                     f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>')
    return f'{XML_HEAD}<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">{"".join(fonts)}</w:fonts>'


def footer_xml(style_id: str) -> str:
    """"— N —" with N a PAGE field (em dashes per GB/T 9704; the style decides font and side)."""
    def run(t: str) -> str:
        return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'

    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return (f'{XML_HEAD}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'
            f'{run("— ")}{field}{run(" —")}</w:p></w:ftr>')


def specimen(pr: Preset) -> str:
    """A style sample page so designers see every style in Word; the writer clears it (keeps sectPr)."""
    def para(style: str, text: str, figure: str = "") -> str:
        fig = (f'<w:r><w:rPr><w:rStyle w:val="FigureRun"/></w:rPr><w:t>{escape(figure)}</w:t></w:r>'
               f'<w:r><w:t>{escape("（字符样式“数字”）")}</w:t></w:r>') if figure else ""
        return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
                f'{fig}</w:p>')

    names = {s.id: s.name for s in pr.styles}

    def cell(style: str, text: str, width: int) -> str:
        return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:tc>')

    top, bottom, left, right = pr.margins
    width = A4[0] - mm(left) - mm(right)
    cols = [round(width * f) for f in (0.36, 0.24, 0.16, 0.24)]
    grid = "".join(f'<w:gridCol w:w="{c}"/>' for c in cols)
    head = "".join(cell("TableHeader", t, c) for t, c in zip(("指标", "数值", "时期", "说明"), cols, strict=False))
    row = "".join(cell(s, t, c) for s, t, c in zip(("TableText", "TableNumber", "TableText", "TableText"),
                                                  ("表格文字", "表格数字", "表格文字", "表格文字"), cols, strict=False))
    look = '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
    table = (f'<w:tbl><w:tblPr><w:tblStyle w:val="KeyFigureTable"/><w:tblW w:w="{width}" w:type="dxa"/>{look}</w:tblPr>'
             f'<w:tblGrid>{grid}</w:tblGrid><w:tr>{head}</w:tr><w:tr>{row}</w:tr></w:tbl>')
    holder = (f'<w:tbl><w:tblPr><w:tblStyle w:val="PlaceholderTable"/><w:tblW w:w="{width}" w:type="dxa"/>{look}</w:tblPr>'
              f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid><w:tr><w:trPr><w:trHeight w:val="{mm(20)}"/></w:trPr>'
              f'{cell("PlaceholderText", "图片占位（表格样式“图片占位框”，段落样式“图片占位”）", width)}</w:tr></w:tbl>')
    body = [
        para("BriefTitle", "简报标题（样式“简报标题”）"),
        para("BriefSubtitle", "简报副标题"),
        para("MeetingInfo", "会议信息：会议名称　日期　编发单位"),
        para("FigureCaption", "图题（关键数据表标题）"),
        table,
        para("Heading1Brief", ("一、" if pr.name == "公文" else "") + "一级标题"),
        para("BriefBody", "简报正文。本页是样式样张：生成简报时正文全部清空，只保留页面设置、页眉页脚和样式。"
                          "请用“修改样式”改外观，不要改样式名称。数字示例：", "461.71亿元"),
        para("Heading2Brief", ("（一）" if pr.name == "公文" else "") + "二级标题"),
        para("QuoteBrief", "“引语。”"),
        para("QuoteSource", "——引语出处"),
        para("BriefPoint", "简报要点（项目符号在样式的编号中设置）"),
        para("Heading3Brief", ("1." if pr.name == "公文" else "") + "三级标题"),
        para("FigureCaption", "图1  图题"),
        para("FigureBody", "［插图：图表图片所在段落］"),
        para("SourceNote", "资料来源：资料来源"),
        holder,
        para("BriefBody", names["BriefBody"]),
    ]
    refs = "".join(f'<w:footerReference w:type="{t}" r:id="rIdFooter{i}"/>' for i, (t, _) in enumerate(pr.footers, 1))
    sect = (f'<w:sectPr>{refs}<w:pgSz w:w="{A4[0]}" w:h="{A4[1]}"/>'
            f'<w:pgMar w:top="{mm(top)}" w:right="{mm(right)}" w:bottom="{mm(bottom)}" w:left="{mm(left)}" '
            f'w:header="{mm(pr.header_mm)}" w:footer="{mm(pr.footer_mm)}" w:gutter="0"/>'
            f'<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/>{pr.grid}</w:sectPr>')
    return (f'{XML_HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{"".join(body)}{sect}</w:body></w:document>')
