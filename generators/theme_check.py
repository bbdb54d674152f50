"""Does every Office template agree with templates/theme.toml? Names each colour and font that does not."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from generators.errors import Problem
from generators.theme import Theme, load_theme

# ---- the contract: which theme.toml key each template place takes ------------------------------------
# tools/make_docx_templates.py and tools/make_deck_template.py build the templates from these tables
# (theme parts) or from the same keys (styles, shapes); tests/test_theme_check.py proves the two agree.

#: Theme colour slots (Office's names in the 自定义颜色 dialog) and the palette key each one takes.
#: An int is an index into palette.chart (taken modulo its length).
SCHEME: tuple[tuple[str, str, str | int], ...] = (
    ("dk1", "文字/背景 - 深色 1", "palette.ink"),
    ("lt1", "文字/背景 - 浅色 1", "palette.paper"),
    ("dk2", "文字/背景 - 深色 2", "palette.primary_dark"),
    ("lt2", "文字/背景 - 浅色 2", "palette.tint"),
    ("accent1", "着色 1", "palette.primary"),
    ("accent2", "着色 2", "palette.accent"),
    ("accent3", "着色 3", 2),
    ("accent4", "着色 4", 3),
    ("accent5", "着色 5", 4),
    ("accent6", "着色 6", 5),
    ("hlink", "超链接", "palette.primary"),
    ("folHlink", "已访问的超链接", "palette.muted"),
)

#: Theme fonts (标题字体 = major, 正文字体 = minor) of each template, as theme.toml keys. The 公文
#: template is absent: its fonts are those of GB/T 9704-2012, not of the theme.
THEME_FONTS: dict[str, dict[str, str]] = {
    "templates/briefing-简报.docx": {"major": "fonts.heading.office", "minor": "fonts.body.office"},
    "templates/deck.pptx": {"major": "fonts.caption.office", "minor": "fonts.caption.office"},
}
WORD_TEMPLATES = ("templates/briefing-公文.docx", "templates/briefing-简报.docx")
DECK_TEMPLATE = "templates/deck.pptx"

_F = {r: f"fonts.{r}.office" for r in ("title", "heading", "body", "figure", "caption", "quote")}
_P = {k: f"palette.{k}" for k in ("primary", "primary_dark", "accent", "ink", "muted", "paper", "tint", "rule",
                                  "placeholder")}

#: The 简报 template: style name → {property: key}. "字体" means both 中文字体 and 西文字体.
JIANBAO: dict[str, dict[str, str]] = {
    "Normal": {"字体": _F["body"], "字体颜色": _P["ink"]},
    "简报标题": {"字体": _F["figure"], "字体颜色": _P["paper"], "底纹": _P["primary"], "边框颜色": _P["primary"]},
    "简报副标题": {"字体": _F["figure"], "字体颜色": _P["primary_dark"]},
    "会议信息": {"字体": _F["figure"], "字体颜色": _P["muted"], "边框颜色": _P["accent"]},
    "简报正文": {"字体": _F["body"]},
    "一级标题": {"字体": _F["figure"], "字体颜色": _P["primary"], "边框颜色": _P["rule"]},
    "二级标题": {"字体": _F["figure"], "字体颜色": _P["primary_dark"]},
    "三级标题": {"字体": _F["heading"]},
    "引语": {"字体": _F["quote"], "底纹": _P["tint"], "边框颜色": _P["accent"]},
    "引语出处": {"字体": _F["quote"], "字体颜色": _P["muted"], "底纹": _P["tint"], "边框颜色": _P["accent"]},
    "简报要点": {"字体": _F["body"], "项目符号颜色": _P["primary"], "项目符号字体": _F["body"]},
    "图题": {"字体": _F["figure"], "字体颜色": _P["ink"]},
    "插图": {"字体": _F["body"]},
    "资料来源": {"字体": _F["figure"], "字体颜色": _P["muted"]},
    "表格文字": {"字体": _F["figure"], "字体颜色": _P["ink"]},
    "表格数字": {"字体": _F["figure"], "字体颜色": _P["ink"]},
    "表头文字": {"字体": _F["figure"], "字体颜色": _P["primary_dark"]},
    "图片占位": {"字体": _F["figure"], "字体颜色": _P["muted"]},
    "数字": {"字体颜色": _P["primary_dark"]},
    "页脚页码": {"字体": _F["figure"], "字体颜色": _P["muted"]},
    "关键数据表": {"字体": _F["figure"], "边框颜色": _P["rule"], "标题行底纹": _P["tint"],
                   "标题行字体颜色": _P["primary_dark"]},
    "图片占位框": {"字体": _F["figure"], "边框颜色": _P["muted"], "底纹": _P["placeholder"]},
}
#: Word's document defaults (字体 → 设为默认值) of each Word template that follows the theme.
WORD_DEFAULT_FONT = {"templates/briefing-简报.docx": _F["body"]}
WORD_STYLES = {"templates/briefing-简报.docx": JIANBAO}

#: The deck template: shape name (in the master and every layout) → (property, key). Shapes coloured
#: with a theme colour (着色 1, 背景 1 …) follow the theme by construction and are not listed.
DECK_SHAPES: dict[str, tuple[str, str]] = {
    "页脚": ("文字颜色", _P["muted"]), "页码": ("文字颜色", _P["muted"]), "署名": ("文字颜色", _P["muted"]),
    "来源": ("文字颜色", _P["muted"]), "标题线": ("填充颜色", _P["rule"]), "页脚线": ("填充颜色", _P["rule"]),
    "副标题": ("文字颜色", _P["muted"]), "说明": ("文字颜色", _P["muted"]),
    "出处": ("文字颜色", _P["muted"]),
    "左线": ("填充颜色", _P["rule"]), "右线": ("填充颜色", _P["rule"]),
}

_STYLE_SHOWN = {"Normal": "正文"}  # how Chinese Word shows the built-in style


def theme_value(theme: Theme, key: str) -> str:
    """The value of a dotted theme.toml key: palette.primary, palette.chart[2], fonts.body.office."""
    node: object = theme
    for part in key.split("."):
        m = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        node = getattr(node, m[1])[int(m[2])] if m else getattr(node, part)
    return str(node)


def scheme_slots(theme: Theme) -> list[tuple[str, str, str]]:
    """(slot, Office name, theme.toml key) of the 12 theme colours."""
    n = len(theme.palette.chart)
    return [(slot, label, f"palette.chart[{key % n}]" if isinstance(key, int) else key) for slot, label, key in SCHEME]


def scheme_colours(theme: Theme) -> list[tuple[str, str]]:
    """(slot, RRGGBB) of the 12 theme colours, for the template generators."""
    return [(slot, theme_value(theme, key)[1:].upper()) for slot, _label, key in scheme_slots(theme)]


# ---- one compared value -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """One attribute of one template part compared with one theme.toml key."""

    file: str  # relative to the project root
    field: str  # where, in the designer's terms
    key: str
    expected: str
    found: str | None  # None: not set
    fix: str  # what to click, in the designer's terms


def _colour(value: str | None) -> str | None:
    if value is None:
        return None
    return "自动" if value.lower() == "auto" else "#" + value.upper()


def _agrees(p: Place) -> bool:
    if p.found is None:
        return False
    return p.found.upper() == p.expected.upper() if p.key.startswith("palette.") else p.found == p.expected


def _coloured_at_build(file: str, field: str, key: str) -> bool:
    """Places whose colour the writers take from theme.toml when they build (so the template's own is moot):
    the deck's theme colours and the colour of the 简报 styles (writers/pptx/xml.theme_colours,
    writers/docx_theme.apply_theme_colours)."""
    if not key.startswith("palette."):
        return False
    if file == DECK_TEMPLATE:
        return field.startswith("主题颜色")
    return file in WORD_STYLES and field.startswith("样式")


def _problems(places: list[Place]) -> list[Problem]:
    """One problem per (file, field) with any disagreeing value; places in document order."""
    groups: dict[tuple[str, str], list[Place]] = {}
    for p in places:
        groups.setdefault((p.file, p.field), []).append(p)
    out = []
    for (file, field), ps in groups.items():
        bad = [p for p in ps if not _agrees(p)]
        if not bad:
            continue
        first = bad[0]
        if not first.key:  # a whole part is missing
            out.append(Problem(file, field=field, expected=first.expected, found="无", message=f"改法：{first.fix}"))
            continue
        found = "、".join(dict.fromkeys("未设置" if p.found is None else p.found for p in bad))
        if _coloured_at_build(file, field, first.key):
            why = (f"与 theme.toml 不一致（生成的文档已按 theme.toml 上色；模板里的颜色只在直接用模板新建文档时看得到，"
                   f"要换颜色请改 theme.toml 的 {first.key}）。让模板也一致：{first.fix}")
        else:
            why = (f"与 theme.toml 不一致。改法：{first.fix}（有意改动时可忽略此提示，"
                   f"或把 theme.toml 的 {first.key} 改为实际值）")
        out.append(Problem(file, field=field, expected=f"{first.expected}（theme.toml 的 {first.key}）", found=found,
                           message=why))
    return out


# ---- reading the templates ----------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "a": A, "p": P}
_THEME_REL = f"{R}/theme"


def _xml(z: zipfile.ZipFile, name: str):
    try:
        return etree.fromstring(z.read(name))
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError):
        return None  # absent or unreadable: compared as "not set"


def _related(z: zipfile.ZipFile, part: str, rel_type: str) -> str | None:
    """The part that `part` points to with a relationship of `rel_type`."""
    folder, base = posixpath.split(part)
    rels = _xml(z, posixpath.join(folder, "_rels", base + ".rels"))
    for rel in [] if rels is None else rels.findall(f"{{{PR}}}Relationship"):
        if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    return None


def _theme_places(z: zipfile.ZipFile, owner: str, file: str, theme: Theme, app: str) -> list[Place]:
    """The colour scheme and fonts of the theme part `owner` (document.xml, slideMaster1.xml) uses."""
    menu = "设计 → 变体 → " if app == "PowerPoint" else "设计 → "
    part = _related(z, owner, _THEME_REL)
    root = None if part is None else _xml(z, part)
    if root is None:
        tool = "tools/make_deck_template.py" if app == "PowerPoint" else "tools/make_docx_templates.py --force"
        return [Place(file, "主题", "", "有主题部件（主题颜色、主题字体）", None,
                      f"在 {app} 中打开后另存（会补上主题），再按 {menu}颜色 → 自定义颜色 填入 theme.toml 的颜色；"
                      f"或运行 {tool} 重新生成模板（会覆盖对模板的修改）")]
    places = []
    for slot, label, key in scheme_slots(theme):
        el = root.find(f"a:themeElements/a:clrScheme/a:{slot}", NS)
        rgb = None if el is None else el.find("a:srgbClr", NS)
        sys = None if el is None else el.find("a:sysClr", NS)
        found = rgb.get("val") if rgb is not None else (sys.get("lastClr") if sys is not None else None)
        places.append(Place(file, f"主题颜色“{label}”", key, theme_value(theme, key), _colour(found),
                            f"{app}：{menu}颜色 → 自定义颜色 → {label}"))
    for kind, shown in (("major", "标题字体"), ("minor", "正文字体")):
        font_key = THEME_FONTS.get(file, {}).get(kind)
        if font_key is None:
            continue
        font = root.find(f"a:themeElements/a:fontScheme/a:{kind}Font", NS)
        for what, xpath in (("中文", "a:ea"), ("中文", "a:font[@script='Hans']"), ("西文", "a:latin")):
            el = None if font is None else font.find(xpath, NS)
            if el is None and xpath.startswith("a:font"):
                continue  # the per-script font is optional
            hans = None if font is None else font.find("a:font[@script='Hans']", NS)
            if xpath == "a:ea" and el is not None and not el.get("typeface") and hans is not None:
                continue  # Office's own themes leave a:ea empty and name the Chinese font per script
            places.append(Place(file, f"主题字体“{shown}（{what}）”", font_key, theme_value(theme, font_key),
                                None if el is None else el.get("typeface"),
                                f"{app}：{menu}字体 → 自定义字体 → {shown}（{what}）"))
    return places


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class _WordStyles:
    """Style lookup by name with Word's inheritance (basedOn, then the document defaults)."""

    def __init__(self, styles, numbering):
        self.root = styles
        self.numbering = numbering
        self.by_id = {s.get(_w("styleId")): s for s in styles.iter(_w("style"))}
        self.by_name: dict[str, Any] = {}
        for s in styles.iter(_w("style")):
            name = s.find("w:name", NS)
            if name is not None:
                self.by_name.setdefault(name.get(_w("val")), s)

    def chain(self, style):
        seen = set()
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            yield style
            based = style.find("w:basedOn", NS)
            style = None if based is None else self.by_id.get(based.get(_w("val")))

    def attrs(self, style, xpath: str, attr: str, defaults: bool = False) -> list[str | None]:
        """The attribute on every element `xpath` matches in the nearest style of the chain that has any."""
        for s in self.chain(style):
            els = [e for path in xpath.split("|") for e in s.findall(path, NS)]
            if els:
                return [e.get(_w(attr)) for e in els]
        if defaults:
            el = self.root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
            if el is not None:
                return [el.get(_w(attr))]
        return [None]

    def bullet(self, style):
        """The level-0 run properties of the numbering a paragraph style uses."""
        num = self.attrs(style, "w:pPr/w:numPr/w:numId", "val")[0]
        if self.numbering is None or num is None:
            return None
        ref = self.numbering.find(f"w:num[@w:numId='{num}']/w:abstractNumId", NS)
        abstract = None if ref is None else self.numbering.find(
            f"w:abstractNum[@w:abstractNumId='{ref.get(_w('val'))}']", NS)
        return None if abstract is None else abstract.find("w:lvl[@w:ilvl='0']/w:rPr", NS)


