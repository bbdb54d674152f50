"""The frame of an issued document around the body: the 简报's 报头 and 报尾, the 公文's 版头, 主送, 附件说明,
署名 and 成文日期, and 版记 (GB/T 9704-2012). Styles only, from the template; the few measured values (the
35 mm of the 发文机关标志 when lines stand above it, the 署名 centred over the date, a 标志 too long for one line
compressed, the closing block at the foot of the last page) are set where the style cannot know them."""

from __future__ import annotations

from typing import Any, Protocol

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from generators import model as M
from generators import typography as T


class _Writer(Protocol):
    """What the frame needs of the body writer (writers/docx/__init__.py `_Writer`)."""

    doc: M.Document
    d: Any  # the python-docx Document being written
    s: dict[str, Any]
    text_width: int  # EMU
    text_width_twips: int

    def para(self, role: str, runs: M.Inline | str = (), container: Any = None) -> Any: ...

# Role → (style name, type, what it is for), per 版式: the template contract beyond writers/docx.STYLES.
FRAME_STYLES: dict[str, dict[str, tuple[str, WD_STYLE_TYPE, str]]] = {
    "简报": {
        "mark": ("报头密级", WD_STYLE_TYPE.PARAGRAPH, "报头左上角的“内部资料”或密级"),
        "bulletin_meeting": ("报头会议名称", WD_STYLE_TYPE.PARAGRAPH, "会议简报报头上的会议名称"),
        "bulletin": ("报头名称", WD_STYLE_TYPE.PARAGRAPH, "报头的简报名称（红色大字）"),
        "issue": ("报头期号", WD_STYLE_TYPE.PARAGRAPH, "第N期"),
        "masthead_line": ("报头编印", WD_STYLE_TYPE.PARAGRAPH, "编印单位和印发日期一行，下有红线"),
        "editor_note": ("编者按", WD_STYLE_TYPE.PARAGRAPH, "编者按"),
        "editor_note_lead": ("编者按字样", WD_STYLE_TYPE.CHARACTER, "“编者按：”三字"),
        "tail": ("报尾", WD_STYLE_TYPE.PARAGRAPH, "报尾的报、送、发"),
        "tail_copies": ("报尾印数", WD_STYLE_TYPE.PARAGRAPH, "报尾的（共印N份）"),
    },
    "公文": {
        "copy_no": ("份号", WD_STYLE_TYPE.PARAGRAPH, "版头左上角的份号"),
        "secrecy": ("密级和紧急程度", WD_STYLE_TYPE.PARAGRAPH, "版头左上角的密级和保密期限、紧急程度"),
        "authority": ("发文机关标志", WD_STYLE_TYPE.PARAGRAPH, "红色的发文机关标志"),
        "doc_number": ("发文字号", WD_STYLE_TYPE.PARAGRAPH, "发文字号，下有红色分隔线"),
        "doc_number_up": ("发文字号（上行文）", WD_STYLE_TYPE.PARAGRAPH, "上行文的发文字号和签发人一行"),
        "signer": ("签发人姓名", WD_STYLE_TYPE.CHARACTER, "签发人的姓名"),
        "star": ("红线五角星", WD_STYLE_TYPE.PARAGRAPH, "党的机关公文红色分隔线中间的五角星（白底盖住红线）"),
        "addressee": ("主送机关", WD_STYLE_TYPE.PARAGRAPH, "主送机关"),
        "attachments": ("附件说明", WD_STYLE_TYPE.PARAGRAPH, "附件说明"),
        "signature": ("发文机关署名", WD_STYLE_TYPE.PARAGRAPH, "发文机关署名"),
        "doc_date": ("成文日期", WD_STYLE_TYPE.PARAGRAPH, "成文日期"),
        "record_cc": ("版记抄送", WD_STYLE_TYPE.PARAGRAPH, "版记的抄送"),
        "record_rule": ("版记分隔线", WD_STYLE_TYPE.PARAGRAPH, "版记中抄送与印发之间的细线"),
        "record_print": ("版记印发", WD_STYLE_TYPE.PARAGRAPH, "版记的印发机关和印发日期"),
    },
}

SEAL_LINES = 2  # blank lines between the text and the 署名: room for the 印章 (GB/T 9704-2012 7.3.5.1)


def _chars(text: str) -> float:
    """Width of `text` in characters of its font size (a digit or Latin letter is half a character)."""
    return T.display_width(text) / 2


def _style_size(style, default: float) -> float:
    """The font size (pt) a paragraph style sets, or inherits from its base style."""
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return default


def _style_line(style, default: float) -> float:
    """The exact line height (pt) of a paragraph style, or `default`."""
    while style is not None:
        spacing = style.paragraph_format.line_spacing
        if spacing is not None and not isinstance(spacing, float):
            return spacing.pt
        style = style.base_style
    return default


