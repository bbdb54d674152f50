#!/usr/bin/env python3
"""Create the first version of templates/deck.pptx (named layouts and placeholders; see docs/deck-template.md).

Once committed, templates/deck.pptx is the source of truth: designers edit it in PowerPoint
(视图 → 幻灯片母版). Run this script again only to start over; it overwrites the file.

Colours, font names and text sizes come from templates/theme.toml, so the first template
matches the theme the other writers use; the theme part (theme colours, theme fonts) is built by
tools/office_theme.py from the keys in generators/theme_check.py, which `reportgen check` uses to
name every place where the template no longer agrees with theme.toml. Usage::

    python tools/make_deck_template.py [--out templates/deck.pptx] [--root PROJECT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pptx import Presentation  # noqa: E402 - after the project root is put on sys.path
from pptx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402 - after the project root is put on sys.path
from pptx.oxml import parse_xml  # noqa: E402 - after the project root is put on sys.path

from generators.theme import load_theme  # noqa: E402 - after the project root is put on sys.path
from generators.theme_contract import DECK_TEMPLATE, THEME_FONTS, theme_value  # noqa: E402 - after the project root is put on sys.path
from generators.writers.ooxml import save_normalized  # noqa: E402 - after the project root is put on sys.path
from tools.office_theme import theme_xml  # noqa: E402 - after the project root is put on sys.path

NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')

IN = 914400
PT = 12700
W, H = 12192000, 6858000  # 13.333 x 7.5 in, 16:9
M = int(0.6 * IN)  # side margin
CW = W - 2 * M  # content width
RULE = int(0.75 * PT)  # thin rule
BAR = int(2.25 * PT)  # gold accent rule
SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def i(inches: float) -> int:
    return round(inches * IN)


@dataclass(frozen=True)
class Ph:
    """A named placeholder of a layout."""

    name: str
    type: str  # title ctrTitle subTitle body chart pic ftr sldNum
    idx: int | None
    box: tuple[int, int, int, int]
    size: float  # pt
    role: str  # font role in theme.toml
    color: str  # scheme colour name or #RRGGBB
    prompt: str
    align: str = "l"
    anchor: str = "t"
    bullets: bool = False
    space_before: float = 0  # pt
    spacing: float = 1.0  # line spacing, multiple of single
    bold: bool = False


@dataclass(frozen=True)
class Rect:
    """A decorative rectangle (thin rules are rectangles one rule thick)."""

    name: str
    box: tuple[int, int, int, int]
    color: str


def colour(c: str) -> str:
    if c.startswith("#"):
        return f'<a:srgbClr val="{c[1:].upper()}"/>'
    return f'<a:schemeClr val="{c}"/>'


class Builder:
    def __init__(self, theme: dict):
        self.t = theme
        self.pal = theme["palette"]
        self.fonts = theme["fonts"]
        self.deck = theme["deck"]

    def office(self, role: str) -> str:
        return self.fonts[role]["office"]

    # -- XML pieces ---------------------------------------------------------------------
    def rect(self, sid: int, r: Rect) -> str:
        x, y, cx, cy = r.box
        return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{escape(r.name)}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
                f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
                f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>{colour(r.color)}</a:solidFill>'
                f'<a:ln><a:noFill/></a:ln></p:spPr></p:sp>')

    def ph(self, sid: int, p: Ph) -> str:
        x, y, cx, cy = p.box
        idx = "" if p.idx is None else f' idx="{p.idx}"'
        sz = "" if p.type in ("title", "ctrTitle") else ' sz="quarter"'
        font = self.office(p.role)
        if p.bullets:
            bullets = (f'<a:buClr>{colour("accent1")}</a:buClr><a:buSzPct val="60000"/>'
                       '<a:buFont typeface="Arial"/><a:buChar char="■"/>')
            margins = f' marL="{i(0.42)}" indent="-{i(0.42)}"'
        else:
            bullets, margins = "<a:buNone/>", ' marL="0" indent="0"'
        lvl1 = (f'<a:lvl1pPr algn="{p.align}"{margins}><a:lnSpc><a:spcPct val="{round(p.spacing * 100000)}"/></a:lnSpc>'
                f'<a:spcBef><a:spcPts val="{round(p.space_before * 100)}"/></a:spcBef>{bullets}'
                f'<a:defRPr sz="{round(p.size * 100)}" b="{int(p.bold)}"><a:solidFill>{colour(p.color)}</a:solidFill>'
                f'<a:latin typeface="{font}"/><a:ea typeface="{font}"/></a:defRPr></a:lvl1pPr>')
        if p.type == "sldNum":
            para = (f'<a:p><a:fld id="{SLIDENUM_FIELD_ID}" type="slidenum"><a:rPr lang="zh-CN" altLang="en-US"/>'
                    '<a:t>‹#›</a:t></a:fld></a:p>')
        else:
            para = f'<a:p><a:r><a:rPr lang="zh-CN" altLang="en-US"/><a:t>{escape(p.prompt)}</a:t></a:r></a:p>'
        return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{escape(p.name)}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
                f'</p:cNvSpPr><p:nvPr><p:ph type="{p.type}"{sz}{idx}/></p:nvPr></p:nvSpPr>'
                f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm></p:spPr>'
                f'<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{i(0.08)}" tIns="{i(0.04)}" rIns="{i(0.08)}" '
                f'bIns="{i(0.04)}" rtlCol="0" anchor="{p.anchor}"><a:noAutofit/></a:bodyPr>'
                f'<a:lstStyle>{lvl1}</a:lstStyle>{para}</p:txBody></p:sp>')

    def tree(self, items: list[Ph | Rect]) -> str:
        out = ['<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
               '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
               '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>']
        for n, item in enumerate(items, 2):
            out.append(self.rect(n, item) if isinstance(item, Rect) else self.ph(n, item))
        out.append("</p:spTree>")
        return "".join(out)

    def layout(self, name: str, items: list[Ph | Rect], show_master: bool) -> str:
        return (f'<p:sldLayout {NS} preserve="1" showMasterSp="{int(show_master)}"><p:cSld name="{escape(name)}">'
                f'{self.tree(items)}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>')

    # -- shared pieces of the look ------------------------------------------------------
    def footer(self, on_band: bool = False) -> list[Ph]:
        c = "bg1" if on_band else self.pal["muted"]
        size = self.deck["footer_size"]
        y = i(7.03) if on_band else i(7.0)
        return [Ph("页脚", "ftr", 11, (M, y, i(8), i(0.34)), size, "caption", c, "页脚", anchor="ctr"),
                Ph("页码", "sldNum", 12, (W - M - i(2), y, i(2), i(0.34)), size, "caption", c, "", align="r",
                   anchor="ctr")]

    def header(self, title_prompt: str = "单击此处编辑标题") -> list[Ph | Rect]:
        return [
            Ph("栏目", "body", 13, (M, i(0.38), CW, i(0.4)), 14, "caption", "accent2", "栏目（部分编号与名称）",
               anchor="b"),
            Ph("标题", "title", None, (M, i(0.8), CW, i(0.74)), 28, "title", "tx1", title_prompt, anchor="ctr"),
            Rect("标题线", (M, i(1.6), CW, RULE), self.pal["rule"]),
            Rect("标题线红", (M, i(1.6) - (i(0.045) - RULE) // 2, i(1.1), i(0.045)), "accent1"),
        ]

    def band(self) -> list[Rect]:
        return [Rect("底带金线", (0, i(6.91), W, BAR), "accent2"), Rect("底带", (0, i(6.91) + BAR, W, H - i(6.91) - BAR),
                                                                       "accent1")]

    def subtitle(self) -> Ph:
        return Ph("副标题", "body", 17, (M, i(1.7), CW, i(0.38)), 14, "caption", self.pal["muted"],
                  "副标题（图N 与图表名称）", anchor="ctr")

    # -- the layouts ----------------------------------------------------------------------
    def layouts(self) -> list[tuple[str, list[Ph | Rect], bool]]:
        """Every layout, in the order of the contract (generators/writers/pptx/template.py)."""
        return self.base_layouts() + [self.closing_layout()] + self.design_layouts()

    def closing_layout(self) -> tuple[str, list[Ph | Rect], bool]:
        """The goals as tiles and the final message under them."""
        return ("结束", [
                Ph("标题", "title", None, (M, i(1.1), CW, i(1.1)), 36, "title", "accent1", "单击此处编辑结束语标题",
                   align="ctr", anchor="b"),
                Rect("金线", ((W - i(1.6)) // 2, i(2.45), i(1.6), BAR), "accent2"),
                Ph("目标区", "body", 13, (M, i(2.75), CW, i(2.0)), 24, "heading", "tx1",
                   "目标卡片区：程序在此范围内排一行目标卡片（可移动、缩放此框）", align="ctr", anchor="ctr"),
                Ph("寄语", "body", 14, (M, i(5.0), CW, i(1.2)), 36, "title", "accent1", "最后的寄语",
                   align="ctr", anchor="ctr"),
                *self.band(), *self.footer(on_band=True)], False)

    def base_layouts(self) -> list[tuple[str, list[Ph | Rect], bool]]:
        body = self.deck["body_size"]
        return [
            ("封面", [
                Rect("竖线", (M, i(1.5), i(0.09), i(2.0)), "accent1"),
                Ph("标题", "ctrTitle", None, (i(0.9), i(1.35), i(11.8), i(1.2)), 48, "title", "accent1",
                   "单击此处编辑标题", anchor="b"),
                Ph("副标题", "subTitle", 1, (i(0.9), i(2.6), i(11.8), i(0.85)), 28, "heading", "tx1", "副标题"),
                Rect("金线", (i(0.9), i(3.7), i(1.6), BAR), "accent2"),
                Ph("场合", "body", 13, (i(0.9), i(3.95), i(11.8), i(0.6)), 20, "caption", "tx2", "场合（会议名称）"),
                Ph("署名", "body", 14, (i(0.9), i(5.75), i(11.8), i(0.5)), 14, "caption", self.pal["muted"],
                   "署名（统筹、策划、撰文、摄影）"),
                *self.band(), *self.footer(on_band=True)], False),
            ("目录", [
                Rect("左栏", (0, 0, i(4.3), H), "bg2"),
                Ph("标题", "title", None, (i(0.8), i(2.6), i(3.2), i(1.1)), 40, "title", "accent1", "目录",
                   anchor="b"),
                Rect("金线", (i(0.8), i(3.85), i(0.9), BAR), "accent2"),
                Ph("正文", "body", 13, (i(5.1), i(1.0), i(7.6), i(5.6)), 24, "heading", "tx1",
                   "各部分标题（由程序填写）", anchor="ctr", space_before=16),
                *self.footer()], False),
            ("章节", [
                Rect("左带", (0, 0, i(0.35), H), "accent1"),
                Ph("编号", "body", 13, (i(1.2), i(1.2), i(6), i(2.0)), 96, "figure", "accent2", "01", anchor="b"),
                Ph("标题", "title", None, (i(1.2), i(3.35), i(11.3), i(1.2)), 44, "title", "accent1",
                   "单击此处编辑部分标题"),
                Rect("金线", (i(1.2), i(4.75), i(1.4), BAR), "accent2"),
                *self.footer()], False),
            ("数字力量", [
                *self.header("数字力量"),
                Ph("卡片区", "body", 14, (M, i(1.85), CW, i(2.75)), body, "caption", "tx1",
                   "数字卡片区：程序在此范围内排 2—4 张数字卡片（可移动、缩放此框）", anchor="ctr"),
                Ph("导语", "body", 15, (M + i(0.25), i(4.8), CW - i(0.25), i(1.85)), body - 2, "body", "tx1",
                   "[数字力量]原文（带数字的段落；左侧金线由程序按文字高度画出）", anchor="ctr", spacing=1.1,
                   space_before=6),
                *self.footer()], True),
            ("图表", [
                *self.header("图表标题：图表说明了什么"),
                self.subtitle(),
                Ph("图表区", "chart", 15, (M, i(2.2), CW, i(4.15)), body, "caption", "tx1", "图表区（原生可编辑图表）"),
                Ph("来源", "body", 16, (M, i(6.38), CW, i(0.42)), 12, "caption", self.pal["muted"], "资料来源："),
                *self.footer()], True),
            ("回顾", [
                *self.header(),
                Ph("正文", "body", 14, (M, i(1.95), CW, i(4.8)), body + 4, "body", "tx1", "要点", bullets=True,
                   space_before=18, spacing=1.15),
                *self.footer()], True),
            ("图片", [
                Ph("栏目", "body", 13, (M, i(0.38), CW, i(0.4)), 14, "caption", "accent2", "栏目（部分编号与名称）",
                   anchor="b"),
                Ph("图片区", "pic", 15, (M, i(0.95), i(8.6), i(5.75)), body, "caption", "tx1", "图片区"),
                Rect("说明线", (i(9.6), i(4.35), i(0.9), BAR), "accent2"),
                Ph("说明", "title", None, (i(9.6), i(4.5), W - M - i(9.6), i(2.2)), body, "caption", "tx1",
                   "图片说明"),
                *self.footer()], True),
        ]

    def design_layouts(self) -> list[tuple[str, list[Ph | Rect], bool]]:
        """Layouts for distinct jobs: chart with its call-out, points with a photo (then figure_layouts)."""
        body = self.deck["body_size"]
        left = i(7.75)  # chart / points column width; the call-out or photo takes the rest
        return [
            ("图表要点", [
                *self.header("图表标题：图表说明了什么"),
                self.subtitle(),
                Ph("图表区", "chart", 15, (M, i(2.2), left, i(4.15)), body, "caption", "tx1", "图表区（原生可编辑图表）"),
                Ph("要点区", "body", 18, (M + left + i(0.35), i(2.3), CW - left - i(0.35), i(3.95)), body,
                   "caption", "tx1", "要点区：程序在此范围内突出图表的关键数字（可移动、缩放此框）", anchor="ctr"),
                Ph("来源", "body", 16, (M, i(6.42), CW, i(0.42)), 12, "caption", self.pal["muted"], "资料来源："),
                *self.footer()], True),
            ("要点配图", [
                *self.header(),
                Ph("正文", "body", 14, (M, i(1.95), left - i(0.4), i(4.8)), body + 2, "body", "tx1", "要点",
                   bullets=True, space_before=16, spacing=1.15),
                Ph("图片区", "pic", 15, (M + left - i(0.1), i(1.95), CW - left + i(0.1), i(4.15)), body, "caption",
                   "tx1", "图片区"),
                Ph("说明", "body", 16, (M + left - i(0.1), i(6.15), CW - left + i(0.1), i(0.6)), 12, "caption",
                   self.pal["muted"], "图片说明"),
                *self.footer()], True),
        ] + self.figure_layouts()

    def figure_layouts(self) -> list[tuple[str, list[Ph | Rect], bool]]:
        """A hero figure beside points, two columns, honours, a quote."""
        body = self.deck["body_size"]
        col = (CW - i(0.5)) // 2
        hero = i(4.6)  # width of the hero figure panel
        return [
            ("大数字", [
                Rect("数字底", (0, 0, hero, i(6.91)), "bg2"),
                Rect("数字线", (hero - i(0.06), 0, i(0.06), i(6.91)), "accent2"),
                Ph("数字区", "body", 18, (M, i(0.9), hero - M - i(0.45), i(5.6)), body, "figure", "accent1",
                   "数字区：程序在此范围内排 1—3 个大数字（可移动、缩放此框）", anchor="ctr"),
                Ph("栏目", "body", 13, (hero + i(0.5), i(0.38), W - hero - i(0.5) - M, i(0.4)), 14, "caption",
                   "accent2", "栏目（部分编号与名称）", anchor="b"),
                Ph("标题", "title", None, (hero + i(0.5), i(0.8), W - hero - i(0.5) - M, i(0.74)), 28, "title", "tx1",
                   "单击此处编辑标题", anchor="ctr"),
                Rect("标题线红", (hero + i(0.5), i(1.6) - (i(0.045) - RULE) // 2, i(1.1), i(0.045)), "accent1"),
                Ph("正文", "body", 14, (hero + i(0.5), i(1.95), W - hero - i(0.5) - M, i(4.8)), body + 2, "body",
                   "tx1", "要点", bullets=True, space_before=16, spacing=1.15),
                *self.footer()], False),
            ("对比", [
                Ph("栏目", "body", 13, (M, i(0.38), CW, i(0.4)), 14, "caption", "accent2", "栏目（部分编号与名称）",
                   anchor="b"),
                Ph("标题", "title", None, (M, i(0.8), col, i(0.74)), 26, "title", "tx1", "左栏标题", anchor="ctr"),
                Ph("右标题", "body", 19, (M + col + i(0.5), i(0.8), col, i(0.74)), 26, "title", "tx1", "右栏标题",
                   anchor="ctr"),
                Rect("左线", (M, i(1.6), col, RULE), self.pal["rule"]),
                Rect("左线红", (M, i(1.6) - (i(0.045) - RULE) // 2, i(1.1), i(0.045)), "accent1"),
                Rect("右线", (M + col + i(0.5), i(1.6), col, RULE), self.pal["rule"]),
                Rect("右线红", (M + col + i(0.5), i(1.6) - (i(0.045) - RULE) // 2, i(1.1), i(0.045)), "accent1"),
                Rect("左底", (M, i(1.95), col, i(4.8)), "bg2"),
                Rect("右底", (M + col + i(0.5), i(1.95), col, i(4.8)), "bg2"),
                Ph("左栏", "body", 14, (M + i(0.2), i(2.05), col - i(0.4), i(4.6)), body, "body", "tx1", "左栏要点",
                   bullets=True, space_before=14, spacing=1.15),
                Ph("右栏", "body", 20, (M + col + i(0.7), i(2.05), col - i(0.4), i(4.6)), body, "body", "tx1",
                   "右栏要点", bullets=True, space_before=14, spacing=1.15),
                *self.footer()], True),
            ("荣誉", [
                *self.header(),
                Ph("荣誉区", "body", 18, (M, i(1.95), CW, i(4.75)), body + 2, "heading", "tx1",
                   "荣誉区：程序在此范围内逐条排出荣誉与成效（可移动、缩放此框）", anchor="ctr"),
                *self.footer()], True),
            ("引语", [
                Rect("引语底", (0, 0, W, i(6.91)), "bg2"),
                Rect("引语线", (i(1.2), i(1.55), i(0.09), i(3.9)), "accent1"),
                Ph("栏目", "body", 13, (i(1.2), i(0.7), i(10), i(0.45)), 16, "caption", "accent2", "栏目", anchor="b"),
                Ph("引语", "body", 14, (i(1.6), i(1.4), i(10.4), i(4.2)), 28, "quote", "tx1", "引语", anchor="ctr",
                   spacing=1.2),
                Ph("出处", "body", 15, (i(1.6), i(6.0), i(10.4), i(0.5)), 16, "caption", self.pal["muted"], "出处"),
                *self.footer()], False),
        ]

    def master(self, layout_ids: str) -> str:
        size = self.deck["body_size"]
        items: list[Ph | Rect] = [
            Ph("标题", "title", None, (M, i(0.8), CW, i(0.74)), 28, "title", "tx1", "单击此处编辑母版标题样式",
               anchor="ctr"),
            Ph("正文", "body", 1, (M, i(1.9), CW, i(4.85)), size, "body", "tx1", "单击此处编辑母版文本样式",
               bullets=True, space_before=12),
            *self.footer(),
            Rect("页脚线", (M, i(6.93), CW, RULE), self.pal["rule"]),
        ]
        levels = "".join(
            f'<a:lvl{n}pPr marL="{i(0.42) * n}" indent="-{i(0.42)}" algn="l" eaLnBrk="1" hangingPunct="1">'
            '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="1200"/></a:spcBef>'
            f'<a:buClr>{colour("accent1")}</a:buClr><a:buSzPct val="60000"/><a:buFont typeface="Arial"/>'
            f'<a:buChar char="{"■" if n == 1 else "–"}"/><a:defRPr sz="{round(max(size - 2 * (n - 1), 12) * 100)}" '
            f'kern="1200"><a:solidFill>{colour("tx1")}</a:solidFill><a:latin typeface="+mn-lt"/>'
            '<a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl' + str(n) + 'pPr>'
            for n in range(1, 10))
        other = "".join(
            f'<a:lvl{n}pPr marL="{457200 * (n - 1)}" algn="l" eaLnBrk="1" hangingPunct="1"><a:defRPr sz="1800" '
            f'kern="1200"><a:solidFill>{colour("tx1")}</a:solidFill><a:latin typeface="+mn-lt"/>'
            f'<a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{n}pPr>' for n in range(1, 10))
        styles = (
            '<p:txStyles><p:titleStyle><a:lvl1pPr algn="l" eaLnBrk="1" hangingPunct="1">'
            '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
            f'<a:defRPr sz="2800" kern="1200"><a:solidFill>{colour("tx1")}</a:solidFill>'
            '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr>'
            f'</p:titleStyle><p:bodyStyle>{levels}</p:bodyStyle><p:otherStyle>{other}</p:otherStyle></p:txStyles>')
        return (f'<p:sldMaster {NS}><p:cSld><p:bg><p:bgPr><a:solidFill>{colour("bg1")}</a:solidFill>'
                f'<a:effectLst/></p:bgPr></p:bg>{self.tree(items)}</p:cSld>'
                '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
                'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" '
                f'folHlink="folHlink"/>{layout_ids}{styles}</p:sldMaster>')


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<Application>reportgen</Application><PresentationFormat>宽屏</PresentationFormat>'
    '<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
    '<HyperlinksChanged>false</HyperlinksChanged></Properties>')


def _new_layout_rel(master_part, number: int, id_by_rid: dict):
    """A further slide layout part related to the master (its XML is replaced by the caller)."""
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.packuri import PackURI
    from pptx.parts.slide import SlideLayoutPart

    template = next(r.target_part for r in master_part.rels.values() if r.reltype == RT.SLIDE_LAYOUT)
    part = SlideLayoutPart(PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml"), CT.PML_SLIDE_LAYOUT,
                           master_part.package, parse_xml(template.blob))
    part.relate_to(master_part, RT.SLIDE_MASTER)
    rid = master_part.relate_to(part, RT.SLIDE_LAYOUT)
    id_by_rid[rid] = str(max(int(v) for v in id_by_rid.values()) + 1)
    return master_part.rels[rid]


def build(root: Path, out: Path) -> None:
    """templates/deck.pptx of the project `root` (its templates/theme.toml) written to `out`."""
    theme = load_theme(root)
    b = Builder(theme.model_dump())
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    prs.part._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}sldSz").attrib.pop(
        "type", None)

    master_part = prs.slide_master.part
    layout_rels = [r for r in master_part.rels.values() if r.reltype == RT.SLIDE_LAYOUT]
    ids = master_part._element.sldLayoutIdLst
    id_by_rid = {e.rId: e.get("id") for e in ids.sldLayoutId_lst}
    order = sorted(layout_rels, key=lambda r: list(id_by_rid).index(r.rId))
    specs = b.layouts()
    for n in range(len(order), len(specs)):  # more layouts than python-pptx's default template has
        order.append(_new_layout_rel(master_part, n + 1, id_by_rid))
    keep, drop = order[: len(specs)], order[len(specs):]
    for rel, (name, items, show_master) in zip(keep, specs, strict=False):
        rel.target_part._element = parse_xml(b.layout(name, items, show_master).encode())
    layout_ids = "<p:sldLayoutIdLst>" + "".join(
        f'<p:sldLayoutId id="{id_by_rid[r.rId]}" r:id="{r.rId}"/>' for r in keep) + "</p:sldLayoutIdLst>"
    master_part._element = parse_xml(b.master(layout_ids).encode())
    for rel in drop:
        master_part.drop_rel(rel.rId)

    pkg = prs.part.package
    for part in pkg.iter_parts():
        if part.partname.endswith("theme1.xml"):
            # The template's own theme fonts (designer-typed text); generated runs name the role fonts explicitly.
            fonts = THEME_FONTS[DECK_TEMPLATE]
            part._blob = theme_xml(theme, theme_value(theme, fonts["major"]), theme_value(theme, fonts["minor"])).encode()
        elif part.partname == "/docProps/app.xml":
            part._blob = APP_XML.encode()
    for rId, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.drop_rel(rId)
    for rId, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.drop_rel(rId)

    core = prs.core_properties
    core.title = "党代会回顾幻灯片模板"
    core.subject = core.keywords = core.comments = core.category = ""
    core.author = core.last_modified_by = ""
    core.revision = 1
    core.created = core.modified = dt.datetime(2024, 1, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_normalized(prs.save, out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="file to write (default: ROOT/templates/deck.pptx)")
    ap.add_argument("--root", type=Path, default=ROOT, help="project whose templates/theme.toml is used")
    args = ap.parse_args()
    out = args.out or args.root / "templates" / "deck.pptx"
    build(args.root, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