_WORD_PROPS = {  # property → (xpath under w:style, attribute, inherits document defaults)
    "字体颜色": ("w:rPr/w:color", "val", False),
    "中文字体": ("w:rPr/w:rFonts", "eastAsia", True),
    "西文字体": ("w:rPr/w:rFonts", "ascii", True),
    "底纹": ("w:pPr/w:shd|w:tblPr/w:shd", "fill", False),
    "边框颜色": ("w:pPr/w:pBdr/*|w:tblPr/w:tblBorders/*", "color", False),
    "标题行底纹": ("w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd", "fill", False),
    "标题行字体颜色": ("w:tblStylePr[@w:type='firstRow']/w:rPr/w:color", "val", False),
}


def _word_fix(style: str, kind: str, prop: str) -> str:
    if kind == "table":
        part = "标题行" if prop.startswith("标题行") else "整个表格"
        return f"Word：表设计 → 右击表格样式“{style}” → 修改表格样式 → 将格式应用于“{part}” → {prop.removeprefix('标题行')}"
    where = {"字体颜色": "格式 → 字体 → 字体颜色", "中文字体": "格式 → 字体 → 中文字体",
             "西文字体": "格式 → 字体 → 西文字体", "底纹": "格式 → 边框 → 底纹 → 填充",
             "边框颜色": "格式 → 边框 → 颜色", "项目符号颜色": "格式 → 编号 → 定义新项目符号 → 字体 → 字体颜色",
             "项目符号字体": "格式 → 编号 → 定义新项目符号 → 字体 → 中文字体、西文字体"}[prop]
    return f"Word：右击样式“{style}” → 修改 → {where}"