def _frame_at_foot(p, width: int) -> None:
    """Set paragraph `p` at the foot of the 版心 of the page it falls on (a frame as wide as the 版心, text
    above it). Consecutive framed paragraphs with the same frame and borders are one block between rules.
    A paragraph property, not a style one: LibreOffice ignores frames set in styles."""
    _set_frame(p, {"w": str(width), "wrap": "notBeside", "vAnchor": "margin", "hAnchor": "margin",
                   "xAlign": "center", "yAlign": "bottom"})


def _set_frame(p, attrs: dict[str, str]) -> None:
    """Paragraph `p` in a frame of `attrs` (w:framePr, right after the style as the schema orders it)."""
    fr = OxmlElement("w:framePr")
    for k, v in attrs.items():
        fr.set(qn(f"w:{k}"), v)
    ppr = p._p.get_or_add_pPr()
    style = ppr.find(qn("w:pStyle"))
    ppr.insert(0 if style is None else list(ppr).index(style) + 1, fr)


STAR_BOX_CHARS = 1.6  # the ★'s white ground breaks the red line over a little more than its own width


def _star_on_line(p) -> None:
    """The ★ centred on the red line drawn under the 发文字号: a frame of its own (one character high, the
    style's size), lifted by half its height over the line's bottom edge, text flowing through it (it takes no
    room); its white ground breaks the line. Kept under the 发文字号's glyphs (the border's 7 pt below them), or
    LibreOffice moves the 发文字号 aside."""
    size = min(_style_size(p.style, 13.0), 14.0)
    rule_pt = 1.5  # the red line's width (the 发文字号's bottom border, 12 eighths of a point)
    _set_frame(p, {"w": str(int(STAR_BOX_CHARS * size * 20)), "h": str(int(size * 20)), "hRule": "exact",
                   "wrap": "through", "vAnchor": "text", "hAnchor": "margin", "xAlign": "center",
                   "y": str(-int((size / 2 + rule_pt / 2) * 20))})


def _tab_line(w: _Writer, role: str, left: str, right: str, right_style: str | None = None):
    p = w.para(role, left)
    p.add_run().add_tab()
    p.add_run(right, style=w.s[right_style] if right_style else None)
    return p


def _blank(w: _Writer, n: int = 1) -> None:
    for _ in range(n):
        w.para("body")


# ---- 简报 ------------------------------------------------------------------------------------------------

def jianbao_head(w: _Writer) -> None:
    """报头: 密级 top left, the name in red, 第N期, 编印单位 left and 日期 right over the red rule."""
    f = w.doc.front
    if f.get("classification"):
        w.para("mark", f["classification"])
    name = f.get("bulletin") or ""
    if name.endswith("会议简报") and f.get("meeting") and f["meeting"] not in name:
        w.para("bulletin_meeting", f["meeting"])
    if name:
        _fit(w, w.para("bulletin", name), name)
    if f.get("issue"):
        w.para("issue", f["issue"])
    _tab_line(w, "masthead_line", f.get("issuer", ""), f.get("date", ""))


def jianbao_front(w: _Writer) -> None:
    """Under the title: the meeting (unless the 报头 names it) and the 编者按."""
    f = w.doc.front
    if f.get("meeting") and f["meeting"] not in (f.get("bulletin") or "") and \
            not (f.get("bulletin") or "").endswith("会议简报"):
        w.para("meeting", f["meeting"])
    if f.get("editor_note"):
        p = w.para("editor_note")
        p.add_run("编者按：", style=w.s["editor_note_lead"])
        p.add_run(f["editor_note"])


def jianbao_tail(w: _Writer) -> None:
    """报尾 at the foot of the last page: 报：/送：/发：… and （共印N份） between two rules."""
    f = w.doc.front
    lines = [(lead, f.get(key, "")) for lead, key in (("报：", "report_to"), ("送：", "send_to"), ("发：", "distribute_to"))]
    paras = [w.para("tail", lead + text) for lead, text in lines if text]
    if f.get("copies"):
        paras.append(w.para("tail_copies", f["copies"]))
    for p in paras:
        _frame_at_foot(p, w.text_width_twips)


# ---- 公文 ------------------------------------------------------------------------------------------------

