"""Package parts of the Word templates (styles, numbering, settings, fonts, footers, specimen) as XML text."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

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


# --------------------------------------------------------------------------- style model


@dataclass
class Font:
    """Run properties of a style; `font` fills ascii, hAnsi, eastAsia and cs (Windows font names)."""

    font: str | None = None
    size: float | None = None  # pt
    bold: bool | None = None
    color: str | None = None  # RRGGBB
    spacing: float | None = None  # letter spacing, pt

    def xml(self) -> str:
        out = []
        if self.font:
            f = attr(self.font)
            out.append(f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>')
        if self.bold is not None:
            v = "1" if self.bold else "0"
            out.append(f'<w:b w:val="{v}"/><w:bCs w:val="{v}"/>')
        if self.color:
            out.append(f'<w:color w:val="{self.color}"/>')
        if self.spacing is not None:
            out.append(f'<w:spacing w:val="{pt(self.spacing)}"/>')
        if self.size:
            hp = round(self.size * 2)
            out.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
        return f"<w:rPr>{''.join(out)}</w:rPr>" if out else ""


@dataclass
class Para:
    """Paragraph properties of a style (written in the schema's element order)."""

    align: str | None = None  # left | center | right | both
    line: float | None = None  # exact line height in pt
    multiple: float | None = None  # or a multiple of single spacing
    before: float | None = None  # pt
    after: float | None = None  # pt
    first_chars: float | None = None  # first-line indent in characters of `size`
    left_chars: float | None = None
    right_chars: float | None = None
    hanging_chars: float | None = None
    size: float = 12  # pt: what "one character" is for the indents above
    keep_next: bool = False
    keep_lines: bool = False
    outline: int | None = None
    num_id: int | None = None
    borders: dict[str, tuple[str, int, str, int]] = field(default_factory=dict)  # side: (val, sz 1/8pt, color, space pt)
    shade: str | None = None
    tabs: tuple[tuple[str, int], ...] = ()  # (left | right | center, position in twips from the left indent)
    snap: bool | None = None
    widow: bool | None = None

    def xml(self) -> str:
        out = []
        if self.keep_next:
            out.append("<w:keepNext/>")
        if self.keep_lines:
            out.append("<w:keepLines/>")
        if self.widow is not None:
            out.append(f'<w:widowControl w:val="{int(self.widow)}"/>')
        if self.num_id is not None:
            out.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{self.num_id}"/></w:numPr>')
        if self.borders:
            sides = "".join(
                f'<w:{side} w:val="{v}" w:sz="{sz}" w:space="{sp}" w:color="{c}"/>'
                for side in ("top", "left", "bottom", "right")
                if side in self.borders
                for v, sz, c, sp in [self.borders[side]])
            out.append(f"<w:pBdr>{sides}</w:pBdr>")
        if self.shade:
            out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{self.shade}"/>')
        if self.tabs:
            out.append("<w:tabs>" + "".join(f'<w:tab w:val="{v}" w:pos="{pos}"/>' for v, pos in self.tabs) + "</w:tabs>")
        if self.snap is not None:
            out.append(f'<w:snapToGrid w:val="{int(self.snap)}"/>')
        sp = []
        if self.before is not None:
            sp.append(f'w:before="{pt(self.before)}"')
        if self.after is not None:
            sp.append(f'w:after="{pt(self.after)}"')
        if self.line is not None:
            sp.append(f'w:line="{pt(self.line)}" w:lineRule="exact"')
        elif self.multiple is not None:
            sp.append(f'w:line="{round(self.multiple * 240)}" w:lineRule="auto"')
        if sp:
            out.append(f"<w:spacing {' '.join(sp)}/>")
        # Word reads the *Chars values (hundredths of a character); LibreOffice 7 reads the twips.
        ind = []
        char = pt(self.size)
        if self.left_chars is not None:
            ind.append(f'w:leftChars="{round(self.left_chars * 100)}" w:left="{round(self.left_chars * char)}"')
        if self.right_chars is not None:
            ind.append(f'w:rightChars="{round(self.right_chars * 100)}" w:right="{round(self.right_chars * char)}"')
        if self.hanging_chars is not None:
            ind.append(f'w:hangingChars="{round(self.hanging_chars * 100)}" w:hanging="{round(self.hanging_chars * char)}"')
        elif self.first_chars is not None:
            ind.append(f'w:firstLineChars="{round(self.first_chars * 100)}" w:firstLine="{round(self.first_chars * char)}"')
        if ind:
            out.append(f"<w:ind {' '.join(ind)}/>")
        if self.align:
            out.append(f'<w:jc w:val="{self.align}"/>')
        if self.outline is not None:
            out.append(f'<w:outlineLvl w:val="{self.outline}"/>')
        return f"<w:pPr>{''.join(out)}</w:pPr>" if out else ""


@dataclass
class Style:
    kind: str  # paragraph | character | table
    id: str  # ASCII styleId (stable; Word may localise names, never ids)
    name: str  # the name the writer looks up
    para: Para | None = None
    font: Font | None = None
    based: str | None = "Normal"
    next: str | None = None
    table: str = ""  # extra table-style XML (tblPr + tblStylePr)
    priority: int = 10
    hidden: bool = False

    def xml(self) -> str:
        based = self.based if self.kind == "paragraph" else None
        parts = [f'<w:name w:val="{attr(self.name)}"/>']
        if based:
            parts.append(f'<w:basedOn w:val="{based}"/>')
        if self.next:
            parts.append(f'<w:next w:val="{self.next}"/>')
        parts.append(f'<w:uiPriority w:val="{self.priority}"/>')
        if not self.hidden:
            parts.append("<w:qFormat/>")
        if self.kind != "character" and self.para:
            parts.append(self.para.xml())
        if self.font:
            parts.append(self.font.xml())
        parts.append(self.table)
        custom = "" if self.id in ("Normal", "TableNormal") else ' w:customStyle="1"'
        default = ' w:default="1"' if self.id in ("Normal", "TableNormal") else ""
        return f'<w:style w:type="{self.kind}"{default}{custom} w:styleId="{self.id}">{"".join(parts)}</w:style>'


@dataclass
class Preset:
    name: str
    margins: tuple[float, float, float, float]  # top, bottom, left, right (mm)
    header_mm: float
    footer_mm: float
    base: Font  # document defaults
    styles: list[Style]
    footers: list[tuple[str, str]]  # (type default|even, paragraph style id)
    grid: str = '<w:docGrid w:linePitch="360"/>'
    bullet: tuple[str, Font] = ("●", Font())
    bullet_ind: tuple[float, float, float] = (2, 1, 12)  # left chars, hanging chars, char size pt
    theme_fonts: tuple[str, str] = ("", "")  # the theme part's major (标题) and minor (正文) font
    masthead: tuple[tuple[str, str], ...] = ()  # (style id, specimen text) of the 报头/版头 styles, shown first
    closing: tuple[tuple[str, str], ...] = ()  # (style id, specimen text) of the 报尾/版记 styles, shown last


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
        runs = '<w:r><w:tab/></w:r>'.join(f'<w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r>' for t in text.split("\t"))
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}{fig}</w:p>'


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
        *(para(sid, text) for sid, text in pr.masthead),
        para("BriefTitle", "简报标题（样式“简报标题”）"),
        para("BriefSubtitle", "简报副标题"),
        para("MeetingInfo", "会议信息：会议名称　日期　编发单位"),
        para("FigureCaption", "图题（关键数据表标题）"),
        table,
        para("Heading1Brief", ("一、" if pr.name in ("公文", "简报") else "") + "一级标题"),
        para("BriefBody", "简报正文。本页是样式样张：生成简报时正文全部清空，只保留页面设置、页眉页脚和样式。"
                          "请用“修改样式”改外观，不要改样式名称。数字示例：", "461.71亿元"),
        para("Heading2Brief", ("（一）" if pr.name in ("公文", "简报") else "") + "二级标题"),
        para("QuoteBrief", "“引语。”"),
        para("QuoteSource", "——引语出处"),
        para("BriefPoint", "简报要点（项目符号在样式的编号中设置）"),
        para("Heading3Brief", ("1." if pr.name in ("公文", "简报") else "") + "三级标题"),
        para("FigureCaption", "图1  图题"),
        para("FigureBody", "［插图：图表图片所在段落］"),
        para("SourceNote", "资料来源：资料来源"),
        holder,
        para("BriefBody", names["BriefBody"]),
        *(para(sid, text) for sid, text in pr.closing),
    ]
    refs = "".join(f'<w:footerReference w:type="{t}" r:id="rIdFooter{i}"/>' for i, (t, _) in enumerate(pr.footers, 1))
    sect = (f'<w:sectPr>{refs}<w:pgSz w:w="{A4[0]}" w:h="{A4[1]}"/>'
            f'<w:pgMar w:top="{mm(top)}" w:right="{mm(right)}" w:bottom="{mm(bottom)}" w:left="{mm(left)}" '
            f'w:header="{mm(pr.header_mm)}" w:footer="{mm(pr.footer_mm)}" w:gutter="0"/>'
            f'<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/>{pr.grid}</w:sectPr>')
    return (f'{XML_HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{"".join(body)}{sect}</w:body></w:document>')