def _word_style_places(ws: _WordStyles, file: str, theme: Theme) -> list[Place]:
    places = []
    for name, props in WORD_STYLES.get(file, {}).items():
        shown = _STYLE_SHOWN.get(name, name)
        style = ws.by_name.get(name)
        if style is None:
            continue  # a missing style is the writer's error (reportgen check reports it)
        kind = style.get(_w("type"))
        expanded = [(p, k) for prop, k in props.items() for p in (("中文字体", "西文字体") if prop == "字体" else (prop,))]
        for prop, key in expanded:
            expected = theme_value(theme, key)
            if prop.startswith("项目符号"):
                rpr = ws.bullet(style)
                xpath, attrs = ("w:color", ("val",)) if prop == "项目符号颜色" else ("w:rFonts", ("eastAsia", "ascii"))
                el = None if rpr is None else rpr.find(xpath, NS)
                found = [None if el is None else el.get(_w(a)) for a in attrs]
            else:
                xpath, attr, defaults = _WORD_PROPS[prop]
                found = ws.attrs(style, xpath, attr, defaults)
            for value in found:
                shown_value = _colour(value) if key.startswith("palette.") else value
                places.append(Place(file, f"样式“{shown}”.{prop}", key, expected, shown_value,
                                    _word_fix(shown, kind, prop)))
    default_key = WORD_DEFAULT_FONT.get(file)
    if default_key:
        el = ws.root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
        for what, attr in (("中文字体", "eastAsia"), ("西文字体", "ascii")):
            places.append(Place(file, f"默认字体.{what}", default_key, theme_value(theme, default_key),
                                None if el is None else el.get(_w(attr)),
                                f"Word：开始 → 字体对话框 → {what} → 设为默认值（所有基于 Normal 模板的文档）"))
    return places