def gongwen_head(w: _Writer) -> None:
    """版头 (GB/T 9704-2012 7.2): 份号, 密级, 紧急程度 top left; the red 发文机关标志 35 mm under the top of the
    版心; the 发文字号 (上行文: with the 签发人) over the red separating line."""
    f = w.doc.front
    top = [w.para("copy_no", f["copy_no"])] if f.get("copy_no") else []
    top += [w.para("secrecy", f[k]) for k in ("secrecy", "urgency") if f.get(k)]
    name = f.get("authority", "")
    mark = w.para("authority", name)
    _fit(w, mark, name)
    if top:  # the 35 mm are from the top of the 版心: the lines above take their share
        above = sum(_style_line(p.style, 28.95) for p in top)
        mark_style: Any = w.s["authority"]
        before = mark_style.paragraph_format.space_before
        want = (before.pt if before is not None else 91.0) - above
        mark.paragraph_format.space_before = Pt(max(0.0, want))
    number = f.get("doc_number", "")
    if f.get("upward"):
        p = _tab_line(w, "doc_number_up", "　" + number, "签发人：")
        p.add_run(f.get("signer", ""), style=w.s["signer"])
    else:
        w.para("doc_number", number)
    if f.get("star"):
        _star_on_line(w.para("star", f["star"]))
    _blank(w, 2)  # the title two lines under the red line


def gongwen_front(w: _Writer) -> None:
    """主送机关 under the title, top-aligned, ending in a full-width colon."""
    to = w.doc.front.get("addressee", "").rstrip(":：;；,，。 ")
    if to:
        w.para("addressee", to + "：")


def gongwen_end(w: _Writer) -> None:
    """附件说明, then 署名 and 成文日期 with room for the 印章, then the 版记 at the foot of the last page."""
    f = w.doc.front
    items = [a for a in f.get("attachments", "").split("\n") if a]
    signed = bool(f.get("issuer") or f.get("date"))
    if signed:
        _with_last_lines(w)  # the body's last lines go with the 附件说明 and the 署名
    if items:
        blank = w.para("body")
        p = w.para("attachments", "附件：" + (items[0] if len(items) == 1 else f"1.{items[0]}"))
        if signed:
            blank.paragraph_format.keep_with_next = p.paragraph_format.keep_with_next = True
        for i, item in enumerate(items[1:], 2):
            p.add_run().add_break()
            p.add_run(f"{i}.{item}")
    if signed:
        for _ in range(SEAL_LINES):
            w.para("body").paragraph_format.keep_with_next = True  # the 印章's room stays with the 署名
        date_style: Any = w.s["doc_date"]
        indent = date_style.paragraph_format.right_indent
        size = _style_size(date_style, 16.0)
        right = (indent if indent is not None else Pt(4 * size)) + Pt(size * (_chars(f.get("date", "")) - _chars(f.get("issuer", ""))) / 2)
        if f.get("issuer"):
            sig = w.para("signature", f["issuer"])
            sig.paragraph_format.right_indent = max(Twips(0), right)  # centred over the date
        if f.get("date"):
            w.para("doc_date", f["date"])
    gongwen_record(w)


def _with_last_lines(w: _Writer) -> None:
    """The 署名 and 成文日期 never stand on a page without text (GB/T 9704-2012 7.3.5): the last paragraph of the
    body keeps with them, so Word takes its last lines along when they do not fit at the foot of the page."""
    body = w.d.element.body
    last = body[-2] if len(body) > 1 else None  # [-1] is the section's sectPr
    if last is None or last.tag != qn("w:p") or last.find(f".//{qn('w:drawing')}") is not None:
        return
    if not "".join(t.text or "" for t in last.iter(qn("w:t"))).strip():
        return
    last.get_or_add_pPr().keepNext_val = True


def gongwen_record(w: _Writer) -> None:
    """版记 (GB/T 9704-2012 7.4): 抄送, a thin rule, 印发机关 and 印发日期, between the thick first and last rules."""
    f = w.doc.front
    paras = []
    if f.get("cc"):
        cc = f["cc"].rstrip("。.；;，, ")
        paras += [w.para("record_cc", f"抄送：{cc}。"), w.para("record_rule")]
    if f.get("printed_by") or f.get("printed_date"):
        paras.append(_tab_line(w, "record_print", f.get("printed_by", ""),
                               f"{f['printed_date']}印发" if f.get("printed_date") else ""))
    for p in paras:
        _frame_at_foot(p, w.text_width_twips)


def _fit(w: _Writer, p, text: str) -> None:
    """A 标志 or 报头 name wider than the 版心 is compressed (Word's 字符缩放) to one line, never wrapped."""
    size = _style_size(p.style, 36.0)
    need = _chars(text) * size
    avail = w.text_width / Pt(1)
    if need > avail:
        scale = int(100 * avail / need)
        for run in p.runs:
            rpr = run._r.get_or_add_rPr()
            el = OxmlElement("w:w")
            el.set(qn("w:val"), str(max(scale, 33)))
            rpr.append(el)