def _word_places(z: zipfile.ZipFile, file: str, theme: Theme) -> list[Place]:
    main = _related(z, "", f"{R}/officeDocument") or "word/document.xml"
    places = _theme_places(z, main, file, theme, "Word")
    styles_part = _related(z, main, f"{R}/styles")
    styles = None if styles_part is None else _xml(z, styles_part)
    if styles is not None:
        numbering_part = _related(z, main, f"{R}/numbering")
        ws = _WordStyles(styles, None if numbering_part is None else _xml(z, numbering_part))
        places += _word_style_places(ws, file, theme)
    return places


def _deck_places(z: zipfile.ZipFile, file: str, theme: Theme) -> list[Place]:
    masters = sorted(n for n in z.namelist() if re.fullmatch(r"ppt/slideMasters/slideMaster\d+\.xml", n))
    places = _theme_places(z, masters[0], file, theme, "PowerPoint") if masters else []
    layouts = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n)),
                     key=lambda n: int(re.findall(r"\d+", n)[-1]))
    for part in masters + layouts:
        root = _xml(z, part)
        if root is None:
            continue
        csld = root.find("p:cSld", NS)
        where = "幻灯片母版" if "slideMaster" in part else f"版式“{csld.get('name', '') if csld is not None else ''}”"
        for sp in root.iterfind(".//p:sp", NS):
            name_el = sp.find("p:nvSpPr/p:cNvPr", NS)
            name = "" if name_el is None else name_el.get("name", "")
            if name not in DECK_SHAPES:
                continue
            prop, key = DECK_SHAPES[name]
            is_ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS) is not None
            xpath = ("p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr/a:solidFill/a:srgbClr" if is_ph
                     else "p:spPr/a:solidFill/a:srgbClr")
            el = sp.find(xpath, NS)
            if el is None:
                continue  # a theme colour, or none: nothing that can disagree with a theme.toml value
            what = "占位符" if is_ph else "形状"
            click = "开始 → 字体颜色" if is_ph else "形状格式 → 形状填充"
            places.append(Place(file, f"{where}.{what}“{name}”.{prop}", key, theme_value(theme, key),
                                _colour(el.get("val")),
                                f"PowerPoint：视图 → 幻灯片母版 → {where} → 选中“{name}” → {click} → 其他颜色"))
    return places


def theme_places(root: Path, theme: Theme) -> list[Place]:
    """Every compared value of the deck and briefing templates under `root` (missing files skipped)."""
    places: list[Place] = []
    for file, read in [(f, _word_places) for f in WORD_TEMPLATES] + [(DECK_TEMPLATE, _deck_places)]:
        path = root / file
        try:
            with zipfile.ZipFile(path) as z:
                places += read(z, file, theme)
        except (OSError, zipfile.BadZipFile, zlib.error):
            continue  # missing or broken: the writers' template checks report that as an error
    return places


def check_theme_agreement(root: Path, theme: Theme | None = None) -> list[Problem]:
    """Each place of templates/deck.pptx and templates/briefing-*.docx whose colour or font is not theme.toml's.

    These are warnings: a designer may restyle a template on purpose. `reportgen check` lists them.
    """
    return _problems(theme_places(root, theme or load_theme(root)))
